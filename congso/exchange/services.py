"""Use cases of inter-agency exchange (the agency side; the documents app is the caller).

Public API for the documents app:

- ``send_packet(sender=, packet=, actor=)``: sign a document packet with the sender agency's seal and
  put it in the outbox, in the caller's transaction; a background job delivers it.
- ``report_status(incoming, code, actor=)``: send a status message (arrived, accepted, assigned, in
  process, done, refused, recall agreed/refused) back to the sender of a received document.
- ``selectors.received_packets(agency)`` and ``packet_of(incoming)``: the inbox and a packet's contents.
- hooks ``packet_received`` and ``status_received`` (``hooks.py``).

Behind them: ``deliver(id)`` (the job: one POST to the hub, retried with exponential backoff),
``retry_due()``, ``receive(agency)`` (fetch from the hub, verify, record once, acknowledge with the
reason) and ``record_delivery`` (one delivery, idempotent by message id).
"""

from __future__ import annotations

import datetime as dt
import gc
import logging
import multiprocessing
import os
import signal
import threading
import time
import uuid
from contextvars import ContextVar

import requests
from django.conf import settings
from django.db import IntegrityError, connections, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from congso.core import audit, compiled
from congso.core.errors import Conflict, NotFound, ServiceError
from congso.core.permissions import require
from congso.core.task_backends import default_backend
from congso.directory.models import Agency
from congso.directory.selectors import agency_by_code
from congso.signing import keystore
from congso.signing.models import SigningKey
from congso.signing.verify import verify_pdf

from . import edxml, hooks, xmlsig
from .edxml import PacketError
from .models import IncomingPacket, OutgoingPacket
from .selectors import received_packets  # noqa: F401 — part of this module's public API
from .tasks import deliver_packet, deliver_packets

log = logging.getLogger("congso.exchange")

S = OutgoingPacket.State
STALE_SENDING = dt.timedelta(minutes=10)


class HubUnavailable(ServiceError):
    code = "exchange_hub_unavailable"


# --- settings and organs ---------------------------------------------------------------------------


def hub_url() -> str:
    return settings.CONGSO_EXCHANGE_HUB_URL.rstrip("/")


def max_attempts() -> int:
    return settings.CONGSO_EXCHANGE_MAX_ATTEMPTS


def backoff(attempts: int) -> dt.timedelta:
    """Delay after ``attempts`` failed tries: base × 2^(n-1), at most 6 hours."""
    seconds = settings.CONGSO_EXCHANGE_RETRY_SECONDS * 2 ** max(0, attempts - 1)
    return dt.timedelta(seconds=min(seconds, 6 * 3600))


def organ_for(agency: Agency) -> edxml.Organ:
    """The edXML organ of an agency: its electronic identifier code is the OrganId."""
    return edxml.Organ(
        organ_id=agency.code,
        name=agency.name,
        in_charge=agency.parent.name if agency.parent_id else "",
        address=agency.address,
        email=agency.email,
        telephone=agency.phone,
    )


# read for every status sent back: compiled once (congso.core.compiled); the newest first, and whether
# each is valid now is decided in Python (an agency has a handful of seals at most)
_ACTIVE_SEALS = compiled.CompiledQuery(
    lambda agency_id: (
        SigningKey.objects.filter(
            agency_id=agency_id,
            kind=SigningKey.Kind.SEAL,
            is_active=True,
            source__in=(SigningKey.Source.PKCS12, SigningKey.Source.DEMO),
        )
        .order_by("-created_at", "-pk")
        .values_list(*compiled.fields_of(SigningKey))
    ),
    model=SigningKey,
)

# The seals read while one delivery is recorded (``record_delivery``): its "arrived" and "registered"
# statuses are signed with the same key, read once. Nothing outside that call sees it.
_seals_of_delivery: ContextVar[dict | None] = ContextVar("congso_exchange_seals", default=None)


def seal_key(agency: Agency) -> SigningKey:
    """The agency's active seal that can sign XML (PKCS#12 or demo CA), the newest first."""
    seals = _seals_of_delivery.get()
    if seals is not None and agency.pk in seals:
        return seals[agency.pk]
    now = timezone.now()
    key = next((k for k in _ACTIVE_SEALS.instances(agency.pk) if k.not_before <= now < k.not_after), None)
    if key is None:
        raise Conflict(
            _("%(agency)s chưa có khoá con dấu số còn hiệu lực để ký gói tin liên thông.")
            % {"agency": agency.name}
        )
    if seals is not None:
        seals[agency.pk] = key
    return key


# --- sending -----------------------------------------------------------------------------------


JOB_BATCH = 20  # outbox rows one delivery job sends, one after the other


def _queue(row: OutgoingPacket) -> None:
    """Deliver ``row`` once the transaction commits. The rows one transaction queues go in one job (a
    received document's "arrived" and "registered" statuses): each row's commit callback hands over
    whatever the transaction queued that is not handed over yet, so a callback dropped with a
    rolled-back savepoint loses nothing, and a row of that savepoint finds no row to send (skipped)."""
    queued = _queued_in_transaction()
    queued.append(row.pk)
    transaction.on_commit(lambda: _hand_over(queued))


def _queued_in_transaction() -> list[int]:
    connection = transaction.get_connection()
    outer = connection.atomic_blocks[0] if connection.atomic_blocks else None
    cached = getattr(connection, "_congso_exchange_queued", None)
    if outer is None or cached is None or cached[0] is not outer:
        cached = (outer, [])
        connection._congso_exchange_queued = cached
    return cached[1]


def _hand_over(queued: list[int]) -> None:
    ids, queued[:] = list(dict.fromkeys(queued)), []
    if ids:
        enqueue(ids)


def enqueue(ids, run_after: dt.datetime | None = None) -> None:
    """Hand rows to the delivery job, ``JOB_BATCH`` to a job (one row a job when delayed for a retry). A
    broken queue must not break the caller: the rows stay due and ``congso exchange retry`` sends them."""
    ids = list(ids)
    if run_after is not None:
        if not getattr(default_backend(), "supports_defer", False):
            return  # no delayed jobs on this backend: `congso exchange retry` sends it when due
        jobs = [(deliver_packet.using(run_after=run_after), pk) for pk in ids]
    else:
        jobs = [(deliver_packets, ids[i : i + JOB_BATCH]) for i in range(0, len(ids), JOB_BATCH)]
    for job, argument in jobs:
        try:
            job.enqueue(argument)
        except Exception:  # noqa: BLE001 — the rows stay queued; logged for operators
            log.exception("could not enqueue exchange packets %s", argument)


def deliver_many(ids) -> list[str]:
    """The batch job: ``deliver`` each row in order. A row whose delivery breaks (the database, not the
    hub: ``deliver`` records the hub's failures itself) stays due for ``congso exchange retry``, and the
    others are still sent."""
    states = []
    for pk in ids:
        try:
            row = deliver(int(pk))
        except Exception:  # noqa: BLE001 — logged for operators; the row stays due
            log.exception("exchange packet %s not delivered", pk)
            states.append("error")
            continue
        states.append(row.state if row else "skipped")
    return states


def send_packet(
    *, sender: Agency, packet: edxml.Packet, actor, key: SigningKey | None = None
) -> OutgoingPacket:
    """Sign ``packet`` with the sender's seal and put it in the outbox (the caller's transaction).

    ``packet.sender`` is set from the agency; a trace header for this hop is added."""
    require(actor, "exchange.send", sender, _("Bạn không được gửi văn bản liên thông thay cơ quan này."))
    packet.sender = organ_for(sender)
    if packet.recipients and any(r.organ_id == sender.code for r in packet.recipients):
        raise ServiceError(_("Không gửi văn bản liên thông cho chính cơ quan mình."))
    packet.trace = [*packet.trace, edxml.TraceHeader(sender.code, timezone.now().replace(microsecond=0))]
    with transaction.atomic():
        envelope = xmlsig.sign(edxml.build_packet(packet), key or seal_key(sender))
        row = OutgoingPacket.objects.create(
            message_id=uuid.UUID(packet.message_id),
            kind=OutgoingPacket.Kind.DOCUMENT,
            sender=sender,
            recipients=[r.organ_id for r in packet.recipients],
            document_id=packet.document_id,
            code=packet.code,
            subject=packet.subject,
            business=packet.business,
            priority=packet.priority,
            envelope=envelope,
        )
        audit.record(
            "exchange.send",
            obj=row,
            actor=actor,
            data={"document_id": row.document_id, "to": row.recipients, "business": row.business},
        )
        _queue(row)
    return row


def _status_row(*, sender: Agency, status: edxml.Status, key=None) -> OutgoingPacket:
    envelope = xmlsig.sign(edxml.build_status(status), key or seal_key(sender))
    (row,) = compiled.insert(  # a status row per received document and per step: the statement built once
        [
            OutgoingPacket(
                message_id=uuid.UUID(status.message_id),
                kind=OutgoingPacket.Kind.STATUS,
                sender=sender,
                recipients=[status.response_for.organ_id],
                document_id=status.response_for.document_id,
                code=status.response_for.code,
                subject=status.description,
                status_code=status.status_code,
                envelope=envelope,
            )
        ]
    )
    _queue(row)
    return row


# a received document's inbox row, locked, with its recipient and the recipient's parent (``organ_for``
# names it), without the envelope (200 KB and more; parsed only if ``_response_for`` must): every status
# sent, so compiled once (congso.core.compiled)
_STATUS_FIELDS = [name for name in compiled.fields_of(IncomingPacket) if name != "envelope"]
_LOCKED_FOR_STATUS = compiled.CompiledQuery(
    lambda pk: (
        IncomingPacket.objects.select_for_update(of=("self",))
        .filter(pk=pk)
        .values_list(
            *_STATUS_FIELDS,
            *compiled.fields_of(Agency, "recipient__"),
            *compiled.fields_of(Agency, "recipient__parent__"),
        )
    ),
    model=IncomingPacket,
)


def _locked_for_status(pk: int) -> IncomingPacket:
    rows = _LOCKED_FOR_STATUS.rows(pk)
    if not rows:
        raise IncomingPacket.DoesNotExist(pk)
    row, at, db = rows[0], len(_STATUS_FIELDS), IncomingPacket.objects.db
    incoming = IncomingPacket.from_db(db, _STATUS_FIELDS, row[:at])  # the envelope left deferred
    incoming.recipient = compiled.from_row(Agency, row[at:], related=(("parent", Agency),), using=db)
    return incoming


def report_status(
    incoming: IncomingPacket,
    code: str,
    *,
    actor,
    description: str = "",
    department: str = "",
    as_system: bool = False,
) -> OutgoingPacket:
    """Tell the sender of a received document where it stands (status codes: ``edxml.STATUS_CODES``).

    ``as_system``: the documents app reports a step its own rules already allowed (the system registering
    a packet, a leader assigning, a handler finishing); ``actor`` (may be None) is kept for the audit."""
    if code not in edxml.STATUS_CODES:
        raise ServiceError(_("Mã trạng thái không hợp lệ: %(code)s.") % {"code": code})
    with transaction.atomic():
        incoming = _locked_for_status(incoming.pk)
        if not as_system:
            require(
                actor,
                "exchange.report_status",
                incoming.recipient,
                _("Bạn không được báo trạng thái văn bản này."),
            )
        if (
            incoming.kind != IncomingPacket.Kind.DOCUMENT
            or incoming.verdict != IncomingPacket.Verdict.ACCEPTED
        ):
            raise Conflict(_("Chỉ báo trạng thái cho văn bản đã nhận hợp lệ."))
        row = _send_status(incoming, code, description=description, department=department, staff=actor)
        audit.record("exchange.report_status", obj=incoming, actor=actor, data={"code": code})
    return row


def _promulgated(document_id: str) -> dt.date | None:
    """The promulgation date inside an edXML DocumentId ("organ,yyyy/mm/dd,code"), or None."""
    parts = document_id.split(",", 2)
    if len(parts) != 3:
        return None
    try:
        return dt.datetime.strptime(parts[1], "%Y/%m/%d").date()
    except ValueError:
        return None


def _response_for(incoming: IncomingPacket) -> edxml.ResponseFor:
    """What a status about a received document answers, from the inbox row's own columns: an accepted
    packet's DocumentId is its sender, date and code (``edxml.packet_from_tree`` refuses any other), so
    the stored envelope is parsed again only for a row whose columns cannot say it (cut to length)."""
    date = _promulgated(incoming.document_id)
    expected = f"{incoming.sender_organ_id},{date:%Y/%m/%d},{incoming.code}" if date else ""
    if expected and expected == incoming.document_id:
        return edxml.ResponseFor(
            organ_id=incoming.sender_organ_id,
            code=incoming.code,
            promulgation_date=date,
            document_id=incoming.document_id,
        )
    packet = packet_of(incoming)
    return edxml.ResponseFor(
        organ_id=packet.sender.organ_id,
        code=packet.code,
        promulgation_date=packet.promulgation_date,
        document_id=packet.document_id,
    )


def _status_of(incoming: IncomingPacket, code: str, *, description="", department="", staff=None):
    """The status message ``code`` about a received document, from its recipient."""
    return edxml.Status(
        sender=organ_for(incoming.recipient),
        response_for=_response_for(incoming),
        status_code=code,
        description=description or str(edxml.STATUS_CODES[code]),
        department=department,
        staff=getattr(staff, "full_name", "") or "",
        email=getattr(staff, "email", "") or "",
    )


def _send_status(incoming: IncomingPacket, code: str, *, description="", department="", staff=None):
    status = _status_of(incoming, code, description=description, department=department, staff=staff)
    row = _status_row(sender=incoming.recipient, status=status)
    incoming.local_status = code
    incoming.save(update_fields=["local_status"])
    return row


def _sendable(now) -> Q:
    return (
        Q(state=S.QUEUED)
        | Q(state=S.FAILED, next_attempt_at__lte=now)
        | Q(state=S.SENDING, claimed_at__lt=now - STALE_SENDING)
    )


def _post(envelope: bytes) -> dict:
    response = requests.post(
        hub_url() + "/api/packets",
        data=envelope,
        headers={"Content-Type": "application/xml; charset=utf-8"},
        timeout=settings.CONGSO_EXCHANGE_TIMEOUT,
    )
    if response.status_code == 400:
        data = response.json()
        raise PacketError(data.get("error") or _("Trục từ chối gói tin."), data.get("reason") or "refused")
    response.raise_for_status()
    return response.json()


def deliver(outgoing_id: int, now=None) -> OutgoingPacket | None:
    """The job: claim the row (one conditional UPDATE), POST it to the hub, record the outcome.

    The hub keeps one copy per message id, so a retry after a timeout is answered "duplicate" and the
    receiver gets the packet once. A refusal by the hub (400) is final; anything else is retried."""
    now = now or timezone.now()
    claimed = (
        OutgoingPacket.objects.filter(pk=outgoing_id)
        .filter(_sendable(now))
        .update(state=S.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    )
    if not claimed:
        return None
    row = OutgoingPacket.objects.get(pk=outgoing_id)
    try:
        _post(bytes(row.envelope))
    except PacketError as exc:
        row.state, row.next_attempt_at, row.last_error = S.GIVEN_UP, None, str(exc)[:1000]
        log.error("exchange packet %s refused by the hub: %s", row.pk, exc)
    except (requests.RequestException, ValueError) as exc:
        row.last_error = f"{exc.__class__.__name__}: {exc}"[:1000]
        if row.attempts >= max_attempts():
            row.state, row.next_attempt_at = S.GIVEN_UP, None
            log.error("exchange packet %s given up after %s attempts", row.pk, row.attempts)
        else:
            row.state, row.next_attempt_at = S.FAILED, now + backoff(row.attempts)
            log.warning("exchange packet %s failed (attempt %s): %s", row.pk, row.attempts, exc)
    else:
        row.state, row.sent_at, row.next_attempt_at, row.last_error = S.SENT, timezone.now(), None, ""
    row.save(update_fields=["state", "sent_at", "next_attempt_at", "last_error"])
    if row.state == S.FAILED:
        enqueue([row.pk], run_after=row.next_attempt_at)
    return row


def due_for_retry(now=None, queued_grace=dt.timedelta(minutes=5)):
    now = now or timezone.now()
    return OutgoingPacket.objects.filter(
        Q(state=S.QUEUED, created_at__lte=now - queued_grace)
        | Q(state=S.FAILED, next_attempt_at__lte=now)
        | Q(state=S.SENDING, claimed_at__lt=now - STALE_SENDING)
    ).order_by("created_at")


def retry_due(*, inline: bool = False, limit: int = 500, now=None) -> int:
    ids = list(due_for_retry(now).values_list("pk", flat=True)[:limit])
    if inline:
        for pk in ids:
            deliver(pk, now=now)
    else:
        enqueue(ids)
    return len(ids)


def resend(outgoing_id: int, *, actor) -> OutgoingPacket:
    """Văn thư or a system administrator sends a packet that was given up again (same message id)."""
    with transaction.atomic():
        row = (
            OutgoingPacket.objects.select_for_update().select_related("sender").filter(pk=outgoing_id).first()
        )
        if row is None:
            raise NotFound(_("Không tìm thấy gói tin."))
        require(actor, "exchange.send", row.sender, _("Bạn không được gửi lại gói tin này."))
        if row.state == S.SENT:
            raise Conflict(_("Gói tin đã lên trục; không gửi lại."))
        row.state, row.attempts, row.next_attempt_at = S.QUEUED, 0, None
        row.save(update_fields=["state", "attempts", "next_attempt_at"])
        audit.record("exchange.resend", obj=row, actor=actor, data={"message_id": str(row.message_id)})
        _queue(row)
    return row


# --- receiving ---------------------------------------------------------------------------------


def packet_of(incoming: IncomingPacket) -> edxml.Packet:
    """The contents (header and attachments) of a received document, read from its stored envelope."""
    return edxml.packet_from_tree(edxml.safe_parse(bytes(incoming.envelope)))


def _check_attachments(packet: edxml.Packet, anchors=None) -> dict:
    """Each PDF's PAdES signatures (``signing.verify``); a tampered one refuses the packet. ``anchors``:
    the trust anchors already read for the packet's own signature."""
    results = {}
    for a in packet.attachments:
        if a.content_type != "application/pdf" and not a.name.lower().endswith(".pdf"):
            results[a.content_id] = {"name": a.name, "checked": False}
            continue
        report = verify_pdf(a.data, anchors)
        broken = bool(report.error) or any(not (s.intact and s.valid) for s in report.signatures)
        results[a.content_id] = {
            "name": a.name,
            "checked": True,
            "ok": report.ok,
            "signatures": len(report.signatures),
            "summary": str(report.summary),
        }
        if broken:
            raise PacketError(
                _("Chữ ký số trên tệp “%(name)s” không hợp lệ: %(summary)s")
                % {"name": a.name, "summary": report.summary},
                "attachment_signature",
            )
    return results


def _sender_organ(root, kind: str) -> str:
    if kind == "packet":
        return edxml._t(root, "edXML:edXMLHeader/edXML:MessageHeader/edXML:From/edXML:OrganId")
    return edxml._t(root, "edXML:edXMLHeader/edXML:Status/edXML:From/edXML:OrganId")


def _open(agency: Agency, message_id: str, envelope: bytes):
    """Parse, route and verify one envelope for ``agency``: (kind, packet or status, signature, checks)."""
    root = edxml.safe_parse(envelope)
    kind = edxml.kind_of(root)
    sender_id = _sender_organ(root, kind)
    if agency_by_code(sender_id) is None:
        raise PacketError(
            _("Cơ quan gửi %(organ)s không có trong danh bạ liên thông.") % {"organ": sender_id or "?"},
            "unknown_sender",
        )
    anchors = keystore.trust_anchor_certificates()  # once for the packet's and its PDFs' signatures
    signature = xmlsig.verify(root, lambda signed: _sender_organ(signed, kind), anchors=anchors, raw=envelope)
    if kind == "packet":
        value = edxml.packet_from_tree(signature.signed_root)
        if agency.code not in [r.organ_id for r in value.recipients]:
            raise PacketError(_("Gói tin không gửi cho cơ quan này."), "not_addressed")
        checks = _check_attachments(value, anchors)
    else:
        value = edxml.status_from_tree(signature.signed_root)
        if value.response_for.organ_id != agency.code:
            raise PacketError(_("Thông điệp trạng thái không gửi cho cơ quan này."), "not_addressed")
        checks = {}
    if value.message_id != message_id:
        raise PacketError(_("Mã gói tin trên trục khác mã trong gói tin đã ký."), "signature")
    return kind, value, signature, checks


def record_delivery(agency: Agency, message_id: str, envelope: bytes) -> tuple[IncomingPacket, str, str]:
    """Record one delivery for ``agency`` once: returns (row, hub result, reason).

    The hub result is ``accepted``, ``refused`` (with the reason the hub is told) or ``duplicate``.
    Its audit entries (the inbox row's, and those of what the hooks do: registration, arrival number,
    statuses) are written together at the end (``audit.batched``), and the agency's seal is read once
    for the statuses it sends."""
    token = _seals_of_delivery.set({})
    try:
        return _record_delivery(agency, message_id, envelope)
    finally:
        _seals_of_delivery.reset(token)


# every delivery: is it in the inbox already (locked if so)? Compiled once (congso.core.compiled)
_INBOX_ROW = compiled.CompiledQuery(
    lambda agency_id, message_id: (
        IncomingPacket.objects.select_for_update()
        .filter(recipient_id=agency_id, message_id=message_id)
        .values_list("pk")[:1]
    ),
    model=IncomingPacket,
)


def _record_delivery(agency: Agency, message_id: str, envelope: bytes) -> tuple[IncomingPacket, str, str]:
    try:
        with transaction.atomic(), audit.batched():
            found = _INBOX_ROW.rows(agency.pk, message_id)
            if found:
                existing = IncomingPacket.objects.get(pk=found[0][0])
                existing.deliveries = F("deliveries") + 1
                existing.save(update_fields=["deliveries"])
                existing.refresh_from_db()
                return existing, "duplicate", "duplicate"
            try:
                kind, value, signature, checks = _open(agency, message_id, envelope)
            except PacketError as exc:
                return _refused(agency, message_id, envelope, exc), "refused", exc.reason
            return _accepted(agency, message_id, envelope, kind, value, signature, checks), "accepted", ""
    except IntegrityError:
        # The same delivery recorded by a concurrent poll (the inbox's unique message id): this
        # transaction rolled back whole, and what the other one recorded is the answer.
        row = IncomingPacket.objects.filter(recipient=agency, message_id=message_id).first()
        if row is None:
            raise
        return row, "duplicate", "duplicate"


def _refused(agency, message_id, envelope, exc: PacketError) -> IncomingPacket:
    sender_id = ""
    document_id = code = subject = ""
    try:
        root = edxml.safe_parse(envelope)
        kind = edxml.kind_of(root)
        sender_id = _sender_organ(root, kind)
        mh = root.find("edXML:edXMLHeader/edXML:MessageHeader", edxml.NSMAP)
        document_id = edxml._t(mh, "edXML:DocumentId")
        code = "/".join(
            x
            for x in (
                edxml._t(mh, "edXML:Code/edXML:CodeNumber"),
                edxml._t(mh, "edXML:Code/edXML:CodeNotation"),
            )
            if x
        )
        subject = edxml._t(mh, "edXML:Subject")
    except PacketError:
        kind = "packet"
    row = IncomingPacket.objects.create(
        recipient=agency,
        message_id=message_id[:64],
        kind=IncomingPacket.Kind.DOCUMENT if kind == "packet" else IncomingPacket.Kind.STATUS,
        sender_organ_id=sender_id[:64],
        document_id=document_id[:300],
        code=code[:100],
        subject=subject[:2000],
        verdict=IncomingPacket.Verdict.REFUSED,
        refusal_reason=exc.reason[:30],
        refusal=str(exc)[:2000],
        envelope=envelope,
    )
    audit.record("exchange.refused", obj=row, data={"reason": exc.reason, "from": sender_id})
    return row


def _accepted(agency, message_id, envelope, kind, value, signature, checks) -> IncomingPacket:
    verification = {
        "signer": signature.signer_name,
        "certificate": signature.fingerprint,
        "attachments": checks,
    }

    def inbox_row(**fields) -> IncomingPacket:
        """The accepted inbox row, with what every accepted delivery records."""
        return IncomingPacket(
            recipient=agency,
            message_id=message_id,
            sender_organ_id=value.sender.organ_id,
            sender_name=value.sender.name[:255],
            verdict=IncomingPacket.Verdict.ACCEPTED,
            signer=signature.signer_name[:255],
            verification=verification,
            envelope=envelope,
            **fields,
        )

    if kind == "packet":
        # Receipt is confirmed through the system on the day it arrives (Decree 30): status 01, sent
        # with the agency's seal before the subscribers run, so a status they report (03 registered)
        # follows it at the sender. Without a seal the arrival cannot be confirmed (logged).
        try:
            key = seal_key(agency)
        except Conflict:
            key = None
            log.warning("no seal for %s: arrival of %s not confirmed", agency.code, message_id)
        (row,) = compiled.insert(  # every received document: the statement built once
            [
                inbox_row(
                    kind=IncomingPacket.Kind.DOCUMENT,
                    document_id=value.document_id[:300],
                    code=value.code[:100],
                    subject=value.subject,
                    business=value.business,
                    priority=value.priority,
                    local_status="01" if key is not None else "",
                )
            ]
        )
        audit.record(
            "exchange.received", obj=row, data={"document_id": row.document_id, "from": row.sender_organ_id}
        )
        if key is not None:
            _status_row(sender=agency, status=_status_of(row, "01"), key=key)
        hooks.packet_received.fire(incoming=row, packet=value)
        return row
    (row,) = compiled.insert(  # every status a receiver sends back: the statement built once
        [
            inbox_row(
                kind=IncomingPacket.Kind.STATUS,
                document_id=value.response_for.document_id[:300],
                code=value.response_for.code[:100],
                subject=value.description,
                status_code=value.status_code,
                status_at=value.timestamp,
            )
        ]
    )
    # A status is about the document: every packet of it (the original, its recalls and updates).
    # One that a retry delayed behind a later status of the same receiver does not overwrite it.
    overtaken = (
        IncomingPacket.objects.filter(
            recipient=agency,
            kind=IncomingPacket.Kind.STATUS,
            verdict=IncomingPacket.Verdict.ACCEPTED,
            sender_organ_id=row.sender_organ_id,
            document_id=row.document_id,
            status_at__gt=value.timestamp,
        )
        .exclude(pk=row.pk)
        .exists()
    )
    sent = (
        []
        if overtaken
        else list(
            OutgoingPacket.objects.select_for_update()
            .filter(
                sender=agency, kind=OutgoingPacket.Kind.DOCUMENT, document_id=value.response_for.document_id
            )
            .order_by("-created_at", "-pk")
        )
    )
    for packet in sent:
        packet.delivery = {**packet.delivery, value.sender.organ_id: value.status_code}
        if value.status_code == "02":
            packet.refusal = value.description[:2000]
        packet.save(update_fields=["delivery", "refusal"])
    outgoing = sent[0] if sent else None
    if overtaken:
        outgoing = (
            OutgoingPacket.objects.filter(
                sender=agency, kind=OutgoingPacket.Kind.DOCUMENT, document_id=row.document_id
            )
            .order_by("-created_at", "-pk")
            .first()
        )
    audit.record(
        "exchange.status_received", obj=row, data={"code": value.status_code, "from": row.sender_organ_id}
    )
    hooks.status_received.fire(incoming=row, status=value, outgoing=outgoing)
    return row


def _refusal_notice(row: IncomingPacket, reason: str) -> None:
    """A refused document whose sender we know is told why with a status 02 (its own message)."""
    if row.kind != IncomingPacket.Kind.DOCUMENT or not row.document_id:
        return
    if agency_by_code(row.sender_organ_id) is None:
        return
    try:
        key = seal_key(row.recipient)
    except Conflict:
        return
    promulgated = _promulgated(row.document_id)
    status = edxml.Status(
        sender=organ_for(row.recipient),
        response_for=edxml.ResponseFor(
            organ_id=row.sender_organ_id,
            code=row.code,
            promulgation_date=promulgated,
            document_id=row.document_id,
        ),
        status_code="02",
        description=row.refusal[:1000],
    )
    with transaction.atomic():
        _status_row(sender=row.recipient, status=status, key=key)
        row.local_status = "02"
        row.save(update_fields=["local_status"])


_sessions = threading.local()


def _session() -> requests.Session:
    """This thread's HTTP session to the hub (connection pool and adapters built once, not per call); a
    forked poll worker makes its own rather than share its parent's sockets."""
    pid = os.getpid()
    if getattr(_sessions, "pid", None) != pid:
        _sessions.pid, _sessions.session = pid, requests.Session()
    return _sessions.session


def _hub(method: str, path: str, **kwargs):
    try:
        response = _session().request(
            method, hub_url() + path, timeout=settings.CONGSO_EXCHANGE_TIMEOUT, **kwargs
        )
    except requests.RequestException as exc:
        raise HubUnavailable(_("Không kết nối được trục liên thông văn bản.")) from exc
    if response.status_code >= 500:
        raise HubUnavailable(
            _("Trục liên thông văn bản tạm ngừng (mã %(code)s).") % {"code": response.status_code}
        )
    return response


def receive(agency: Agency, limit: int = 10) -> list[tuple[IncomingPacket, str, str]]:
    """Fetch what waits at the hub for ``agency`` (the list, then each envelope as it was sent), record
    each delivery once, and acknowledge them with their results and reasons in one request once the
    batch is recorded. A failed acknowledgement is harmless: the hub delivers again, we answer
    ``duplicate``. The hub holds what it hands out for ``CONGSO_EXCHANGE_LEASE_SECONDS`` (``lease``), so
    processes receiving side by side take different deliveries. Raises ``HubUnavailable`` when the hub
    cannot be reached."""
    response = _hub(
        "GET",
        f"/api/organs/{agency.code}/pending",
        params={"limit": limit, "lease": settings.CONGSO_EXCHANGE_LEASE_SECONDS},
    )
    results, acks = [], []
    try:
        for delivery in response.json().get("deliveries", []):
            envelope = _envelope(delivery)
            if envelope is None:
                continue  # acknowledged meanwhile (its lease ran out and another poll took it)
            row, result, reason = record_delivery(agency, str(delivery.get("message_id", ""))[:64], envelope)
            if result == "refused":
                _refusal_notice(row, reason)
            acks.append(
                {
                    "delivery_id": int(delivery["delivery_id"]),
                    "result": result,
                    "reason": reason,
                    "message": row.refusal if result == "refused" else "",
                }
            )
            results.append((row, result, reason))
    except BaseException:
        try:  # what was recorded before the failure is acknowledged; the rest comes again
            _acknowledge(acks)
        except HubUnavailable:
            pass
        raise
    _acknowledge(acks)
    return results


def _envelope(delivery: dict) -> bytes | None:
    """The envelope of a listed delivery, the bytes the sender submitted; None if the hub no longer has
    it. Any other answer is the hub's fault, not the sender's: nothing is refused, the delivery comes
    again (``HubUnavailable``)."""
    response = _hub("GET", f"/api/deliveries/{int(delivery['delivery_id'])}/envelope")
    if response.status_code == 404:
        return None
    if response.status_code != 200:
        raise HubUnavailable(
            _("Trục liên thông văn bản trả lời bất thường (mã %(code)s).") % {"code": response.status_code}
        )
    return response.content


def _acknowledge(acks: list[dict]) -> None:
    """Tell the hub what became of a poll's deliveries, in one request."""
    if acks:
        _hub("POST", "/api/deliveries/ack", json={"acks": acks})


def receive_all(*, drain: bool = False, deadline: float | None = None) -> int:
    """Poll the hub for every agency that has a seal to answer with (the ``congso exchange poll`` job).

    ``drain``: poll again while the last round found something, until nothing waits or the
    ``time.monotonic()`` ``deadline`` has passed."""
    count = 0
    codes = SigningKey.objects.filter(kind=SigningKey.Kind.SEAL, is_active=True).values("agency")
    agencies = list(Agency.objects.filter(pk__in=codes, is_active=True))
    while True:
        found = sum(len(receive(agency)) for agency in agencies)
        count += found
        if not (drain and found) or (deadline is not None and time.monotonic() >= deadline):
            return count


def receive_in_processes(workers: int, *, seconds: float | None = None) -> int:
    """``receive_all(drain=True)`` in ``workers`` processes side by side (the hub's leases keep them on
    different deliveries; the inbox's unique message id records a delivery once whatever happens); each
    stops when nothing waits, or after ``seconds``. Returns the deliveries they handled."""
    if workers <= 1:
        return receive_all(drain=True, deadline=_deadline(seconds))
    connections.close_all()  # a forked process must not share the parent's database connection
    context = multiprocessing.get_context("fork")
    # What the command loaded (Django, the apps, the signature libraries: some 300,000 objects) is left
    # out of the workers' garbage collections, which otherwise walk it again and again, and stays shared
    # with the parent instead of being copied page by page (the ``gc.freeze`` recipe for fork).
    gc.freeze()
    try:
        with context.Pool(workers, initializer=_default_signals) as pool:
            counts = pool.map(_receive_worker, [seconds] * workers)
    finally:
        gc.unfreeze()
    return sum(counts)


def _default_signals() -> None:
    """A worker stops on SIGTERM and SIGINT whatever handler the parent had installed (a graceful-stop
    handler that only sets a flag would leave a worker waiting for its next task alive, and the pool's
    ``terminate`` waiting for it forever)."""
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, signal.SIG_DFL)


def _deadline(seconds: float | None) -> float | None:
    return None if seconds is None else time.monotonic() + seconds


def _receive_worker(seconds: float | None) -> int:
    connections.close_all()
    try:
        return receive_all(drain=True, deadline=_deadline(seconds))
    finally:
        connections.close_all()
