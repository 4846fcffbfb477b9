"""Use cases of official documents (ADR 0152). Each runs in one transaction, locks what it changes,
checks permission with ``core.permissions``, writes its audit entry, and raises a ``ServiceError`` with
a Vietnamese message when it refuses (nothing written).

The seam with the exchange (edXML, ``congso.exchange``, a lower app; ``exchange_seam`` subscribes to
its hooks):

- a verified packet becomes an incoming document through ``register_incoming(..., source="exchange",
  metadata=..., pdf=..., signatures=..., exchange_packet=...)``; as it moves (registered, assigned, in
  process, done, refused) ``_report_back`` sends the status back through ``exchange.services.report_status``;
- ``release`` hands a packet for each external recipient known to the exchange directory to
  ``exchange.services.send_packet`` in the same transaction; other external recipients stay "waiting to
  send" (``selectors.waiting_to_send``, ``mark_sent``); statuses come back through ``record_status``;
- ``recall`` asks the recipients of a document sent through the hub to recall it: a signed packet of
  business 1 (same DocumentId) through ``exchange.services.send_packet``, in the same transaction; their
  answers (15 agreed, 16 refused) come back as status messages (``exchange_seam.on_status_received``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import io
import logging

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override
from PIL import Image
from pypdf import PdfReader, PdfWriter

from congso.calendar.engine import get_calendar
from congso.core import audit, compiled, pdftext
from congso.core.compiled import CompiledQuery, fields_of
from congso.core.errors import Conflict, NotFound, ServiceError
from congso.core.locking import lock
from congso.core.permissions import require
from congso.core.uploads import PDF, inspect_upload
from congso.directory.models import Agency, Role
from congso.directory.selectors import agency_by_code
from congso.exchange import edxml
from congso.exchange import services as exchange_services
from congso.signing.models import SigningKey
from congso.signing.pdfsign import check_pdf_bytes, page_size, vn_now
from congso.signing.services import corner_appearance, seal_over, sign_pdf
from congso.signing.verify import verify_pdf

from . import hooks, ocr, validation
from .models import (
    Assignment,
    Copy,
    Document,
    DocumentType,
    DraftVersion,
    Note,
    NumberEntry,
    NumberSeries,
    Recipient,
    Register,
    ReviewStep,
    Revision,
    SecretReader,
    Task,
    TaskReport,
)
from .permissions import member_of
from .tasks import ocr_document  # tasks imports this module (the module, not its names): no cycle
from .transitions import INCOMING, OUTGOING

S = Document.Status
D = Document.Direction
log = logging.getLogger("congso.documents")

# Status codes reported back to a sender (kept as data, as the exchange implementations use them).
STATUS_REGISTERED, STATUS_ASSIGNED, STATUS_IN_PROCESS, STATUS_DONE = "03", "04", "05", "06"
STATUS_LABELS = {
    "01": _("Đã đến"),
    "02": _("Từ chối tiếp nhận"),
    "03": _("Đã tiếp nhận, vào sổ"),
    "04": _("Đã phân công"),
    "05": _("Đang xử lý"),
    "06": _("Hoàn thành"),
}


class SecretContentRefused(ServiceError):
    code = "secret_content"


def _now():
    return timezone.now()


def _get(model, pk, *, for_update=True):
    if for_update:
        if not lock(model, pk=pk):
            raise NotFound(_("Không tìm thấy văn bản.") if model is Document else _("Không tìm thấy."))
    obj = model.objects.filter(pk=pk).first()
    if obj is None:
        raise NotFound(_("Không tìm thấy văn bản.") if model is Document else _("Không tìm thấy."))
    return obj


def _pk(obj_or_pk):
    return getattr(obj_or_pk, "pk", obj_or_pk)


def _trace(document, actor, text, kind=Note.Kind.TRACE, version=None):
    (note,) = compiled.insert([Note(document=document, kind=kind, author=actor, text=text, version=version)])
    return note


def _changed(document, action: str, from_status, actor) -> None:
    """Tell the apps above (``hooks.document_changed``), in the current transaction."""
    hooks.document_changed.fire(document=document, action=action, from_status=from_status, actor=actor)


def _save(document, fields):
    document.updated_at = _now()
    document.refresh_search()
    document.save(update_fields=sorted({*fields, "updated_at", "search_folded"}))


# --- registers and numbers ------------------------------------------------------------------------


def format_number(n: int) -> str:
    """Numbers are written with at least two digits: 01, 02, …, 15, 123 (Decree 30)."""
    return f"{n:02d}"


def build_symbol(number: int, doc_type: DocumentType | None, notation: str, drafting_unit: str = "") -> str:
    """``15/QĐ-UBND`` for a typed document, ``123/UBND-VP`` for a công văn (organ, then drafting unit)."""
    n = format_number(number)
    if doc_type is not None and doc_type.abbreviation:
        return f"{n}/{doc_type.abbreviation}-{notation}" if notation else f"{n}/{doc_type.abbreviation}"
    tail = "-".join(p for p in (notation, drafting_unit) if p)
    return f"{n}/{tail}" if tail else n


def create_register(
    *, actor, agency: Agency, name: str, direction: str, secret=False, notation=""
) -> Register:
    name = " ".join((name or "").split())
    if not name:
        raise ServiceError(_("Nhập tên sổ đăng ký."), field="name")
    if direction not in Register.Direction.values:
        raise ServiceError(_("Sổ đăng ký là sổ văn bản đến hoặc văn bản đi."), field="direction")
    notation = (notation or "").strip()
    if len(notation) > 30:
        raise ServiceError(_("Chữ viết tắt tối đa 30 ký tự."), field="notation")
    with transaction.atomic():
        require(
            actor,
            "documents.manage_registers",
            agency,
            _("Bạn không được quản lý sổ đăng ký của cơ quan này."),
        )
        if Register.objects.filter(agency=agency, name=name).exists():
            raise Conflict(_("Cơ quan đã có sổ đăng ký tên này."), field="name")
        register = Register.objects.create(
            agency=agency, name=name, direction=direction, secret=bool(secret), notation=notation
        )
        audit.record(
            "documents.create_register",
            obj=register,
            actor=actor,
            data={"agency": agency.code, "direction": direction, "secret": bool(secret)},
        )
        return register


def _next_number(register: Register, year: int) -> int:
    """The next number of the register's series for ``year``, under the series row's lock: concurrent
    callers wait and each gets the following number (no gap, no duplicate).

    One statement, the series' first number included: an insert that, when the year's row exists, adds
    one to it instead and returns the result (PostgreSQL locks the row until the commit; SQLite has one
    writer at a time)."""
    quote = connection.ops.quote_name
    table = quote(NumberSeries._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({quote('register_id')}, {quote('year')}, {quote('last_number')}) "  # noqa: S608
            f"VALUES (%s, %s, 1) ON CONFLICT ({quote('register_id')}, {quote('year')}) "
            f"DO UPDATE SET {quote('last_number')} = {table}.{quote('last_number')} + 1 "
            f"RETURNING {quote('last_number')}",
            [register.pk, year],
        )
        return cursor.fetchone()[0]


def take_number(register_id, *, actor, document: Document | None = None, as_system=False) -> NumberEntry:
    """Take the next number of the register for this calendar year (from 01 on 1 January). ``register_id``
    may be the register itself, read in the caller's transaction (registering an incoming document)."""
    with transaction.atomic():
        if isinstance(register_id, Register):
            register = register_id
        else:
            register = Register.objects.select_related("agency").filter(pk=_pk(register_id)).first()
        if register is None or not register.is_active:
            raise NotFound(_("Không tìm thấy sổ đăng ký."))
        if not as_system:
            require(actor, "documents.register", register.agency, _("Chỉ văn thư của cơ quan được lấy số."))
        year = timezone.localdate().year
        number = _next_number(register, year)
        if register.direction == Register.Direction.OUTGOING and document is not None:
            symbol = build_symbol(number, document.doc_type, register.notation, document.drafting_unit)
        else:
            symbol = format_number(number)
        (entry,) = compiled.insert(
            [
                NumberEntry(
                    register=register,
                    year=year,
                    number=number,
                    symbol=symbol,
                    document=document,
                    taken_by=actor if getattr(actor, "is_authenticated", False) else None,
                )
            ]
        )
        audit.record(
            "documents.take_number",
            obj=entry,
            actor=actor,
            data={"register": register.pk, "year": year, "number": number, "symbol": symbol},
        )
        return entry


def cancel_number(entry_id, *, actor, reason: str) -> NumberEntry:
    """Cancel a number taken by mistake, with a reason. It stays in the series, marked cancelled: the
    series goes on from the next number, so the number is never reused silently. An outgoing document
    that carried it goes back to "signed" to be numbered again."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise ServiceError(_("Nhập lý do hủy số."), field="reason")
    with transaction.atomic():
        entry = _get(NumberEntry, _pk(entry_id))
        register = entry.register
        require(actor, "documents.register", register.agency, _("Chỉ văn thư của cơ quan được hủy số."))
        if entry.cancelled_at:
            raise Conflict(_("Số này đã bị hủy trước đó."))
        doc = entry.document
        if doc is not None and doc.direction == D.OUTGOING and doc.status == S.RELEASED:
            raise Conflict(_("Văn bản đã phát hành; không thể hủy số của văn bản đã phát hành."))
        entry.cancelled_at = _now()
        entry.cancelled_by = actor
        entry.cancel_reason = reason[:500]
        entry.save(update_fields=["cancelled_at", "cancelled_by", "cancel_reason"])
        if doc is not None and doc.direction == D.OUTGOING and doc.status == S.ISSUED:
            doc = _get(Document, doc.pk)
            doc.status = S.SIGNED
            doc.number = doc.symbol = ""
            doc.register = None
            if doc.versions.exists():
                doc.file = doc.versions.first().file.name  # back to the leader-signed version
            _save(doc, ["status", "number", "symbol", "register", "file"])
            _trace(
                doc, actor, _("Hủy số %(symbol)s: %(reason)s") % {"symbol": entry.symbol, "reason": reason}
            )
            _changed(doc, "cancel_number", S.ISSUED, actor)
        audit.record("documents.cancel_number", obj=entry, actor=actor, data={"reason": reason})
        return entry


# the register a registration goes to when none is named (every received document): compiled once
# per secrecy (congso.core.compiled)
_FIRST_REGISTER = {
    secret: CompiledQuery(
        lambda agency_id, direction, secret=secret: (
            Register.objects.filter(agency_id=agency_id, direction=direction, is_active=True, secret=secret)
            .order_by("pk")
            .values_list(*fields_of(Register))[:1]
        ),
        model=Register,
    )
    for secret in (False, True)
}


def _register_for(agency, direction, secret, register_id=None) -> Register:
    qs = Register.objects.filter(agency=agency, direction=direction, is_active=True)
    if register_id not in (None, ""):
        register = qs.filter(pk=register_id).first()
        if register is None:
            raise ServiceError(_("Sổ đăng ký không thuộc cơ quan hoặc không đúng loại."), field="register")
    else:
        found = _FIRST_REGISTER[bool(secret)].instances(_pk(agency), direction)
        register = found[0] if found else None
        if register is None:
            kind = _("văn bản mật") if secret else _("thường")
            raise ServiceError(
                _("Cơ quan chưa có sổ đăng ký %(kind)s phù hợp; hãy tạo sổ trước.") % {"kind": kind},
                field="register",
            )
    if register.secret != bool(secret):
        raise ServiceError(
            _("Văn bản mật phải vào sổ văn bản mật, văn bản thường vào sổ thường."), field="register"
        )
    return register


def _checked_file(upload):
    if upload is None:
        return None
    return inspect_upload(upload, read_text=True)


def _store(document, checked, name_hint: str, *, recount: bool = False):
    """Store the checked file on ``document``; a PDF's page count fills ``pages`` when it is empty (a
    number typed at registration is kept) or, with ``recount``, always (a new signed, sealed file)."""
    document.file.save(f"{name_hint}{checked.extension}", ContentFile(checked.content), save=False)
    document.file_sha256 = checked.sha256
    if checked.kind == PDF and (recount or document.pages is None):
        document.pages = checked.pages  # counted by the upload check (core.uploads, PDFium)


# --- incoming documents -----------------------------------------------------------------------------


def register_incoming(
    *,
    actor,
    agency: Agency,
    metadata: dict,
    upload=None,
    register=None,
    source: str | None = None,
    pdf: bytes | None = None,
    signatures: list | None = None,
    origin: Document | None = None,
    as_system: bool = False,
    exchange_packet=None,
    exchange_id: str = "",
) -> Document:
    """Văn thư registers an incoming document: from paper (metadata typed), from an uploaded scan
    (PDF or image, checked by ``core.uploads``), from the exchange (``source="exchange"``, ``pdf`` the
    received file, ``signatures`` the result of their verification, ``metadata`` from the packet) or
    from another agency of the platform (``origin``). It takes the next arrival number of the register.
    A secret document is registered by its metadata only: any file is refused."""
    data = validation.clean_metadata(metadata, require_issue=origin is None)
    if source is None:
        source = Document.Source.SCAN if upload is not None else Document.Source.PAPER
    if source not in Document.Source.values:
        raise ServiceError(_("Nguồn văn bản không hợp lệ."), field="source")
    if data["secrecy"] and (upload is not None or pdf is not None):
        raise SecretContentRefused(
            _("Văn bản mật chỉ được vào sổ bằng thông tin; không tải nội dung văn bản mật lên hệ thống."),
            field="file",
        )
    checked = _checked_file(upload)
    if pdf is not None:
        checked = inspect_upload(pdf, allowed=(PDF,), read_text=True)
    text = (checked.text or "") if checked is not None else ""  # a PDF's, read by the upload check
    with transaction.atomic():
        if not as_system:
            require(
                actor, "documents.register", agency, _("Chỉ văn thư của cơ quan được vào sổ văn bản đến.")
            )
        reg = _register_for(agency, Register.Direction.INCOMING, data["secrecy"], _pk(register))
        doc = Document(
            direction=D.INCOMING,
            agency=agency,
            register=reg,
            status=S.REGISTERED,
            source=source,
            origin=origin,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
            external_metadata={"signatures": signatures or []} if source == Document.Source.EXCHANGE else {},
            exchange_packet=exchange_packet,
            exchange_id=(exchange_id or "")[:300],
            **data,
        )
        if checked is not None:
            _store(doc, checked, "den")
            doc.text = text
            if source == Document.Source.SCAN and needs_ocr(checked.kind, doc.text):
                doc.ocr_state = Document.OcrState.PENDING
        doc.refresh_search()
        # The arrival number last: the register's series stays locked from here to the commit, so the
        # file, its text and the search text are done before (registrations in parallel queue only here).
        entry = take_number(reg, actor=actor, as_system=True)
        doc.arrival_number, doc.arrived_at = entry.number, _now()
        compiled.insert([doc])  # every registration: the statement built once
        if doc.ocr_state == Document.OcrState.PENDING:
            _queue_ocr(doc.pk)
        entry.document = doc
        entry.save(update_fields=["document"])
        if doc.is_secret and getattr(actor, "is_authenticated", False):
            SecretReader.objects.create(document=doc, user=actor, named_by=actor)
        _trace(doc, actor, _("Vào sổ văn bản đến, số đến %(n)s.") % {"n": format_number(entry.number)})
        _report_back(doc, STATUS_REGISTERED, actor)
        _changed(doc, "register", None, actor)
        audit.record(
            "documents.register_incoming",
            obj=doc,
            actor=actor,
            data={
                "register": reg.pk,
                "arrival_number": entry.number,
                "source": source,
                "secret": doc.is_secret,
            },
        )
        return doc


def _pdf_text(content: bytes) -> str:
    """The PDF's own text layer (a scan has none: ``run_ocr`` reads it, ADR 0169), read by PDFium."""
    return pdftext.text(content)


# --- OCR of scans (ADR 0169) ------------------------------------------------------------------------

OCR_MIN_TEXT = 20  # a PDF whose text layer has fewer letters than this is a scan


def needs_ocr(kind: str, text: str) -> bool:
    """An uploaded scan is read when it is an image, or a PDF without a usable text layer. (Documents
    received electronically, through the exchange or the platform, are born digital: not read.)"""
    if kind != PDF:
        return True
    return sum(1 for c in text or "" if c.isalnum()) < OCR_MIN_TEXT


def _queue_ocr(pk: int) -> None:
    """Hand the document to the OCR job once the registration commits. A broken queue never breaks the
    registration: the document stays "pending" and ``congso documents ocr`` reads it."""

    def enqueue():
        try:
            ocr_document.enqueue(pk)
        except Exception:  # noqa: BLE001 — stays pending, logged for operators
            log.exception("could not enqueue OCR of document %s", pk)

    transaction.on_commit(enqueue)


def run_ocr(document_id) -> Document | None:
    """Read the text of a scanned document by OCR (the background job; ``congso documents ocr`` runs the
    pending ones). Tesseract runs outside any transaction (seconds a page); the text is then written under
    the row's lock, kept apart from the file's own text layer, and searched. A secret document never has a
    file, so never reaches here. Returns None when there is nothing to do."""
    doc = Document.objects.filter(pk=_pk(document_id)).only("pk", "file", "ocr_state", "secrecy").first()
    if doc is None or not doc.file or doc.is_secret or doc.ocr_state != Document.OcrState.PENDING:
        return None
    with doc.file.open("rb") as fh:
        content = fh.read()
    kind = inspect_upload(content).kind
    error = ""
    text = ""
    try:
        text = ocr.extract(content, kind)
    except ocr.OcrUnavailable as exc:
        log.warning("OCR of document %s waits: %s", doc.pk, exc)
        return None  # stays pending until the programs are installed
    except ocr.OcrFailed as exc:
        error = str(exc)[:500]
        log.warning("OCR of document %s failed: %s", doc.pk, error)
    with transaction.atomic():
        doc = _get(Document, doc.pk)
        if doc.ocr_state != Document.OcrState.PENDING:
            return doc  # done by a concurrent job
        doc.ocr_state = Document.OcrState.FAILED if error else Document.OcrState.DONE
        doc.ocr_text = text[:500000]
        doc.ocr_error = error
        doc.ocr_at = _now()
        _save(doc, ["ocr_state", "ocr_text", "ocr_error", "ocr_at"])
        audit.record(
            "documents.ocr",
            obj=doc,
            data={"state": doc.ocr_state, "characters": len(doc.ocr_text), "error": error},
        )
        return doc


def correct_ocr(document_id, *, actor, text: str) -> Document:
    """Văn thư checks the OCR text against the scan and corrects it (searched from then on)."""
    text = (text or "").strip()
    if len(text) > 500000:
        raise ServiceError(_("Nội dung quá dài."), field="text")
    with transaction.atomic():
        doc = _get(Document, _pk(document_id))
        require(
            actor, "documents.register", doc.agency, _("Chỉ văn thư của cơ quan được sửa nội dung nhận dạng.")
        )
        if doc.ocr_state not in (Document.OcrState.DONE, Document.OcrState.FAILED):
            raise Conflict(_("Văn bản này chưa được nhận dạng chữ."), field="text")
        doc.ocr_text = text
        doc.ocr_state = Document.OcrState.DONE
        _save(doc, ["ocr_text", "ocr_state"])
        _trace(doc, actor, _("Văn thư đã kiểm tra, sửa nội dung nhận dạng chữ (OCR)."))
        audit.record("documents.correct_ocr", obj=doc, actor=actor, data={"characters": len(text)})
        return doc


def retry_ocr(document_id, *, actor) -> Document:
    """Văn thư asks to read a scan again (after a failure)."""
    with transaction.atomic():
        doc = _get(Document, _pk(document_id))
        require(actor, "documents.register", doc.agency, _("Chỉ văn thư của cơ quan được nhận dạng lại."))
        if not doc.file or doc.is_secret:
            raise Conflict(_("Văn bản không có bản quét để nhận dạng."))
        if doc.ocr_state == Document.OcrState.PENDING:
            raise Conflict(_("Văn bản đang chờ nhận dạng."))
        doc.ocr_state = Document.OcrState.PENDING
        doc.ocr_error = ""
        _save(doc, ["ocr_state", "ocr_error"])
        audit.record("documents.retry_ocr", obj=doc, actor=actor)
        _queue_ocr(doc.pk)
        return doc


def pending_ocr(limit=None) -> list[int]:
    qs = (
        Document.objects.filter(ocr_state=Document.OcrState.PENDING)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    return list(qs[:limit] if limit else qs)


# The order statuses follow at the receiver: one is reported only if it moves the document forward.
STATUS_ORDER = ("01", "03", "04", "05", "06")


def _report_back(incoming: Document, code: str, actor=None, description: str = "") -> None:
    """An incoming document tells its sender where it is: directly for an agency of the platform, through
    the exchange hub (a status message in the exchange outbox, same transaction) for a received packet."""
    if incoming.origin_id is not None:
        Recipient.objects.filter(document_id=incoming.origin_id, incoming=incoming).update(
            status_code=code, updated_at=_now()
        )
    if incoming.exchange_packet_id is None:
        return
    packet = incoming.exchange_packet
    current = packet.local_status
    if current == "02" or current == code:
        return
    if code != "02" and current in STATUS_ORDER and STATUS_ORDER.index(code) <= STATUS_ORDER.index(current):
        return
    try:
        exchange_services.report_status(
            packet,
            code,
            actor=actor if getattr(actor, "is_authenticated", False) else None,
            description=description,
            as_system=True,  # the documents rules allowed this step already
        )
    except Conflict as exc:  # no seal to sign the status with: the step stands, the sender is not told
        log.warning("status %s of document %s not reported: %s", code, incoming.pk, exc.message)


def route(document_id, *, actor, note: str = "") -> Document:
    """Văn thư sends a registered document to the leader for assignment."""
    with transaction.atomic():
        doc = _get(Document, _pk(document_id))
        before = doc.status
        t = INCOMING.check("route", state=doc.status, actor=actor, obj=doc)
        doc.save(update_fields=INCOMING.apply(doc, t.name))
        _trace(doc, actor, note or _("Trình lãnh đạo phân công xử lý."))
        _changed(doc, "route", before, actor)
        audit.record("documents.route", obj=doc, actor=actor, data={"note": note})
        return doc


def refuse(document_id, *, actor, reason: str) -> Document:
    """Văn thư or the leader refuses a document received through the exchange (wrong recipient, not
    the agency's competence …): the sender is told why with a status 02."""
    reason = " ".join((reason or "").split())
    with transaction.atomic():
        doc = _get(Document, _pk(document_id))
        INCOMING.check("refuse", state=doc.status, actor=actor, obj=doc, provided={"reason": reason})
        before = doc.status
        doc.refusal = reason[:2000]
        _save(doc, [*INCOMING.apply(doc, "refuse"), "refusal"])
        _trace(doc, actor, _("Từ chối tiếp nhận: %(reason)s") % {"reason": reason})
        _report_back(doc, "02", actor, description=reason[:1000])
        _changed(doc, "refuse", before, actor)
        audit.record("documents.refuse", obj=doc, actor=actor, data={"reason": reason[:500]})
        return doc


def deadline_from(agency: Agency, *, deadline=None, working_days=None) -> dt.date | None:
    """A handling deadline: a date, or a number of working days from today (the province's calendar)."""
    if deadline not in (None, ""):
        if isinstance(deadline, str):
            errors: dict = {}
            deadline = validation._date(deadline, "deadline", errors)
            if errors:
                raise ServiceError(errors["deadline"][0], field="deadline")
        if deadline < timezone.localdate():
            raise ServiceError(_("Hạn xử lý không được trước hôm nay."), field="deadline")
        return deadline
    if working_days in (None, ""):
        return None
    try:
        n = int(working_days)
        if not 0 < n <= 365:
            raise ValueError
    except (TypeError, ValueError):
        raise ServiceError(_("Số ngày làm việc là một số từ 1 đến 365."), field="working_days") from None
    return get_calendar(agency.unit).nth_working_day_after(timezone.localdate(), n)


def _staff(agency, users, field):
    """Users who work at the agency (or a unit under it)."""
    out = []
    User = get_user_model()
    for u in users:
        user = u if isinstance(u, User) else User.objects.filter(pk=u).first()
        if user is None or not member_of(user, agency):
            raise ServiceError(_("Người được giao phải là cán bộ của cơ quan."), field=field)
        out.append(user)
    return out


def assign(
    document_id, *, actor, lead, co=(), readers=(), deadline=None, working_days=None, note=""
) -> Document:
    """The leader assigns the lead handler (chủ trì), co-handlers (phối hợp) and readers (để biết),
    with a deadline (a date or working days)."""
    with transaction.atomic():
        doc = _get(Document, _pk(document_id))
        before = doc.status
        INCOMING.check("assign", state=doc.status, actor=actor, obj=doc, provided={"assignee": lead})
        (lead_user,) = _staff(doc.agency, [lead], "lead")
        co_users = _staff(doc.agency, co, "co")
        reader_users = _staff(doc.agency, readers, "readers")
        seen = set()
        for u in [lead_user, *co_users, *reader_users]:
            if u.pk in seen:
                raise ServiceError(_("Mỗi người chỉ nhận một vai trò xử lý."), field="co")
            seen.add(u.pk)
        due = deadline_from(doc.agency, deadline=deadline, working_days=working_days)
        if doc.assignments.filter(kind=Assignment.Kind.LEAD).exclude(user=lead_user).exists():
            doc.assignments.filter(kind=Assignment.Kind.LEAD).delete()
        for user, kind in [
            (lead_user, "lead"),
            *[(u, "co") for u in co_users],
            *[(u, "reader") for u in reader_users],
        ]:
            Assignment.objects.update_or_create(
                document=doc, user=user, defaults={"kind": kind, "deadline": due, "assigned_by": actor}
            )
            if doc.is_secret:
                SecretReader.objects.get_or_create(document=doc, user=user, defaults={"named_by": actor})
        doc.handling_deadline = due
        doc.save(update_fields=[*INCOMING.apply(doc, "assign"), "handling_deadline"])
        _trace(
            doc,
            actor,
            _("Phân công: chủ trì %(lead)s; hạn %(due)s. %(note)s")
            % {
                "lead": lead_user.full_name or lead_user.username,
                "due": due.strftime("%d/%m/%Y") if due else "—",
                "note": note,
            },
        )
        _report_back(doc, STATUS_ASSIGNED, actor)
        _changed(doc, "assign", before, actor)
        audit.record(
            "documents.assign",
            obj=doc,
            actor=actor,
            data={
                "lead": lead_user.pk,
                "co": [u.pk for u in co_users],
                "readers": [u.pk for u in reader_users],
                "deadline": str(due or ""),
            },
        )
        return doc


def add_opinion(document_id, *, actor, text: str) -> Note:
    text = (text or "").strip()
    if not text:
        raise ServiceError(_("Nhập ý kiến xử lý."), field="text")
    with transaction.atomic():
        doc = _get(Document, _pk(document_id))
        require(
            actor, "documents.handle", doc, _("Chỉ người được phân công chủ trì, phối hợp mới cho ý kiến.")
        )
        if doc.status != S.IN_PROGRESS:
            raise Conflict(_("Văn bản không còn đang xử lý."))
        note = _trace(doc, actor, text[:5000], kind=Note.Kind.OPINION)
        _report_back(doc, STATUS_IN_PROCESS, actor)
        audit.record("documents.opinion", obj=doc, actor=actor)
        return note


def sub_assign(document_id, *, actor, user, kind="co", deadline=None) -> Assignment:
    """A handler passes part of the work on (phối hợp or để biết) to a colleague, under their own deadline."""
    if kind not in (Assignment.Kind.CO, Assignment.Kind.READER):
        raise ServiceError(_("Chỉ giao tiếp phối hợp hoặc để biết."), field="kind")
    with transaction.atomic():
        doc = _get(Document, _pk(document_id))
        require(actor, "documents.handle", doc, _("Chỉ người được phân công mới giao tiếp."))
        if doc.status != S.IN_PROGRESS:
            raise Conflict(_("Văn bản không còn đang xử lý."))
        (target,) = _staff(doc.agency, [user], "user")
        parent = doc.assignments.get(user=actor)
        due = deadline_from(doc.agency, deadline=deadline) or parent.deadline
        if parent.deadline and due and due > parent.deadline:
            raise ServiceError(_("Hạn giao tiếp không được sau hạn của mình."), field="deadline")
        if doc.assignments.filter(user=target).exists():
            raise Conflict(_("Người này đã được phân công văn bản."), field="user")
        a = Assignment.objects.create(
            document=doc, user=target, kind=kind, deadline=due, assigned_by=actor, parent=parent
        )
        if doc.is_secret:
            SecretReader.objects.get_or_create(document=doc, user=target, defaults={"named_by": actor})
        _trace(doc, actor, _("Giao tiếp cho %(name)s.") % {"name": target.full_name or target.username})
        audit.record("documents.sub_assign", obj=doc, actor=actor, data={"user": target.pk, "kind": kind})
        return a


def attach_draft(document_id, *, actor, upload, note="") -> DraftVersion:
    """A handler attaches a draft (a reply, a report) to the incoming document's file."""
    checked = inspect_upload(upload)
    with transaction.atomic():
        doc = _get(Document, _pk(document_id))
        if doc.direction == D.OUTGOING:
            return add_version(doc, actor=actor, upload=upload, note=note)
        require(actor, "documents.handle", doc, _("Chỉ người được phân công mới đính kèm dự thảo."))
        if doc.is_secret:
            raise SecretContentRefused(_("Không tải nội dung văn bản mật lên hệ thống."), field="file")
        return _new_version(doc, actor, checked, note)


def _new_version(doc, actor, checked, note):
    last = doc.versions.order_by("-version").values_list("version", flat=True).first() or 0
    v = DraftVersion(
        document=doc, version=last + 1, sha256=checked.sha256, note=(note or "")[:500], created_by=actor
    )
    v.file.save(f"du-thao-{doc.pk}-v{last + 1}{checked.extension}", ContentFile(checked.content), save=False)
    v.save()
    audit.record(
        "documents.add_version", obj=doc, actor=actor, data={"version": v.version, "sha256": v.sha256}
    )
    return v


def finish(document_id, *, actor, result: str) -> Document:
    """The lead handler marks the work done with its result."""
    result = (result or "").strip()
    with transaction.atomic():
        doc = _get(Document, _pk(document_id))
        before = doc.status
        INCOMING.check("finish", state=doc.status, actor=actor, obj=doc, provided={"note": result})
        doc.result = result[:5000]
        doc.save(update_fields=[*INCOMING.apply(doc, "finish"), "result"])
        doc.assignments.filter(done_at__isnull=True).update(done_at=doc.done_at)
        _trace(doc, actor, result, kind=Note.Kind.RESULT)
        _report_back(doc, STATUS_DONE, actor, description=doc.result[:1000])
        _changed(doc, "finish", before, actor)
        audit.record("documents.finish", obj=doc, actor=actor, data={"on_time": on_time(doc)})
        return doc


def on_time(doc: Document) -> bool | None:
    if doc.handling_deadline is None or doc.done_at is None:
        return None
    return timezone.localtime(doc.done_at).date() <= doc.handling_deadline


def name_secret_readers(document_id, *, actor, users) -> list[SecretReader]:
    """The leader names who may see a secret document (nobody else sees it)."""
    with transaction.atomic():
        doc = _get(Document, _pk(document_id))
        require(
            actor,
            "documents.name_readers",
            doc,
            _("Chỉ lãnh đạo cơ quan được chỉ định người xem văn bản mật."),
        )
        out = []
        for user in _staff(doc.agency, users, "users"):
            r, _created = SecretReader.objects.get_or_create(
                document=doc, user=user, defaults={"named_by": actor}
            )
            out.append(r)
        audit.record("documents.name_readers", obj=doc, actor=actor, data={"users": [r.user_id for r in out]})
        return out


# --- outgoing documents --------------------------------------------------------------------------


def create_draft(*, actor, agency: Agency, metadata: dict, upload=None) -> Document:
    """A drafter starts an outgoing document (a PDF draft, version 1). A secret draft keeps its
    metadata only."""
    data = validation.clean_metadata(metadata)
    if data["secrecy"] and upload is not None:
        raise SecretContentRefused(
            _("Văn bản mật chỉ được quản lý bằng thông tin; không tải nội dung lên hệ thống."), field="file"
        )
    if not data["secrecy"] and upload is None:
        raise ServiceError(_("Tải lên tệp dự thảo (PDF)."), field="file")
    checked = inspect_upload(upload, allowed=(PDF,)) if upload is not None else None
    with transaction.atomic():
        require(actor, "documents.draft", agency, _("Bạn không soạn thảo văn bản cho cơ quan này."))
        data.pop("number", None)
        data.pop("symbol", None)
        doc = Document(
            direction=D.OUTGOING,
            agency=agency,
            status=S.DRAFT,
            source=Document.Source.DRAFTED,
            issuing_organ=data.pop("issuing_organ") or agency.name,
            created_by=actor,
            **data,
        )
        doc.refresh_search()
        doc.save()
        if checked is not None:
            _new_version(doc, actor, checked, _("Dự thảo lần đầu"))
        if doc.is_secret:
            SecretReader.objects.create(document=doc, user=actor, named_by=actor)
        _trace(doc, actor, _("Tạo dự thảo."))
        audit.record("documents.create_draft", obj=doc, actor=actor, data={"secret": doc.is_secret})
        return doc


def add_version(document_id, *, actor, upload, note="") -> DraftVersion:
    checked = inspect_upload(upload, allowed=(PDF,))
    with transaction.atomic():
        doc = _get(Document, _pk(document_id))
        require(actor, "documents.edit_draft", doc, _("Chỉ người soạn thảo được cập nhật dự thảo."))
        if doc.status not in (S.DRAFT, S.RETURNED):
            raise Conflict(_("Chỉ cập nhật dự thảo khi đang soạn hoặc bị trả lại."))
        if doc.is_secret:
            raise SecretContentRefused(_("Không tải nội dung văn bản mật lên hệ thống."), field="file")
        return _new_version(doc, actor, checked, note)


def comment(document_id, *, actor, text: str) -> Note:
    text = (text or "").strip()
    if not text:
        raise ServiceError(_("Nhập nội dung góp ý."), field="text")
    with transaction.atomic():
        doc = _get(Document, _pk(document_id))
        require(actor, "documents.view", doc)
        if doc.direction != D.OUTGOING or doc.status in (S.ISSUED, S.RELEASED):
            raise Conflict(_("Chỉ góp ý dự thảo chưa phát hành."))
        note = _trace(doc, actor, text[:5000], kind=Note.Kind.COMMENT, version=doc.versions.first())
        audit.record("documents.comment", obj=doc, actor=actor)
        return note


def _steps(agency):
    return list(ReviewStep.objects.filter(agency=agency).order_by("position"))


def save_review_chain(*, actor, agency, steps: list[dict]) -> list[ReviewStep]:
    """The agency administrator sets its review chain: [{"title": …, "role": …}, …] in order."""
    clean = []
    for i, s in enumerate(steps):
        title = " ".join(str(s.get("title") or "").split())
        role = s.get("role")
        if not title:
            raise ServiceError(_("Nhập tên bước duyệt %(n)s.") % {"n": i + 1}, field="title")
        if role not in (Role.OFFICER, Role.LEADER, Role.CLERICAL):
            raise ServiceError(_("Vai trò duyệt không hợp lệ ở bước %(n)s.") % {"n": i + 1}, field="role")
        clean.append((title, role))
    with transaction.atomic():
        require(
            actor, "documents.manage_registers", agency, _("Bạn không cấu hình quy trình của cơ quan này.")
        )
        if Document.objects.filter(agency=agency, status=S.IN_REVIEW).exists():
            raise Conflict(_("Còn dự thảo đang trình duyệt; chờ duyệt xong trước khi đổi quy trình."))
        ReviewStep.objects.filter(agency=agency).delete()
        out = [
            ReviewStep.objects.create(agency=agency, position=i + 1, title=t, role=r)
            for i, (t, r) in enumerate(clean)
        ]
        audit.record(
            "documents.review_chain", obj=agency, actor=actor, data={"steps": [t for t, _r in clean]}
        )
        return out


def submit(document_id, *, actor, note="") -> Document:
    """The drafter submits the draft to the first step of the agency's review chain (straight to the
    leader's signature when the agency has no chain)."""
    with transaction.atomic():
        doc = _get(Document, _pk(document_id))
        before = doc.status
        OUTGOING.check("submit", state=doc.status, actor=actor, obj=doc)
        if not doc.is_secret and not doc.versions.exists():
            raise ServiceError(_("Dự thảo chưa có tệp."), field="file")
        steps = _steps(doc.agency)
        doc.review_step = steps[0] if steps else None
        doc.status = S.IN_REVIEW if steps else S.TO_SIGN
        _save(doc, ["status", "review_step"])
        _trace(doc, actor, note or _("Trình duyệt dự thảo."))
        _changed(doc, "submit", before, actor)
        audit.record("documents.submit", obj=doc, actor=actor)
        return doc


def approve(document_id, *, actor, note="") -> Document:
    """The reviewer of the current step approves: the next step, or after the last the leader's signature."""
    with transaction.atomic():
        doc = _get(Document, _pk(document_id))
        before = doc.status
        OUTGOING.check("approve", state=doc.status, actor=actor, obj=doc)
        steps = _steps(doc.agency)
        current = doc.review_step
        after = [s for s in steps if current is None or s.position > current.position]
        doc.review_step = after[0] if after else None
        if not after:
            doc.status = S.TO_SIGN
        _save(doc, ["status", "review_step"])
        _trace(
            doc,
            actor,
            (_("Duyệt (%(step)s). ") % {"step": current.title if current else "—"}) + note,
            kind=Note.Kind.REVIEW,
            version=doc.versions.first(),
        )
        _changed(doc, "approve", before, actor)
        audit.record(
            "documents.approve", obj=doc, actor=actor, data={"step": current.title if current else ""}
        )
        return doc


def return_for_revision(document_id, *, actor, reason: str) -> Document:
    reason = (reason or "").strip()
    with transaction.atomic():
        doc = _get(Document, _pk(document_id))
        before = doc.status
        OUTGOING.check("return", state=doc.status, actor=actor, obj=doc, provided={"reason": reason})
        doc.review_step = None
        doc.status = S.RETURNED
        _save(doc, ["status", "review_step"])
        _trace(doc, actor, reason[:5000], kind=Note.Kind.RETURN, version=doc.versions.first())
        _changed(doc, "return", before, actor)
        audit.record("documents.return", obj=doc, actor=actor, data={"reason": reason})
        return doc


def personal_key(user) -> SigningKey | None:
    now = timezone.now()
    return (
        SigningKey.objects.filter(
            user_id=user.pk,
            kind=SigningKey.Kind.PERSONAL,
            is_active=True,
            not_before__lte=now,
            not_after__gt=now,
        )
        .order_by("-created_at")
        .first()
    )


def seal_key(agency) -> SigningKey | None:
    now = timezone.now()
    return (
        SigningKey.objects.filter(
            agency=agency, kind=SigningKey.Kind.SEAL, is_active=True, not_before__lte=now, not_after__gt=now
        )
        .order_by("-created_at")
        .first()
    )


def sign(document_id, *, actor, pin: str | None = None) -> Document:
    """The leader signs the newest version with their personal key (PAdES, a new revision of the PDF).
    A secret document is signed on paper: its signer is recorded, no file."""
    with transaction.atomic():
        doc = _get(Document, _pk(document_id))
        before = doc.status
        OUTGOING.check("sign", state=doc.status, actor=actor, obj=doc)
        membership = actor.memberships.filter(agency=doc.agency, role=Role.LEADER).first()
        doc.signer_name = actor.full_name or actor.username
        doc.signer_position = (membership.position if membership else "") or doc.signer_position
        fields = ["signer_name", "signer_position", *OUTGOING.apply(doc, "sign")]
        if not doc.is_secret:
            key = personal_key(actor)
            if key is None:
                raise ServiceError(_("Bạn chưa có chứng thư số cá nhân còn hiệu lực để ký."), code="no_key")
            version = doc.versions.first()
            with version.file.open("rb") as fh:
                content = fh.read()
            signed = sign_pdf(content, key, actor=actor, pin=pin or None, reason=_("Ký ban hành văn bản"))
            checked = inspect_upload(signed.data, allowed=(PDF,))
            v = _new_version(doc, actor, checked, _("Bản đã ký số của lãnh đạo"))
            doc.file = v.file.name
            doc.file_sha256 = v.sha256
            doc.external_metadata = {
                **doc.external_metadata,
                "sign_box": [signed.page, list(signed.box or [])],
            }
            fields += ["file", "file_sha256", "external_metadata"]
        _save(doc, fields)
        _trace(doc, actor, _("Lãnh đạo đã ký số."))
        _changed(doc, "sign", before, actor)
        audit.record("documents.sign", obj=doc, actor=actor)
        return doc


def issue(document_id, *, actor, register=None) -> Document:
    """Văn thư numbers the signed document in the outgoing register, stamps the number and date into the
    PDF and seals it with the agency's key: two more incremental PAdES signatures (the seal over the
    leader's signature, Decree 30 Appendix I, and the agency's stamp with number and date in the corner)."""
    with transaction.atomic():
        doc = _get(Document, _pk(document_id))
        before = doc.status
        OUTGOING.check("issue", state=doc.status, actor=actor, obj=doc)
        reg = _register_for(doc.agency, Register.Direction.OUTGOING, doc.is_secret, _pk(register))
        key = None
        if not doc.is_secret:
            key = seal_key(doc.agency)
            if key is None:
                raise ServiceError(_("Cơ quan chưa có khoá ký số (con dấu điện tử)."), code="no_seal")
        entry = take_number(reg, actor=actor, document=doc)
        today = timezone.localdate()
        doc.register = reg
        doc.number = format_number(entry.number)
        doc.symbol = entry.symbol
        doc.issued_on = today
        fields = ["register", "number", "symbol", "issued_on", *OUTGOING.apply(doc, "issue")]
        if key is not None:
            with doc.file.open("rb") as fh:
                data = fh.read()
            width, height = page_size(check_pdf_bytes(data), 0)
            stamp = _("%(symbol)s, ngày %(date)s") % {
                "symbol": entry.symbol,
                "date": today.strftime("%d/%m/%Y"),
            }
            page, box = doc.external_metadata.get("sign_box") or [None, None]
            with override("vi"):
                appearances = [
                    corner_appearance(
                        key, at=vn_now(), doc_number=stamp, page_width=width, page_height=height
                    )
                ]
                if box:
                    appearances.insert(0, seal_over(key, tuple(box), at=vn_now(), page=page))
            for appearance in appearances:
                data = sign_pdf(
                    data,
                    key,
                    actor=actor,
                    appearance=appearance,
                    reason=_("Phát hành văn bản %(s)s") % {"s": entry.symbol},
                ).data
            checked = inspect_upload(data, allowed=(PDF,))
            _store(doc, checked, f"vb-{doc.pk}", recount=True)
            doc.text = _pdf_text(checked.content)
            fields += ["file", "file_sha256", "text", "pages"]
        _save(doc, fields)
        _trace(doc, actor, _("Cấp số %(symbol)s, đóng dấu.") % {"symbol": entry.symbol})
        _changed(doc, "issue", before, actor)
        audit.record(
            "documents.issue", obj=doc, actor=actor, data={"symbol": entry.symbol, "register": reg.pk}
        )
        return doc


def release(document_id, *, actor, agencies=(), external=(), public=False) -> Document:
    """Văn thư releases an issued document: each agency of the platform gets an incoming entry at once
    (registered in its incoming register, for its văn thư to route); each external recipient
    ({"organ_id", "name"}) is recorded "waiting to send" for the exchange. A secret document never
    travels over the network: it is recorded as released on paper, without electronic recipients.
    ``public``: published at once on the agency's portal (``set_public``, in the same transaction: a
    secret document asked to be public is refused and nothing is released)."""
    with transaction.atomic():
        doc = _get(Document, _pk(document_id))
        before = doc.status
        OUTGOING.check(
            "release",
            state=doc.status,
            actor=actor,
            obj=doc,
            provided={"agency": list(agencies) or list(external) or doc.is_secret},
        )
        if doc.is_secret and (agencies or external):
            raise SecretContentRefused(_("Văn bản mật không được gửi qua mạng; phát hành bằng bản giấy."))
        if not doc.is_secret and not doc.file:
            raise ServiceError(_("Văn bản chưa có bản ký số; không thể phát hành."))
        targets = []
        for a in agencies:
            agency = a if isinstance(a, Agency) else Agency.objects.filter(code=a, is_active=True).first()
            if agency is None:
                raise ServiceError(_("Không tìm thấy cơ quan nhận %(code)s.") % {"code": a}, field="agencies")
            if agency.pk == doc.agency_id:
                raise ServiceError(_("Không gửi văn bản cho chính cơ quan ban hành."), field="agencies")
            targets.append(agency)
        doc.save(update_fields=OUTGOING.apply(doc, "release"))
        content = b""
        if doc.file:
            with doc.file.open("rb") as fh:
                content = fh.read()
        for agency in targets:
            incoming = _deliver(doc, agency, content, actor)
            Recipient.objects.create(
                document=doc,
                agency=agency,
                organ_id=agency.code,
                name=agency.name,
                state=Recipient.State.DELIVERED,
                incoming=incoming,
                status_code=STATUS_REGISTERED,
            )
        by_hub = []
        for e in external:
            organ_id = str(e.get("organ_id") or "").strip()
            name = str(e.get("name") or "").strip()
            if not organ_id or not name:
                raise ServiceError(_("Nơi nhận bên ngoài cần mã định danh và tên cơ quan."), field="external")
            if organ_id == doc.agency.code:
                raise ServiceError(_("Không gửi văn bản cho chính cơ quan ban hành."), field="external")
            if any(a.code == organ_id for a in targets):
                raise ServiceError(
                    _("%(name)s đã nhận trong hệ thống; không gửi thêm qua trục.") % {"name": name},
                    field="external",
                )
            r = Recipient.objects.create(
                document=doc, organ_id=organ_id[:35], name=name[:255], state=Recipient.State.WAITING
            )
            if agency_by_code(organ_id) is not None:  # in the exchange directory: through the hub
                by_hub.append(r)
        if by_hub:
            packet = exchange_services.send_packet(
                sender=doc.agency, packet=packet_for(doc, by_hub, content), actor=actor
            )
            Recipient.objects.filter(pk__in=[r.pk for r in by_hub]).update(packet=packet)
        _trace(doc, actor, _("Phát hành văn bản."))
        _changed(doc, "release", before, actor)
        audit.record(
            "documents.release",
            obj=doc,
            actor=actor,
            data={
                "agencies": [a.code for a in targets],
                "external": [str(e.get("organ_id")) for e in external],
            },
        )
        if public:
            doc = set_public(doc.pk, actor=actor, public=True)
        return doc


def set_public(document_id, *, actor, public: bool = True) -> Document:
    """Văn thư or a leader publishes a released outgoing document on the agency's portal (a legal or
    directive document the public may read and download, ``selectors.public_documents``), or withdraws
    it. A secret document can never be public; a document not yet released cannot be either, nor one
    whose recall was asked (the recall took it off the portal)."""
    public = bool(public)
    with transaction.atomic():
        doc = _get(Document, _pk(document_id))
        require(
            actor, "documents.publish", doc, _("Chỉ văn thư hoặc lãnh đạo cơ quan được công khai văn bản.")
        )
        if doc.is_secret:
            raise SecretContentRefused(_("Văn bản mật không bao giờ được công khai."), field="public")
        if public and doc.status != S.RELEASED:
            raise Conflict(_("Chỉ công khai văn bản đã phát hành."), field="public")
        if public and doc.recalled_at is not None:  # the recall took it off the portal (ADR 0176)
            raise Conflict(_("Văn bản đã được đề nghị thu hồi; không công khai lại."), field="public")
        if public and not doc.file:
            raise Conflict(_("Văn bản chưa có bản ký số để công khai."), field="public")
        if doc.is_public == public:
            raise Conflict(
                _("Văn bản đã được công khai.") if public else _("Văn bản đang không công khai."),
                field="public",
            )
        doc.is_public = public
        doc.published_at = _now() if public else None
        _save(doc, ["is_public", "published_at"])
        _trace(doc, actor, _("Công khai văn bản.") if public else _("Thôi công khai văn bản."))
        _changed(doc, "publish" if public else "unpublish", doc.status, actor)
        audit.record("documents.publish" if public else "documents.unpublish", obj=doc, actor=actor)
        return doc


def packet_for(doc: Document, recipients, content: bytes) -> edxml.Packet:
    """The edXML packet of a released document: the header from its metadata, the sealed PDF attached."""
    number, _sep, notation = doc.symbol.partition("/")
    if not notation:
        number, notation = doc.number, doc.symbol
    unit = getattr(doc.agency, "unit", None)
    return edxml.Packet(
        sender=exchange_services.organ_for(doc.agency),
        recipients=[edxml.Organ(r.organ_id, r.name) for r in recipients],
        code_number=number,
        code_notation=notation,
        promulgation_date=doc.issued_on or timezone.localdate(),
        place=getattr(unit, "name", "") or "",
        type_name=doc.doc_type.name,
        subject=doc.subject,
        signer=edxml.Signer(doc.signer_authority, doc.signer_position, doc.signer_name),
        due_date=doc.due_date,
        to_places=[line.strip() for line in doc.recipients_text.splitlines() if line.strip()],
        priority=int(doc.urgency),
        page_amount=doc.pages or 0,
        attachments=[
            edxml.Attachment(
                "cid:1", f"{(doc.symbol or str(doc.pk)).replace('/', '-')}.pdf", "application/pdf", content
            )
        ]
        if content
        else [],
    )


def _deliver(doc: Document, agency: Agency, content: bytes, actor) -> Document:
    metadata = {
        "doc_type": doc.doc_type,
        "subject": doc.subject,
        "number": doc.number,
        "symbol": doc.symbol,
        "issued_on": doc.issued_on,
        "issuing_organ": doc.issuing_organ,
        "signer_name": doc.signer_name,
        "signer_position": doc.signer_position,
        "urgency": doc.urgency,
        "pages": doc.pages,
        "due_date": doc.due_date,
    }
    if not Register.objects.filter(
        agency=agency, direction=Register.Direction.INCOMING, secret=False, is_active=True
    ).exists():
        raise ServiceError(
            _("%(name)s chưa có sổ văn bản đến trên hệ thống; gửi qua trục liên thông hoặc bản giấy.")
            % {"name": agency.name},
            field="agencies",
        )
    return register_incoming(
        actor=actor,
        agency=agency,
        metadata=metadata,
        pdf=content or None,
        source=Document.Source.INTERNAL,
        origin=doc,
        as_system=True,
    )


def mark_sent(recipient_id, *, ok: bool, actor=None) -> Recipient:
    """The exchange reports the outcome of sending to an external recipient."""
    with transaction.atomic():
        r = _get(Recipient, _pk(recipient_id))
        if r.state not in (Recipient.State.WAITING, Recipient.State.FAILED):
            raise Conflict(_("Nơi nhận này không chờ gửi."))
        r.state = Recipient.State.SENT if ok else Recipient.State.FAILED
        r.updated_at = _now()
        r.save(update_fields=["state", "updated_at"])
        audit.record("documents.sent", obj=r.document, actor=actor, data={"recipient": r.pk, "ok": ok})
        return r


def record_status(recipient_id, *, code: str, actor=None) -> Recipient:
    """A status message from a recipient (03 registered, 04 assigned, 05 in process, 06 done …)."""
    if code not in STATUS_LABELS:
        raise ServiceError(_("Mã trạng thái không hợp lệ."), field="code")
    with transaction.atomic():
        r = _get(Recipient, _pk(recipient_id))
        r.status_code = code
        r.updated_at = _now()
        r.save(update_fields=["status_code", "updated_at"])
        audit.record("documents.status", obj=r.document, actor=actor, data={"recipient": r.pk, "code": code})
        return r


# --- recall of a document we sent through the exchange (edXML business 1) ---------------------------


def recall(document_id, *, actor, reason: str) -> Document:
    """Văn thư of the agency that released a document through the exchange asks its recipients to recall
    it, with a reason: a recall packet (business 1, the same edXML DocumentId, the original recipients
    on the hub) is signed with the agency's seal and queued, with the document's stamp, its trace and
    the audit entry, in one transaction. The document stays released (a public one leaves the portal);
    each recipient's answer (15 agreed, 16 refused) comes back through the exchange."""
    reason = " ".join((reason or "").split())
    with transaction.atomic():
        doc = _get(Document, _pk(document_id))
        if doc.direction != D.OUTGOING:
            raise Conflict(_("Chỉ thu hồi được văn bản đi do cơ quan mình phát hành."))
        require(
            actor,
            "documents.recall",
            doc,
            _("Chỉ văn thư của cơ quan phát hành được thu hồi văn bản đã gửi qua trục liên thông."),
        )
        t = OUTGOING.check("recall", state=doc.status, actor=actor, obj=doc, provided={"reason": reason})
        if doc.recalled_at is not None:
            raise Conflict(
                _("Văn bản đã được đề nghị thu hồi ngày %(at)s; không gửi đề nghị thu hồi lần nữa.")
                % {"at": timezone.localtime(doc.recalled_at).strftime("%d/%m/%Y %H:%M")}
            )
        sent = _sent_through_hub(
            doc, _("Văn bản không được gửi qua trục liên thông văn bản; không có nơi nhận nào để thu hồi.")
        )
        original = sent[0].packet
        packet = packet_for(doc, sent, b"")
        if packet.document_id != original.document_id:  # the number or date changed since it was sent
            raise Conflict(_("Số, ký hiệu hoặc ngày của văn bản khác gói tin đã gửi; không thu hồi được."))
        packet.business = edxml.Business.RECALL
        packet.business_reason = reason[:2000]
        packet.response_for = [
            edxml.ResponseFor(doc.agency.code, packet.code, packet.promulgation_date, original.document_id)
        ]
        row = exchange_services.send_packet(sender=doc.agency, packet=packet, actor=actor)
        fields = [*OUTGOING.apply(doc, t.name), "recall_reason"]
        doc.recall_reason = reason[:5000]
        if doc.is_public:  # a recalled document is no longer published
            doc.is_public, doc.published_at = False, None
            fields += ["is_public", "published_at"]
        _save(doc, fields)
        Recipient.objects.filter(pk__in=[r.pk for r in sent]).update(
            recall_status="", recall_answered_at=None
        )
        _trace(doc, actor, _("Đề nghị thu hồi văn bản: %(reason)s") % {"reason": reason})
        _changed(doc, "recall", doc.status, actor)
        audit.record(
            "documents.recall",
            obj=doc,
            actor=actor,
            data={"reason": reason[:500], "message_id": str(row.message_id), "to": row.recipients},
        )
        return doc


def _sent_through_hub(doc: Document, message: str) -> list[Recipient]:
    """The recipients the hub carried the document to (refused with ``message`` when there are none)."""
    sent = list(doc.recipients.filter(packet__isnull=False).select_related("packet").order_by("pk"))
    if not sent:
        raise Conflict(message)
    return sent


def send_update(document_id, *, actor, reason: str, upload) -> Document:
    """Văn thư of the releasing agency sends the recipients on the hub a corrected file of a released
    document (edXML business 2, same DocumentId): a PDF the signer has signed again (each digital
    signature intact and valid), which văn thư's seal stamps with the document's number and date as at
    issue. The previous file and metadata are kept as a revision; the packet, the new file, the trace
    and the audit entry commit together. A document whose recall was asked is not updated."""
    reason = " ".join((reason or "").split())
    with transaction.atomic():
        doc = _get(Document, _pk(document_id))
        if doc.direction != D.OUTGOING:
            raise Conflict(_("Chỉ gửi bản cập nhật của văn bản đi do cơ quan mình phát hành."))
        require(
            actor,
            "documents.recall",
            doc,
            _("Chỉ văn thư của cơ quan phát hành được gửi bản cập nhật qua trục liên thông."),
        )
        OUTGOING.check(
            "send_update",
            state=doc.status,
            actor=actor,
            obj=doc,
            provided={"reason": reason, "document": upload is not None},
        )
        if doc.recalled_at is not None:
            raise Conflict(_("Văn bản đã được đề nghị thu hồi; không gửi bản cập nhật."))
        sent = _sent_through_hub(
            doc,
            _(
                "Văn bản không được gửi qua trục liên thông văn bản; không có nơi nhận nào để gửi bản cập nhật."
            ),
        )
        checked = inspect_upload(upload, allowed=(PDF,))
        report = verify_pdf(checked.content)
        if not report.ok:
            raise ServiceError(
                _("Tệp cập nhật phải có chữ ký số hợp lệ của người ký văn bản: %(summary)s")
                % {"summary": report.summary},
                field="file",
            )
        key = seal_key(doc.agency)
        if key is None:
            raise ServiceError(_("Cơ quan chưa có khoá ký số (con dấu điện tử)."), code="no_seal")
        width, height = page_size(check_pdf_bytes(checked.content), 0)
        stamp = _("%(symbol)s, ngày %(date)s") % {
            "symbol": doc.symbol,
            "date": doc.issued_on.strftime("%d/%m/%Y") if doc.issued_on else "",
        }
        with override("vi"):
            appearance = corner_appearance(
                key, at=vn_now(), doc_number=stamp, page_width=width, page_height=height
            )
        sealed = sign_pdf(
            checked.content,
            key,
            actor=actor,
            appearance=appearance,
            reason=_("Cập nhật văn bản %(s)s") % {"s": doc.symbol},
        ).data
        sealed = inspect_upload(sealed, allowed=(PDF,))
        number = (doc.revisions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
        revision = Revision(
            document=doc,
            number=number,
            business=edxml.Business.UPDATE,
            reason=reason[:5000],
            metadata={
                f: (str(getattr(doc, f)) if getattr(doc, f) is not None else None) for f in METADATA_FIELDS
            },
            file_sha256=doc.file_sha256,
        )
        if doc.file:
            revision.file.name = doc.file.name  # the old file stays where it is; the document gets a new one
        revision.save()
        _store(doc, sealed, f"vb-{doc.pk}-cn{number}", recount=True)
        doc.text = _pdf_text(sealed.content)
        original = sent[0].packet
        packet = packet_for(doc, sent, sealed.content)
        if packet.document_id != original.document_id:
            raise Conflict(_("Số, ký hiệu hoặc ngày của văn bản khác gói tin đã gửi; không cập nhật được."))
        packet.business = edxml.Business.UPDATE
        packet.business_reason = reason[:2000]
        packet.response_for = [
            edxml.ResponseFor(doc.agency.code, packet.code, packet.promulgation_date, original.document_id)
        ]
        row = exchange_services.send_packet(sender=doc.agency, packet=packet, actor=actor)
        _save(doc, ["file", "file_sha256", "text", "pages"])
        _trace(doc, actor, _("Gửi bản cập nhật (lần %(n)s): %(reason)s") % {"n": number, "reason": reason})
        _changed(doc, "send_update", doc.status, actor)
        audit.record(
            "documents.send_update",
            obj=doc,
            actor=actor,
            data={"reason": reason[:500], "revision": number, "message_id": str(row.message_id)},
        )
        return doc


# A recipient's answer to our recall or update (15 agreed, 16 refused): the trace line, by kind and code.
_ANSWER_TEXT = {
    ("update", "15"): gettext_lazy("%(organ)s đồng ý cập nhật văn bản."),
    ("update", "16"): gettext_lazy("%(organ)s từ chối cập nhật văn bản: %(reason)s"),
    ("recall", "15"): gettext_lazy("%(organ)s đồng ý thu hồi văn bản."),
    ("recall", "16"): gettext_lazy("%(organ)s từ chối thu hồi văn bản: %(reason)s"),
}


def record_answer(recipient: Recipient, code: str, description: str = "") -> bool:
    """A recipient answered our recall or update (15 agreed, 16 refused). To a recall: kept on its row
    (a repeat changes nothing), traced, audited. To an update (no recall asked, a revision sent): traced
    and audited. Otherwise nothing changes."""
    doc = recipient.document
    if code not in Recipient.RECALL_ANSWERS:
        return False
    if doc.recalled_at is None:
        if not doc.revisions.exists():
            return False
        kind = "update"
    else:
        if recipient.recall_status == code:
            return False
        kind = "recall"
        recipient.recall_status = code
        recipient.recall_answered_at = _now()
        recipient.save(update_fields=["recall_status", "recall_answered_at"])
    text = str(_ANSWER_TEXT[kind, code]) % {
        "organ": recipient.name,
        "reason": description or _("không nêu lý do"),
    }
    _trace(doc, None, text)
    audit.record(f"documents.{kind}_answer", obj=doc, data={"recipient": recipient.pk, "code": code})
    return True


# --- the review chain of outgoing drafts (administrators) -----------------------------------------

REVIEW_ROLES = (Role.OFFICER, Role.LEADER, Role.CLERICAL)
MAX_REVIEW_STEPS = 10


def set_review_chain(agency, *, actor, steps) -> list[ReviewStep]:
    """The agency's administrator sets its review chain: ``steps`` in order, each {"title", "role"}
    (chuyên viên, lãnh đạo — a trưởng phòng holds the leader role at a division —, văn thư). Step N keeps
    its record, so drafts waiting at it stay there with its new title and role; a step removed while a
    draft waits at it is refused. An empty chain sends submitted drafts straight to the leader's
    signature."""
    steps = list(steps or [])
    if len(steps) > MAX_REVIEW_STEPS:
        raise ServiceError(
            _("Quy trình duyệt có tối đa %(n)s bước.") % {"n": MAX_REVIEW_STEPS}, field="steps"
        )
    clean = []
    for i, step in enumerate(steps, start=1):
        title = " ".join(str((step or {}).get("title") or "").split())
        role = str((step or {}).get("role") or "")
        if not title:
            raise ServiceError(_("Nhập tên bước %(n)s.") % {"n": i}, field="steps")
        if len(title) > 150:
            raise ServiceError(_("Tên bước %(n)s tối đa 150 ký tự.") % {"n": i}, field="steps")
        if role not in REVIEW_ROLES:
            raise ServiceError(
                _("Vai trò duyệt của bước %(n)s là chuyên viên, lãnh đạo hoặc văn thư.") % {"n": i},
                field="steps",
            )
        clean.append((title, role))
    with transaction.atomic():
        require(
            actor,
            "documents.manage_review_chain",
            agency,
            _("Chỉ quản trị cơ quan được sửa quy trình duyệt dự thảo."),
        )
        existing = list(ReviewStep.objects.select_for_update().filter(agency=agency).order_by("position"))
        before = [(s.title, s.role) for s in existing]
        removed = existing[len(clean) :]
        if removed and Document.objects.filter(review_step__in=removed).exists():
            raise Conflict(
                _("Có dự thảo đang chờ ở bước sẽ bỏ; duyệt hoặc trả lại các dự thảo đó trước."), field="steps"
            )
        ReviewStep.objects.filter(pk__in=[s.pk for s in removed]).delete()
        result = []
        for i, (title, role) in enumerate(clean, start=1):
            if i <= len(existing):
                step = existing[i - 1]
                step.position, step.title, step.role = i, title, role
                step.save(update_fields=["position", "title", "role"])
            else:
                step = ReviewStep.objects.create(agency=agency, position=i, title=title, role=role)
            result.append(step)
        audit.record(
            "documents.set_review_chain",
            obj=agency,
            actor=actor,
            data={"before": before, "after": clean},
        )
        return result


# --- recall and update of received documents (edXML business 1, 2, 3) ------------------------------

METADATA_FIELDS = (
    "number",
    "symbol",
    "doc_type_id",
    "issued_on",
    "issuing_organ",
    "subject",
    "signer_name",
    "signer_position",
    "signer_authority",
    "urgency",
    "pages",
    "due_date",
    "recipients_text",
)


def _answer(packet_row, code: str, description: str) -> None:
    """Agree (15) or refuse (16) a recall or an update, through the exchange (signed by our seal)."""
    try:
        exchange_services.report_status(packet_row, code, actor=None, description=description, as_system=True)
    except Conflict as exc:
        log.warning("answer %s to exchange packet %s not sent: %s", code, packet_row.pk, exc.message)


def apply_recall(document_id, *, reason: str = "", packet_row=None) -> Document:
    """The sender recalled a document we received: it is marked recalled with the reason, kept in the
    register (its arrival number stays), out of every handler's work and of any action; open
    assignments end. The sender is told we agreed (status 15)."""
    with transaction.atomic():
        doc = _get(Document, _pk(document_id))
        if doc.direction != D.INCOMING:
            raise Conflict(_("Chỉ văn bản đến mới bị nơi gửi thu hồi."))
        if doc.status == S.RECALLED:
            return doc
        before = doc.status
        now = _now()
        doc.status = S.RECALLED
        doc.recalled_at = now
        doc.recall_reason = (reason or "").strip()[:5000]
        _save(doc, ["status", "recalled_at", "recall_reason"])
        Assignment.objects.filter(document=doc, done_at__isnull=True).update(done_at=now)
        _trace(
            doc,
            None,
            _("Nơi gửi đã thu hồi văn bản: %(reason)s")
            % {"reason": doc.recall_reason or _("không nêu lý do")},
        )
        _changed(doc, "recall", before, None)
        audit.record("documents.recalled", obj=doc, data={"reason": doc.recall_reason, "from": before})
        if packet_row is not None:
            _answer(packet_row, "15", _("Đồng ý thu hồi"))
        return doc


def apply_update(
    document_id,
    *,
    metadata: dict,
    pdf: bytes | None,
    reason: str = "",
    business: int = 2,
    signatures=None,
    packet_row=None,
) -> Document:
    """The sender updated (or replaced) a document we received: its metadata and file take the new
    values, the previous ones are kept as a revision (history shown on the page), handling goes on. A
    recalled or refused document is not updated (the sender is told, status 16)."""
    data = validation.clean_metadata(metadata, require_issue=True)
    checked = inspect_upload(pdf, allowed=(PDF,)) if pdf is not None else None
    with transaction.atomic():
        doc = _get(Document, _pk(document_id))
        if doc.direction != D.INCOMING:
            raise Conflict(_("Chỉ văn bản đến mới được nơi gửi cập nhật."))
        if doc.status in (S.RECALLED, S.REFUSED):
            # nothing changes; the sender is told why (the answer commits, so no exception here)
            if packet_row is not None:
                _answer(packet_row, "16", _("Văn bản đã bị thu hồi hoặc từ chối; không cập nhật."))
            audit.record("documents.update_refused", obj=doc, data={"status": doc.status})
            return doc
        if doc.is_secret or data["secrecy"]:
            raise SecretContentRefused(_("Văn bản mật không được cập nhật qua trục liên thông."))
        previous = {
            f: (str(getattr(doc, f)) if getattr(doc, f) is not None else None) for f in METADATA_FIELDS
        }
        number = (doc.revisions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
        revision = Revision(
            document=doc,
            number=number,
            business=int(business),
            reason=(reason or "").strip()[:5000],
            metadata=previous,
            file_sha256=doc.file_sha256,
        )
        if doc.file:
            revision.file.name = doc.file.name  # the old file stays where it is; the document gets a new one
        revision.save()
        for name, value in data.items():
            if name != "secrecy":
                setattr(doc, name, value)
        fields = [n for n in data if n != "secrecy"]
        if checked is not None:
            _store(doc, checked, "den")
            doc.text = _pdf_text(checked.content)
            fields += ["file", "file_sha256", "text", "pages"]
        if signatures is not None:
            doc.external_metadata = {**doc.external_metadata, "signatures": signatures}
            fields.append("external_metadata")
        _save(doc, fields)
        _trace(
            doc,
            None,
            _("Nơi gửi đã cập nhật văn bản (lần %(n)s): %(reason)s")
            % {"n": number, "reason": revision.reason or _("không nêu lý do")},
        )
        _changed(doc, "update", doc.status, None)
        audit.record("documents.updated_by_sender", obj=doc, data={"revision": number, "business": business})
        if packet_row is not None:
            _answer(packet_row, "15", _("Đã cập nhật văn bản"))
        return doc


# --- electronic copies (Decree 30/2020, Articles 25-27) --------------------------------------------


def _page_list(spec: str, count: int) -> list[int]:
    """``"1-2, 4"`` → [0, 1, 3] (pages of the original to extract), each within the document."""
    pages: list[int] = []
    for part in (spec or "").replace(";", ",").split(","):
        part = part.strip()
        if not part:
            continue
        lo, _sep, hi = part.partition("-")
        try:
            a, b = int(lo), int(hi or lo)
        except ValueError:
            raise ServiceError(_("Trang trích sao ghi như 1-2, 4."), field="pages") from None
        if not 1 <= a <= b <= count:
            raise ServiceError(
                _("Văn bản có %(n)s trang; trang trích sao phải trong khoảng đó.") % {"n": count},
                field="pages",
            )
        pages.extend(p for p in range(a - 1, b) if p not in pages)
    if not pages:
        raise ServiceError(_("Ghi các trang cần trích sao, ví dụ 1-2, 4."), field="pages")
    return pages


def _as_pdf(content: bytes) -> bytes:
    """A scanned image (JPEG, PNG) becomes a one-page PDF to carry the copy's signature."""
    if inspect_upload(content).kind == PDF:
        return content
    buf = io.BytesIO()
    Image.open(io.BytesIO(content)).convert("RGB").save(buf, format="PDF", resolution=150)
    return buf.getvalue()


def _extract(content: bytes, spec: str) -> bytes:
    reader = PdfReader(io.BytesIO(content))
    writer = PdfWriter()
    for i in _page_list(spec, len(reader.pages)):
        writer.add_page(reader.pages[i])
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def copy_appearance(key, *, form: str, symbol: str, at, width: float, height: float):
    """The copy form's marks (Decree 30, Appendix I): the form in capitals, the copying agency, the copy's
    number and the time, beside the seal's image in the top-right corner of the first page."""
    base = corner_appearance(key, at=at, doc_number=symbol, page_width=width, page_height=height)
    return dataclasses.replace(
        base,
        box=(width - 230, height - 80, width - 18, height - 12),
        lines=(str(Copy.Form(form).label).upper(), *base.lines),
    )


def make_copy(
    document_id, *, actor, form: str, pages: str = "", source_copy=None, recipients_text=""
) -> Copy:
    """Văn thư makes an electronic copy of a document the agency holds: sao y (the whole signed original,
    its signatures kept), sao lục (from a sao y copy of it), trích sao (the pages named). The copy takes
    the next number of the agency's copy register (``05/SY-STP``), and the agency's seal signs it with
    the copy form's marks in the top-right corner of the first page (Decree 30, Appendix I). Secret
    documents have no content on the platform, so no electronic copy; a recalled document (by its
    sender, or ours whose recall we asked) is not copied either."""
    if form not in Copy.Form.values:
        raise ServiceError(_("Hình thức sao là sao y, sao lục hoặc trích sao."), field="form")
    recipients_text = (recipients_text or "").strip()
    if len(recipients_text) > 5000:
        raise ServiceError(_("Nơi nhận dài tối đa 5000 ký tự."), field="recipients_text")
    with transaction.atomic():
        doc = _get(Document, _pk(document_id))
        require(actor, "documents.copy", doc, _("Chỉ văn thư của cơ quan giữ văn bản được sao văn bản."))
        if doc.is_secret:
            raise SecretContentRefused(_("Văn bản mật không được sao điện tử trên hệ thống."))
        if doc.status == S.RECALLED:
            raise Conflict(_("Văn bản đã bị nơi gửi thu hồi; không sao."))
        if doc.recalled_at is not None:  # our own document, whose recipients were asked to recall it
            raise Conflict(_("Văn bản đã được đề nghị thu hồi; không sao."))
        if doc.direction == D.OUTGOING and doc.status not in (S.ISSUED, S.RELEASED):
            raise Conflict(_("Chỉ sao văn bản đã cấp số, đóng dấu."))
        if not doc.file:
            raise Conflict(_("Văn bản chưa có bản điện tử để sao."))
        origin = None
        if form == Copy.Form.FROM_COPY:
            origin = Copy.objects.filter(pk=_pk(source_copy), document=doc, form=Copy.Form.EXACT).first()
            if origin is None:
                raise ServiceError(
                    _("Sao lục được làm từ một bản sao y của văn bản này."), field="source_copy"
                )
            with origin.file.open("rb") as fh:
                content = fh.read()
        else:
            with doc.file.open("rb") as fh:
                content = _as_pdf(fh.read())
            if form == Copy.Form.EXTRACT:
                content = _extract(content, pages)
        register = (
            Register.objects.filter(agency=doc.agency, direction=Register.Direction.COPY, is_active=True)
            .order_by("pk")
            .first()
        )
        if register is None:
            raise ServiceError(_("Cơ quan chưa có sổ đăng ký bản sao; hãy tạo sổ trước."), field="register")
        key = seal_key(doc.agency)
        if key is None:
            raise ServiceError(_("Cơ quan chưa có khoá ký số (con dấu điện tử)."), code="no_seal")
        entry = take_number(register, actor=actor, as_system=True)
        notation = register.notation
        abbr = Copy.ABBREVIATIONS[form]
        symbol = (
            f"{format_number(entry.number)}/{abbr}-{notation}"
            if notation
            else f"{format_number(entry.number)}/{abbr}"
        )
        entry.symbol = symbol
        entry.save(update_fields=["symbol"])
        width, height = page_size(check_pdf_bytes(content), 0)
        with override("vi"):
            appearance = copy_appearance(
                key, form=form, symbol=symbol, at=vn_now(), width=width, height=height
            )
            reason = _("%(form)s văn bản %(symbol)s") % {
                "form": appearance.lines[0],
                "symbol": doc.symbol or doc.pk,
            }
        signed = sign_pdf(content, key, actor=actor, appearance=appearance, reason=reason).data
        checked = inspect_upload(signed, allowed=(PDF,))
        copy = Copy(
            document=doc,
            source_copy=origin,
            agency=doc.agency,
            form=form,
            register=register,
            number_entry=entry,
            symbol=symbol,
            pages=(pages or "").strip()[:100] if form == Copy.Form.EXTRACT else "",
            recipients_text=recipients_text,
            file_sha256=checked.sha256,
            created_by=actor,
        )
        copy.file.save(f"{symbol.replace('/', '-')}.pdf", ContentFile(checked.content), save=False)
        copy.save()
        _trace(
            doc,
            actor,
            _("%(form)s văn bản, số bản sao %(symbol)s.") % {"form": Copy.Form(form).label, "symbol": symbol},
        )
        audit.record(
            "documents.copy",
            obj=doc,
            actor=actor,
            data={"copy": copy.pk, "form": form, "symbol": symbol, "register": register.pk},
        )
        return copy


# --- assigned tasks ---------------------------------------------------------------------------------


def create_task(
    *, actor, agency, title, owner, co_owners=(), deadline=None, working_days=None, directive=None
) -> Task:
    title = " ".join((title or "").split())
    if not title:
        raise ServiceError(_("Nhập nội dung công việc."), field="title")
    with transaction.atomic():
        require(actor, "documents.give_tasks", agency, _("Chỉ lãnh đạo cơ quan được giao việc."))
        (owner_user,) = _staff(agency, [owner], "owner")
        co_users = [u for u in _staff(agency, co_owners, "co_owners") if u.pk != owner_user.pk]
        due = deadline_from(agency, deadline=deadline, working_days=working_days)
        if due is None:
            raise ServiceError(_("Nhập hạn hoàn thành."), field="deadline")
        if directive is not None:
            directive = Document.objects.filter(pk=_pk(directive), agency=agency).first()
            if directive is None:
                raise ServiceError(_("Không tìm thấy văn bản chỉ đạo của cơ quan."), field="directive")
        task = Task.objects.create(
            agency=agency,
            title=title[:500],
            owner=owner_user,
            deadline=due,
            directive=directive,
            created_by=actor,
        )
        task.co_owners.set(co_users)
        audit.record(
            "documents.create_task",
            obj=task,
            actor=actor,
            data={"owner": owner_user.pk, "deadline": str(due)},
        )
        return task


def report_task(task_id, *, actor, progress, text: str, done=False) -> TaskReport:
    text = (text or "").strip()
    try:
        progress = int(progress)
        if not 0 <= progress <= 100:
            raise ValueError
    except (TypeError, ValueError):
        raise ServiceError(_("Tiến độ là số phần trăm từ 0 đến 100."), field="progress") from None
    if not text:
        raise ServiceError(_("Nhập nội dung báo cáo tiến độ."), field="text")
    with transaction.atomic():
        task = _get(Task, _pk(task_id))
        require(actor, "documents.report_task", task, _("Chỉ người được giao việc mới báo cáo tiến độ."))
        if task.status == Task.Status.DONE:
            raise Conflict(_("Nhiệm vụ đã hoàn thành."))
        report = TaskReport.objects.create(
            task=task, author=actor, progress=100 if done else progress, text=text[:5000]
        )
        task.progress = report.progress
        fields = ["progress"]
        if done:
            task.status = Task.Status.DONE
            task.done_at = _now()
            fields += ["status", "done_at"]
        task.save(update_fields=fields)
        audit.record(
            "documents.report_task", obj=task, actor=actor, data={"progress": task.progress, "done": done}
        )
        return report


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
