"""Tracking for citizens: their own dossiers, supplements, withdrawal, results, and the public lookup.

The contract other apps rely on:

- ``citizen_dossiers(user, status=None)`` — the dossiers the user filed or may follow (queryset);
- ``get_for_citizen(user, code)`` — one of them, or NotFound (the same for "not yours" and "no such code");
- ``citizen_view(user, dossier)`` — everything the citizen's page shows, as plain data (``CitizenView``);
- ``supplement(user, code, uploads=…, reuse=…, note=…, expected_version=…)`` — answer a supplement request
  (``expected_version`` is required here and in ``withdraw``: missing → 400, stale → 409);
- ``withdraw(user, code, reason=…, expected_version=…)`` — withdraw a pending dossier;
- ``result_file(user, code)`` — the issued result (``Result``) to download (not while a partially
  online dossier's result waits at the counter: ``online_terms``, ``result_at_counter``);
- ``receipt(user, code)`` — the receipt slip (an ``IssuedDocument``);
- ``lookup(code, check, ip=…)`` / ``lookup_signed(code, token, ip=…)`` — the public view (``PublicView``);
- ``public_lookup_url(dossier, absolute=True)`` — the signed link printed on the receipt.

State changes go through ``congso.dossiers.services`` only. A community helper acts with the
applicant's active consent (``dossiers.services.acts_as_applicant``), and each of their actions is
recorded with ``accounts.services.record_assisted_action`` in the same transaction (ADR 0071).
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.db import InterfaceError, OperationalError, transaction
from django.urls import reverse
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from congso.accounts.models import AssistanceConsent
from congso.accounts.services import is_helper, record_assisted_action, require_consent
from congso.core import audit
from congso.core.errors import Conflict, NotFound, ServiceError
from congso.core.text import MAX_REASON, too_long_message
from congso.datastore import services as datastore
from congso.dossiers import clock, slips
from congso.dossiers import services as dossier_services
from congso.dossiers.actions import version as required_version
from congso.dossiers.models import IN_PROCESS_STATUSES, Attachment, Dossier, Result, Status
from congso.dossiers.slips import available as slips_available
from congso.dossiers.workflow import APPLICANT, DOSSIER

from . import ratelimit

log = logging.getLogger("congso.tracking")

PAGE_SIZE = 20
NOT_FOUND = gettext_lazy(
    "Không tìm thấy hồ sơ với mã và số kiểm tra đã nhập. Vui lòng kiểm tra lại mã hồ sơ trên giấy hẹn "
    "và 4 số cuối điện thoại hoặc CCCD/mã số thuế đã khai khi nộp."
)
FINISHED = (Status.PROCESSED, Status.RETURNED)
PENDING = (Status.NEW, Status.ACCEPTED, Status.PROCESSING, Status.SUPPLEMENT, Status.FINANCIAL)

# What the citizen sees of the timeline. Everything else (assignment to a named official, forwarding
# between internal steps, working documents) is the agency's internal business. For the actions below
# the note is shown too, because it is addressed to the citizen (a reason, what is missing, a fee).
CITIZEN_ACTIONS = {
    "receive": False,
    "accept": False,
    "refuse": True,
    "request_supplement": True,
    "submit_supplement": True,
    "request_payment": True,
    "record_payment": False,
    "extend": True,
    "stop": True,
    "withdraw": True,
    "issue_result": False,
    "return_result": False,
}
# A forward (or a leader's approval, or return for revision) that moves the dossier to another agency,
# or a leader's transfer, is shown as "sent to <agency>", without its note.
TRANSFER = ("forward", "approve", "return_for_revision", "transfer")


def _dossiers():
    return Dossier.objects.select_related(
        "procedure_version__procedure", "receiving_agency__unit", "current_agency", "assisted_by", "applicant"
    )


# --- the citizen's own dossiers --------------------------------------------------------------


def citizen_dossiers(user, status: int | None = None):
    """Dossiers where the user is the applicant, or the helper who filed them while the applicant's
    consent for that procedure is active (the same rule as ``dossiers.services.acts_as_applicant``,
    as one subquery so the list stays one query)."""
    if not getattr(user, "is_authenticated", False):
        return Dossier.objects.none()
    from django.db.models import Exists, OuterRef, Q
    from django.utils import timezone

    mine = Q(applicant=user)
    if is_helper(user):
        consent = AssistanceConsent.objects.filter(
            helper=user, citizen=OuterRef("applicant_id"), revoked_at__isnull=True
        ).filter(Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now()))
        consent = consent.filter(
            Q(procedure_code="") | Q(procedure_code=OuterRef("procedure_version__procedure__code"))
        )
        mine |= Q(assisted_by=user) & Q(Exists(consent))
    qs = _dossiers().filter(mine).order_by("-submitted_at", "-id")
    if status is not None:
        qs = qs.filter(status=status)
    return qs


def parse_status(value) -> int | None:
    try:
        value = int(value)
    except (TypeError, ValueError):
        return None
    return value if value in Status.values else None


def get_for_citizen(user, code: str) -> Dossier:
    """The dossier if the user is its applicant or the helper who filed it with active consent.

    Anyone else gets the same NotFound as for a code that does not exist (no existence leak)."""
    dossier = _dossiers().filter(code=(code or "").strip()[:60]).first()
    if dossier is None or not dossier_services.acts_as_applicant(user, dossier):
        raise NotFound(_("Không tìm thấy hồ sơ."))
    return dossier


def _helper_consent(user, dossier):
    """The consent a helper (not the applicant) acts under, or None for the applicant themself."""
    if user.pk == dossier.applicant_id:
        return None

    return require_consent(user, dossier.applicant, dossier.procedure_version.procedure.code)


@dataclass
class TimelineItem:
    at: dt.datetime
    action: str
    label: str
    status: int
    status_label: str
    agency: str
    note: str = ""
    by_applicant: bool = False
    missing: list[str] = field(default_factory=list)


@dataclass
class CitizenView:
    dossier: Dossier
    status_label: str
    next_step: str
    flag: object  # calendar.engine.DeadlineStatus or None
    timeline: list[TimelineItem]
    attachments: list[Attachment]
    supplement_reason: str = ""
    missing: list[str] = field(default_factory=list)
    fee: object = None  # the open FinancialObligation
    result: object = None  # dossiers.Result, when issued
    actions: list[str] = field(
        default_factory=list
    )  # "supplement", "withdraw", "result", "receipt", "pay", "rate"
    helper_label: str = ""
    online: dict | None = None  # the terms it was filed under (``online_terms``)
    result_at_counter: bool = False
    in_person_due: bool = False  # partially online, still open: what must be done at the agency


# --- fully or partially online: how the result reaches the applicant -------------------------


class ResultAtCounter(ServiceError):
    status = 403
    code = "result_at_counter"


def online_terms(dossier) -> dict | None:
    """The terms an online dossier was filed under (``Dossier.online_terms``)."""
    return dossier.online_terms


def result_at_counter(dossier) -> bool:
    """True while the result of a partially online dossier waits to be collected at the counter: it is
    not delivered online (download, data store) until it has been returned there."""
    return dossier.result_collected_at_counter and dossier.status != Status.RETURNED


def flag_for(dossier, now=None):
    """On time / due soon / overdue while the clock runs; finished dossiers report whether they were late.
    No flag while the clock is stopped (supplement, fee) or for dossiers that ended without a result."""
    if dossier.status in (Status.NEW, Status.ACCEPTED, Status.PROCESSING, *FINISHED):
        return clock.flag(dossier, now)
    return None


def next_step(dossier, fee=None) -> str:
    """The next step in words, from the citizen's point of view."""
    s = dossier.status
    if s == Status.NEW:
        return _("Chờ %(agency)s kiểm tra và tiếp nhận hồ sơ") % {"agency": dossier.receiving_agency.name}
    if s in IN_PROCESS_STATUSES:
        return _("Đang xử lý tại %(agency)s") % {"agency": dossier.current_agency.name}
    if s == Status.SUPPLEMENT:
        return _("Chờ bạn bổ sung hồ sơ")
    if s == Status.FINANCIAL:
        if fee is not None:
            return _("Chờ nộp phí, lệ phí: %(amount)s đồng") % {
                "amount": f"{fee.amount:,.0f}".replace(",", ".")
            }
        return _("Chờ nộp phí, lệ phí")
    if s == Status.PROCESSED:
        if result_at_counter(dossier):
            return _("Đã có kết quả: nhận trực tiếp tại bộ phận một cửa: %(place)s") % {
                "place": (online_terms(dossier) or {}).get("result_place") or dossier.receiving_agency.name
            }
        return _("Đã có kết quả: tải về tại đây hoặc nhận tại %(agency)s") % {
            "agency": dossier.receiving_agency.name
        }
    if s == Status.RETURNED:
        return _("Đã trả kết quả")
    if s == Status.NOT_ACCEPTED:
        return _("Hồ sơ không được tiếp nhận; xem lý do trong diễn biến")
    if s == Status.WITHDRAWN:
        return _("Hồ sơ đã được rút")
    return _("Cơ quan đã dừng giải quyết hồ sơ; xem lý do trong diễn biến")


def citizen_timeline(dossier) -> list[TimelineItem]:
    items = []
    for e in dossier.timeline.select_related("agency").order_by("at", "id"):
        transfer = (e.data or {}).get("transfer") if e.action in TRANSFER else None
        if e.action not in CITIZEN_ACTIONS and not transfer:
            continue
        label = e.action_label
        if transfer:
            label = _("Chuyển hồ sơ đến %(agency)s") % {"agency": e.agency.name if e.agency_id else ""}
        by_applicant = e.actor_id is not None and e.actor_id in (dossier.applicant_id, dossier.assisted_by_id)
        items.append(
            TimelineItem(
                at=e.at,
                action=e.action,
                label=str(label),
                status=e.to_status,
                status_label=str(Status(e.to_status).label),
                agency=e.agency.name if e.agency_id else "",
                note=e.note if CITIZEN_ACTIONS.get(e.action) else "",
                by_applicant=by_applicant,
                missing=list((e.data or {}).get("missing") or []) if e.action == "request_supplement" else [],
            )
        )
    return items


def supplement_request(dossier):
    """The open supplement request's timeline entry (reason in ``note``, components in data["missing"])."""
    if dossier.status != Status.SUPPLEMENT:
        return None
    return dossier.timeline.filter(action="request_supplement").order_by("-at", "-id").first()


def citizen_view(user, dossier) -> CitizenView:
    fee = (
        dossier.obligations.filter(paid_at__isnull=True).order_by("-requested_at").first()
        if dossier.status == Status.FINANCIAL
        else None
    )
    result = (
        Result.objects.select_related("attachment").filter(dossier=dossier).first()
        if dossier.status in FINISHED
        else None
    )
    request = supplement_request(dossier)
    roles = {APPLICANT} if dossier_services.acts_as_applicant(user, dossier) else set()
    available = {t.name for t in DOSSIER.available(dossier.status, roles)}
    actions = []
    if "submit_supplement" in available:
        actions.append("supplement")
    if "withdraw" in available:
        actions.append("withdraw")
    if result is not None and not result_at_counter(dossier):
        actions.append("result")

    if {"receipt", "submission"} & {key for key, _title in slips_available(dossier)}:
        actions.append("receipt")
    if fee is not None:
        actions.append("pay")
    if dossier.status in FINISHED:
        actions.append("rate")
    helper_label = ""
    if dossier.assisted_by_id:
        helper_label = _("Nộp với sự hỗ trợ của %(helper)s") % {"helper": dossier.assisted_by}
    return CitizenView(
        dossier=dossier,
        status_label=str(dossier.get_status_display()),
        next_step=next_step(dossier, fee),
        flag=flag_for(dossier),
        timeline=citizen_timeline(dossier),
        attachments=list(
            dossier.attachments.filter(
                purpose__in=(Attachment.Purpose.COMPONENT, Attachment.Purpose.SUPPLEMENT)
            ).order_by("uploaded_at", "id")
        ),
        supplement_reason=request.note if request else "",
        missing=list((request.data or {}).get("missing") or []) if request else [],
        fee=fee,
        result=result,
        actions=actions,
        helper_label=helper_label,
        online=online_terms(dossier),
        result_at_counter=result is not None and result_at_counter(dossier),
        in_person_due=(online_terms(dossier) or {}).get("level") == "partial"
        and dossier.status not in (Status.NOT_ACCEPTED, Status.WITHDRAWN, Status.STOPPED, Status.RETURNED),
    )


def record_read(user, dossier, via: str) -> None:
    """A helper opening a citizen's dossier is a read of personal data: audited. The owner's own reads too."""
    audit.record("dossier.read", obj=dossier, actor=user, data={"via": via, "citizen": True})


# --- citizen actions -------------------------------------------------------------------------


def supplement(
    user,
    code: str,
    *,
    uploads: list = (),
    reuse: list[tuple[str, str]] = (),
    note: str = "",
    expected_version: int | None = None,
) -> Dossier:
    """Supply what the agency asked for: new files (``dossiers.services.Upload``) and/or papers from the
    personal data store (``reuse``: (document id, component) pairs). The clock resumes.

    ``expected_version`` is required (``dossiers.actions.version``: missing → 400 ``version_required``);
    a second click (a stale one) is a 409 with a clear message and changes nothing."""

    expected_version = required_version(expected_version)
    note = (note or "").strip()
    if len(note) > MAX_REASON:
        raise ServiceError(too_long_message(MAX_REASON, len(note)), field="note")
    dossier = get_for_citizen(user, code)
    if dossier.status != Status.SUPPLEMENT:
        raise Conflict(
            _("Hồ sơ %(code)s không ở trạng thái chờ bổ sung (có thể bạn đã gửi bổ sung rồi).")
            % {"code": dossier.code}
        )
    if reuse and user.pk != dossier.applicant_id:
        raise ServiceError(
            _("Chỉ chủ hồ sơ mới dùng lại được giấy tờ trong kho dữ liệu cá nhân của mình."), field="reuse"
        )
    documents = [(datastore.get_owned(user, document_id), component) for document_id, component in reuse]
    all_uploads = list(uploads) + [datastore.as_upload(doc, component) for doc, component in documents]
    if not all_uploads:
        raise ServiceError(_("Vui lòng chọn ít nhất một tệp để bổ sung."), field="files")
    with transaction.atomic():
        consent = _helper_consent(user, dossier)
        dossier = dossier_services.submit_supplement(
            dossier.pk,
            actor=user,
            uploads=all_uploads,
            note=note,
            expected_version=expected_version,
        )
        for doc, component in documents:
            datastore.record_reuse(doc, dossier, component, user)
        if consent is not None:
            record_assisted_action(consent, "dossier.submit_supplement", dossier)
    return dossier


def withdraw(user, code: str, *, reason: str, expected_version: int | None = None) -> Dossier:
    """Withdraw a pending dossier. ``expected_version`` is required, as for ``supplement``."""
    expected_version = required_version(expected_version)
    dossier = get_for_citizen(user, code)
    reason = (reason or "").strip()
    if len(reason) > MAX_REASON:
        raise ServiceError(too_long_message(MAX_REASON, len(reason)), field="reason")
    if not reason:
        raise ServiceError(_("Vui lòng cho biết lý do rút hồ sơ."), field="reason")
    if dossier.status not in PENDING:
        raise Conflict(
            _("Hồ sơ %(code)s không còn đang giải quyết nên không rút được (có thể bạn đã rút rồi).")
            % {"code": dossier.code}
        )
    with transaction.atomic():
        consent = _helper_consent(user, dossier)
        dossier = dossier_services.withdraw(
            dossier.pk, actor=user, reason=reason, expected_version=expected_version
        )
        if consent is not None:
            record_assisted_action(consent, "dossier.withdraw", dossier)
    return dossier


def result_file(user, code: str):
    """The issued result of the user's dossier (``dossiers.Result`` with its attachment); audited."""

    dossier = get_for_citizen(user, code)
    result = Result.objects.select_related("attachment").filter(dossier=dossier).first()
    if result is None or dossier.status not in FINISHED:
        raise NotFound(_("Hồ sơ chưa có kết quả để tải về."))
    if result_at_counter(dossier):
        raise ResultAtCounter(
            _(
                "Thủ tục này là dịch vụ công trực tuyến một phần: kết quả được trả trực tiếp tại bộ phận một "
                "cửa (%(place)s), không trả trực tuyến."
            )
            % {"place": (online_terms(dossier) or {}).get("result_place") or dossier.receiving_agency.name}
        )
    audit.record("dossier.result_download", obj=dossier, actor=user, data={"number": result.number})
    return result


def receipt(user, code: str):
    """The citizen's paper: the submission receipt of an online dossier, then (once accepted) the
    receipt slip (Giấy tiếp nhận hồ sơ và hẹn trả kết quả). Issued once by the platform, then reused."""

    dossier = get_for_citizen(user, code)
    document = slips.citizen_receipt(dossier, user)
    if document is None:
        raise NotFound(_("Hồ sơ chưa có giấy biên nhận."))
    audit.record("dossier.receipt_download", obj=dossier, actor=user)
    return document


# --- the public lookup -----------------------------------------------------------------------


@dataclass
class PublicView:
    """What anyone may see: status and dates, the procedure and the agencies. No personal data."""

    code: str
    procedure_code: str
    procedure_name: str
    status: int
    status_label: str
    receiving_agency: str
    current_agency: str
    submitted_at: dt.datetime
    received_at: dt.datetime | None
    due_at: dt.datetime | None
    finished_at: dt.datetime | None
    returned_at: dt.datetime | None

    def as_dict(self) -> dict:
        return dict(self.__dict__)


PUBLIC_FIELDS = (
    "code",
    "status",
    "submitted_at",
    "received_at",
    "due_at",
    "finished_at",
    "returned_at",
    "applicant_phone",
    "applicant_id_number",
    "procedure_version__procedure__code",
    "procedure_version__procedure__name",
    "receiving_agency__name",
    "current_agency__name",
)


_PUBLIC_SQL: dict[str, str] = {}


def _public_sql(connection) -> str:
    """The lookup's SQL, compiled by the ORM once per process and database vendor (compiling it costs
    more CPU than running it). Parameter: the code."""
    sql = _PUBLIC_SQL.get(connection.vendor)
    if sql is None:
        query = Dossier.objects.filter(code="?").order_by().values(*PUBLIC_FIELDS)[:1].query
        sql, params = query.get_compiler(connection=connection).as_sql()
        assert list(params) == ["?", 1] or list(params) == ["?"], params  # noqa: S101 — shape check
        _PUBLIC_SQL[connection.vendor] = sql
    return sql


@functools.cache
def _prepared_cursor_class():
    """A psycopg 3 cursor whose statements are prepared on the server (psycopg names and caches them
    per connection), or None (psycopg 2)."""
    try:
        from django.db.backends.postgresql.base import ServerBindingCursor
    except ImportError:
        return None

    class PreparedCursor(ServerBindingCursor):
        def execute(self, query, params=None, *, prepare=True, **kwargs):
            return super().execute(query, params, prepare=prepare, **kwargs)

    return PreparedCursor


def _lookup_cursor(connection):
    """Django's cursor, except on PostgreSQL (unless ``CONGSO_LOOKUP_PREPARED`` is off): a cursor that
    runs the lookup as a prepared statement from its first call, so PostgreSQL plans the 4-join query
    once per connection instead of on every lookup (planning cost ~10× executing it: ~0.4 of ~0.6 ms of
    the database's CPU per lookup, ADR 0077). Other statements are prepared after five runs when
    ``CONGSO_DB_PREPARED_STATEMENTS`` is on (ADR 0079); with it off, the lookup still prepares its own.
    Behind a pooler that does not keep protocol-level prepared statements (PgBouncer < 1.21, or
    without ``max_prepared_statements``), turn both settings off.
    Thread check as for ``connection.cursor()``. Django's per-request health check (a ``SELECT 1``
    round trip before the first query, a sixth of a lookup's cost) is skipped: ``_public_row``
    reconnects once instead when the database has dropped the connection."""
    cls = _prepared_cursor_class() if connection.vendor == "postgresql" else None
    if cls is None or not getattr(settings, "CONGSO_LOOKUP_PREPARED", True) or connection.queries_logged:
        # While queries are logged (DEBUG, tests counting queries), Django's own cursor, whose log
        # shows the statement with its parameters.
        return connection.cursor()
    connection.health_check_done = True
    connection.ensure_connection()
    connection.validate_thread_sharing()
    if connection.connection.prepare_threshold is None:
        # Django turns psycopg's prepared statements off (None); this number means "only when asked",
        # i.e. by the cursor below (Django's own cursors bind on the client and never prepare).
        connection.connection.prepare_threshold = 2**31 - 1
    return connection.make_cursor(cls(connection.connection))


def _fetch_one(connection, sql, params):
    with _lookup_cursor(connection) as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


def _public_row(code: str) -> dict | None:
    """One indexed query (the unique index on ``code``), only the columns needed, no model instances."""
    from django.db import connection

    sql = _public_sql(connection)
    params = [code, 1] if sql.count("%s") == 2 else [code]
    try:
        row = _fetch_one(connection, sql, params)
    except (OperationalError, InterfaceError):
        # The database dropped this kept-alive connection (restart, idle timeout, failover): open a new
        # one and ask again, once — what the skipped health check would have done before the query.
        if connection.in_atomic_block:
            raise
        log.warning("public lookup: the database connection was dropped; reconnecting")
        connection.close()
        row = _fetch_one(connection, sql, params)
    if row is None:
        return None
    data = dict(zip(PUBLIC_FIELDS, row, strict=True))
    # SQLite hands back text for timestamps; the backend's own converter makes them aware datetimes.
    convert = getattr(connection.ops, "convert_datetimefield_value", None)
    if convert is not None:
        for name in ("submitted_at", "received_at", "due_at", "finished_at", "returned_at"):
            data[name] = convert(data[name], None, connection)
    return data


def _public(row) -> PublicView:
    return PublicView(
        code=row["code"],
        procedure_code=row["procedure_version__procedure__code"],
        procedure_name=row["procedure_version__procedure__name"],
        status=row["status"],
        status_label=str(Status(row["status"]).label),
        receiving_agency=row["receiving_agency__name"],
        current_agency=row["current_agency__name"],
        submitted_at=row["submitted_at"],
        received_at=row["received_at"],
        due_at=row["due_at"],
        finished_at=row["finished_at"],
        returned_at=row["returned_at"],
    )


def normalise_code(code) -> str:
    return "".join(str(code or "").split()).upper()[:60]


def normalise_check(check) -> str:
    return "".join(ch for ch in str(check or "") if ch.isalnum()).upper()[:20]


def _last4(value: str, digits_only: bool) -> str:
    chars = [ch for ch in (value or "") if (ch.isdigit() if digits_only else ch.isalnum())]
    return "".join(chars[-4:]).upper() if len(chars) >= 4 else ""


def _check_matches(row, check: str) -> bool:
    phone = _last4(row["applicant_phone"], digits_only=True)
    ident = _last4(row["applicant_id_number"], digits_only=False)
    # Both comparisons always run (constant time, no shortcut that a stopwatch could tell apart).
    ok_phone = constant_time_compare(phone or "\x00", check)
    ok_ident = constant_time_compare(ident or "\x00", check)
    return ok_phone | ok_ident


def lookup(code, check, *, ip: str | None = None) -> PublicView:
    """The public view of a dossier from its code and the last 4 digits of the applicant's phone or
    CCCD/tax code. A wrong code and a wrong check value give the same NotFound; rate-limited."""
    code, check = normalise_code(code), normalise_check(check)
    locked = ratelimit.hit(ip, code)
    if not code or len(check) != 4:
        raise ServiceError(
            _("Vui lòng nhập mã hồ sơ và đúng 4 ký tự cuối của số điện thoại hoặc CCCD/mã số thuế."),
            field="check" if code else "code",
        )
    row = _public_row(code)
    if row is None or not _check_matches(row, check):
        ratelimit.fail_code(code, locked=locked)  # 429 once the code has had too many wrong values
        raise NotFound(str(NOT_FOUND))
    return _public(row)


def lookup_token(code: str) -> str:
    """An HMAC of the dossier code (SECRET_KEY, its own salt): 22 URL-safe characters, 132 bits."""
    digest = salted_hmac("congso.tracking.lookup", code, algorithm="sha256").digest()
    return base64.urlsafe_b64encode(digest).decode()[:22]


def lookup_signed(code, token, *, ip: str | None = None) -> PublicView:
    """The public view from the receipt's QR link: no second factor, the token proves the receipt."""
    code = normalise_code(code)
    ratelimit.hit_ip(ip)
    if not code or not constant_time_compare(lookup_token(code), str(token or "")[:64]):
        raise NotFound(str(NOT_FOUND))
    row = _public_row(code)
    if row is None:
        raise NotFound(str(NOT_FOUND))
    return _public(row)


def public_lookup_url(dossier, absolute: bool = True) -> str:
    path = reverse(
        "tracking:lookup_signed", kwargs={"code": dossier.code, "token": lookup_token(dossier.code)}
    )
    return settings.SITE_URL.rstrip("/") + path if absolute else path


def record_status_url(code: str, absolute: bool = False) -> str:
    """``signing.record_status_url``: the public status link of the dossier with ``code``, or ""."""
    dossier = Dossier.objects.filter(code=code).only("code").first()
    return public_lookup_url(dossier, absolute=absolute) if dossier is not None else ""
