"""Use cases of the one-stop back office. Each runs in one transaction, locks the dossier row,
checks the transition declared in ``workflow.py`` against the actor's roles, changes state, writes
the timeline entry and the audit entry, and returns the dossier — or raises a ServiceError with a
Vietnamese message, having changed nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation

from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from congso.core import audit, compiled
from congso.core.errors import Conflict, Forbidden, NotFound, ServiceError
from congso.core.text import fold
from congso.core.uploads import inspect_upload
from congso.directory.models import Agency, Role
from congso.directory.scope import active_memberships, roles_at

from . import clock
from .checks import code_pattern
from .models import (
    Attachment,
    Channel,
    ClockPause,
    Dossier,
    DossierCodeSequence,
    Extension,
    FinancialObligation,
    ProcessStep,
    Result,
    Status,
    StepRun,
    TimelineEntry,
)
from .notifications import notify_applicant
from .workflow import APPLICANT, DOSSIER, PAYMENT_GATEWAY, RESUME, step_kind


@dataclass
class Applicant:
    name: str
    id_number: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    on_behalf_of: str = ""
    user: object = None


@dataclass
class Upload:
    component: str
    file: object  # an UploadedFile, file object or bytes
    name: str = ""


@dataclass
class Terms:
    """The time limit that applies to a dossier, from the agency's offering or the procedure."""

    value: Decimal | None
    unit: str = ""
    notes: list[str] = field(default_factory=list)


# --- roles -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SystemActor:
    """The system acting on a dossier with one pseudo-role of ``workflow.py`` (no user, no session).

    Built only in code, never from a request: a person can never obtain such a role, because
    ``roles_for`` gives pseudo-roles to SystemActor instances only. Used by ``record_gateway_payment``.
    """

    role: str
    name: str
    is_authenticated = False
    pk = None

    def __str__(self):
        return self.name


def counter_roles(user, agency: Agency) -> set[str]:
    """Roles at ``agency`` plus the counter role a Public Administration Service Centre's clerk holds for
    every agency the centre serves (those under the centre's parent, e.g. the People's Committee)."""
    roles = roles_at(user, agency)
    if Role.CLERK not in roles:
        for m in active_memberships(user, Role.CLERK).filter(agency__kind=Agency.Kind.SERVICE_CENTRE):
            parent = m.agency.parent
            if parent is not None and agency.path.startswith(parent.path):
                roles.add(Role.CLERK)
                break
    return roles


def acts_as_applicant(user, dossier: Dossier) -> bool:
    """The applicant's account, or the community helper who filed it while the applicant's consent
    (accounts.services.require_consent, for this procedure) is active — never after it is revoked or
    has expired, and never when the dossier has no applicant account to have consented (ADR 0071)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.pk == dossier.applicant_id:
        return True
    if user.pk != dossier.assisted_by_id or dossier.applicant_id is None:
        return False
    from congso.accounts.services import ConsentRequired, require_consent

    try:
        require_consent(user, dossier.applicant, dossier.procedure_version.procedure.code)
    except ConsentRequired:
        return False
    return True


def roles_for(user, dossier: Dossier) -> set[str]:
    if isinstance(user, SystemActor):
        return {user.role}
    roles = roles_at(user, dossier.current_agency)
    # The counter that receives for the agency keeps its counter role (check, return, payments).
    roles |= counter_roles(user, dossier.receiving_agency) & {Role.CLERK}
    if acts_as_applicant(user, dossier):
        roles.add(APPLICANT)
    return roles


def available_transitions(user, dossier: Dossier, *, roles: set[str] | None = None) -> list:
    """The transitions ``user`` may take on ``dossier`` now: its status, the user's roles there and the
    kind of its current step (e.g. "issue result" only at văn thư's issue step). Pages and the API
    list their actions with this. ``roles``: the user's roles there when the caller has them."""
    roles = roles_for(user, dossier) if roles is None else roles
    return DOSSIER.available(dossier.status, roles, step=step_kind(dossier.current_step))


# --- codes -----------------------------------------------------------------------------------


def next_code(agency: Agency, when: dt.datetime) -> str:
    """The next dossier code of ``agency`` for the local day of ``when``. Call inside a transaction.

    One atomic upsert (PostgreSQL and SQLite ≥ 3.35 both support ON CONFLICT … RETURNING): the row
    lock it takes is held until the caller commits, so concurrent receipts get consecutive numbers.
    """
    day = timezone.localdate(when)
    table = connection.ops.quote_name(DossierCodeSequence._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (agency_id, day, last_value) VALUES (%s, %s, 1) "  # noqa: S608 — table name from _meta
            f"ON CONFLICT (agency_id, day) DO UPDATE SET last_value = {table}.last_value + 1 RETURNING last_value",
            [agency.pk, day],
        )
        (seq,) = cursor.fetchone()
    # The pattern was checked at startup (checks.check_code_pattern).
    return code_pattern().format(agency=agency.code, date=day, seq=seq)


# --- helpers ---------------------------------------------------------------------------------


def _lock(dossier_id, expected_version: int | None) -> Dossier:
    try:
        dossier = (
            Dossier.objects.select_for_update(of=("self",))
            .select_related("receiving_agency__unit", "current_agency", "current_step", "template")
            .get(pk=dossier_id)
        )
    except Dossier.DoesNotExist:
        raise NotFound(_("Không tìm thấy hồ sơ.")) from None
    if expected_version is not None and dossier.version != expected_version:
        raise Conflict(
            _("Hồ sơ %(code)s vừa được người khác cập nhật. Vui lòng tải lại trang để xem trạng thái mới.")
            % {"code": dossier.code}
        )
    return dossier


# Moments officials type stay within these years: a date outside them is a typing mistake, and the
# year 9999 overflows when converted between time zones.
EARLIEST_YEAR, LATEST_YEAR = 2000, 2100


def aware_moment(moment, *, field: str = "") -> dt.datetime | None:
    """A moment given by a form or an API client, made timezone-aware.

    A naive datetime means the agency's local time: every agency is in Vietnam, so
    ``settings.TIME_ZONE`` (Asia/Ho_Chi_Minh). Anything that is not a datetime in a plausible year is
    refused with a Vietnamese message (never a TypeError or an OverflowError, i.e. a 500)."""
    if moment is None:
        return None
    if not isinstance(moment, dt.datetime) or not EARLIEST_YEAR <= moment.year <= LATEST_YEAR:
        raise ServiceError(
            _("Thời điểm không hợp lệ: hãy nhập ngày giờ trong khoảng năm %(first)s–%(last)s.")
            % {"first": EARLIEST_YEAR, "last": LATEST_YEAR},
            field=field or None,
        )
    if timezone.is_naive(moment):
        return timezone.make_aware(moment, timezone.get_default_timezone())
    return moment


def _save(dossier: Dossier, *fields: str) -> None:
    dossier.version += 1
    dossier.save(update_fields=[*fields, "version", "updated_at"])


def _event(
    dossier, actor, transition_name, label, from_status, *, note="", data=None, step=None, agency=None
) -> tuple[TimelineEntry, dict]:
    """A timeline entry (unsaved) and its audit record, describing the dossier as it is now.
    ``agency``: where it happened, when that is not the dossier's current agency (a result issued at
    another agency, after which the dossier is back at the receiving counter)."""
    authenticated = getattr(actor, "is_authenticated", False)
    entry = TimelineEntry(
        dossier=dossier,
        at=timezone.now(),
        actor=actor if authenticated else None,
        actor_name=str(actor) if authenticated or isinstance(actor, SystemActor) else "",
        action=transition_name,
        action_label=str(label),
        from_status=from_status,
        to_status=dossier.status,
        agency=agency or dossier.current_agency,
        step=step or dossier.current_step,
        note=note,
        data=data or {},
    )
    record = {
        "action": f"dossier.{transition_name}",
        "obj": dossier,
        "actor": actor,
        "data": {"from": from_status, "to": dossier.status, "note": note, **(data or {})},
    }
    return entry, record


def _write_events(events: list[tuple[TimelineEntry, dict]]) -> list[TimelineEntry]:
    """Write timeline entries and their audit entries (one each, in order) in the caller's transaction."""
    entries = compiled.insert([entry for entry, _record in events])
    audit.record_many([record for _entry, record in events])
    return entries


def _timeline(
    dossier, actor, transition_name, label, from_status, *, note="", data=None, step=None, agency=None
) -> TimelineEntry:
    (entry,) = _write_events(
        [
            _event(
                dossier,
                actor,
                transition_name,
                label,
                from_status,
                note=note,
                data=data,
                step=step,
                agency=agency,
            )
        ]
    )
    return entry


def _write_files(dossier, checked_uploads, actor, purpose) -> list[Attachment]:
    """Attachments for files already checked by ``_inspect_all`` (never parsed or hashed twice), their
    content written to storage under fresh names; the rows are not saved yet."""
    uploaded_by = actor if getattr(actor, "is_authenticated", False) else None
    written = []
    try:
        for upload, checked in checked_uploads:
            attachment = Attachment(
                dossier=dossier,
                purpose=purpose,
                component=upload.component,
                original_name=(upload.name or checked.original_name)[:255],
                kind=checked.kind,
                extension=checked.extension,
                size=checked.size,
                sha256=checked.sha256,
                pages=checked.pages,
                uploaded_by=uploaded_by,
            )
            attachment.file.save("f", ContentFile(checked.content), save=False)
            written.append(attachment)
    except BaseException:
        _discard_files(written)
        raise
    return written


def _discard_files(attachments) -> None:
    """Remove files written for an action that did not happen (best effort: a leftover file is harmless)."""
    for attachment in attachments:
        try:
            attachment.file.storage.delete(attachment.file.name)
        except Exception:  # noqa: BLE001, S110
            pass


def _insert_attachments(attachments, entry=None) -> None:
    for attachment in attachments:
        attachment.timeline_entry = entry
    compiled.insert(attachments)


def _store_files(dossier, checked_uploads, actor, purpose, entry=None) -> list[Attachment]:
    """Store checked files and their rows (inside the caller's transaction)."""
    stored = _write_files(dossier, checked_uploads, actor, purpose)
    _insert_attachments(stored, entry)
    return stored


def _inspect_all(uploads) -> list:
    """Check every file before anything is written, so one bad file refuses the whole action.

    Returns (upload, CheckedFile) pairs: the checked content (EXIF removed) is what gets stored."""
    return [(upload, inspect_upload(upload.file)) for upload in uploads]


def terms_for(procedure_version, agency: Agency, channel: int, **known) -> Terms:
    """The time limit for a dossier: the catalogue's effective terms (the agency's shorter local time,
    else the procedure's) for the dossier's channel, else for any channel that states one.
    ``known``: ``offering=`` when the caller has already loaded the agency's offering."""
    from congso.catalog.services import effective_terms

    wanted = {Channel.IN_PERSON: "in_person", Channel.ONLINE: "online", Channel.POST: "post"}[
        Channel(channel)
    ]
    rows = effective_terms(procedure_version.procedure, agency, version=procedure_version, **known).channels
    for row in sorted(rows, key=lambda r: r.channel != wanted):
        if row.time_value is not None and row.time_unit:
            return Terms(
                Decimal(str(row.time_value)), row.time_unit, ["local" if row.time_is_local else row.channel]
            )
    return Terms(None, "", ["none"])


def _enter_step(dossier: Dossier, step: ProcessStep | None, actor, assignee=None) -> None:
    """Finish the open step run and start ``step``."""
    now = timezone.now()
    StepRun.objects.filter(dossier=dossier, finished_at__isnull=True).update(finished_at=now)
    dossier.current_step = step
    dossier.holder_role = step.role if step else ""
    dossier.assignee = assignee
    if step is None:
        return
    dossier.current_agency = step.agency or dossier.receiving_agency
    if step.kind == ProcessStep.Kind.TRANSFER:
        # Back to a transfer step (a chain of transfers returning): the due moment it was given.
        due = (
            StepRun.objects.filter(dossier=dossier, step=step)
            .order_by("-started_at")
            .values_list("due_at", flat=True)
            .first()
        )
    else:
        shares = list(
            step.template.steps.filter(retired=False, position__lte=step.position).values_list(
                "share_percent", flat=True
            )
        )
        due = _step_due(dossier, shares)
    StepRun.objects.create(
        dossier=dossier,
        step=step,
        agency=dossier.current_agency,
        assignee=assignee,
        started_at=now,
        due_at=due,
    )


def _step_due(dossier: Dossier, shares, pauses=None) -> dt.datetime | None:
    """When the current step falls due: its and the earlier steps' shares of the allowance."""
    fraction = min(Decimal(1), sum(shares, Decimal(0)) / 100) if shares else Decimal(1)
    return clock.due_for(dossier, fraction, pauses=pauses) if fraction > 0 else None


def _apply_accept(dossier: Dossier, steps: list[ProcessStep]) -> StepRun | None:
    """Accept in memory: status 2, the clock starts at receipt, the dossier enters its template's first
    step. Returns the first step's run, unsaved (the dossier has no runs and no pauses yet)."""
    now = timezone.now()
    dossier.status = Status.ACCEPTED
    dossier.received_at = now
    _start_clock(dossier)
    step = steps[0] if steps else None
    dossier.current_step = step
    dossier.holder_role = step.role if step else ""
    dossier.assignee = None
    if step is None:
        return None
    dossier.current_agency = step.agency or dossier.receiving_agency
    shares = [s.share_percent for s in steps if s.position <= step.position]
    return StepRun(
        dossier=dossier,
        step=step,
        agency=dossier.current_agency,
        assignee=None,
        started_at=now,
        due_at=_step_due(dossier, shares, pauses=[]),
    )


def _recompute_due(dossier: Dossier) -> None:
    """After a pause: the legal due moment moves by the paused office time; an extension only ever adds."""
    dossier.legal_due_at = clock.due_for(dossier)
    latest = dossier.extensions.order_by("-requested_at").first()
    dossier.due_at = (
        max(dossier.legal_due_at, latest.new_due_at)
        if latest and dossier.legal_due_at
        else dossier.legal_due_at
    )


def _start_clock(dossier: Dossier) -> None:
    dossier.received_at = dossier.received_at or timezone.now()
    dossier.legal_due_at = clock.due_for(dossier, pauses=[])
    dossier.due_at = dossier.legal_due_at


# --- use cases -------------------------------------------------------------------------------


def receive(
    *,
    actor,
    agency: Agency,
    procedure_version,
    channel: int,
    applicant: Applicant,
    form_data: dict | None = None,
    uploads: list[Upload] = (),
    accept_now: bool = False,
    assisted_by=None,
    note: str = "",
    audit_data: dict | None = None,
    **known,
) -> Dossier:
    """Register a dossier: at the counter or by post (the clerk may accept at once), or online (status 1).

    One transaction, written once in its final state: the dossier row, its timeline ("receive", and
    "accept" when accepted at once) with one audit entry each, its files and its first step run.
    Inside a caller's transaction (online filing) it joins it without a savepoint: any error rolls the
    whole back. ``audit_data``: more facts for the receipt's audit entry (e.g. the portal's draft).
    ``known``: ``offering=`` when the caller has already loaded the agency's offering. The dossier
    returned carries ``received_attachments``, the rows of its component files."""
    from .processes import steps_for

    if not applicant.name.strip():
        raise ServiceError(_("Cần nhập họ tên người nộp hoặc tên tổ chức."), field="applicant_name")
    if channel not in Channel.values:
        raise ServiceError(_("Hình thức nộp hồ sơ không hợp lệ."), field="channel")
    # Filing online needs no role at the agency (the applicant files); the counter's role is looked up
    # only when a clerk receives (in person, by post) or accepts at once.
    actor_roles = counter_roles(actor, agency) if channel != Channel.ONLINE or accept_now else set()
    if channel != Channel.ONLINE or accept_now:
        if Role.CLERK not in actor_roles:
            raise Forbidden(_("Chỉ cán bộ một cửa của cơ quan mới tiếp nhận hồ sơ tại quầy."))
    accept_t = DOSSIER.check("accept", state=Status.NEW, roles=actor_roles) if accept_now else None
    checked = _inspect_all(uploads)
    terms = terms_for(procedure_version, agency, channel, **known)
    template, steps = steps_for(agency, procedure_version.procedure)
    # Everything is prepared before the transaction — the dossier in its final state, its timeline and
    # audit records, its step run and its files (written to storage now) — so that the transaction only
    # inserts rows, and holds the agency's code counter (locked until commit) for as short as possible.
    now = timezone.now()
    dossier = Dossier(
        procedure_version=procedure_version,
        receiving_agency=agency,
        current_agency=agency,
        channel=channel,
        status=Status.NEW,
        applicant=applicant.user,
        applicant_name=applicant.name.strip(),
        applicant_folded=fold(applicant.name),
        applicant_id_number=applicant.id_number.strip(),
        applicant_phone=applicant.phone.strip(),
        applicant_email=applicant.email.strip(),
        applicant_address=applicant.address.strip(),
        on_behalf_of=applicant.on_behalf_of.strip(),
        assisted_by=assisted_by,
        form_data=form_data or {},
        submitted_at=now,
        allowance_value=terms.value,
        allowance_unit=terms.unit,
        template=template,
        holder_role=Role.CLERK,
    )
    events = [
        _event(
            dossier,
            actor,
            "receive",
            _("Nộp hồ sơ"),
            None,
            note=note,
            data={"channel": channel, "assisted_by": getattr(assisted_by, "pk", None)},
        )
    ]
    events[0][1]["data"].update(audit_data or {})
    run = None
    if accept_t is not None:
        # Accepted at once: the same state change as ``accept`` (one more version); its timeline and
        # audit entries follow the receipt's.
        run = _apply_accept(dossier, steps)
        dossier.version += 1
        events.append(
            _event(
                dossier,
                actor,
                "accept",
                accept_t.label,
                Status.NEW,
                data={"due_at": dossier.due_at.isoformat() if dossier.due_at else None},
            )
        )
    attachments = _write_files(dossier, checked, actor, Attachment.Purpose.COMPONENT)
    try:
        with transaction.atomic(savepoint=False):
            reserved = _reserve_dossier_id()
            if reserved is not None:
                # PostgreSQL: the rows that point at the dossier go first (foreign keys are checked at
                # commit), so the code counter is locked only for the last few statements.
                dossier.pk = reserved
                _insert_children(events, attachments, run)
            dossier.code = next_code(agency, now)
            compiled.insert([dossier])
            if reserved is None:
                _insert_children(events, attachments, run)
            audit.record_many([record for _entry, record in events])
            # Messages to the applicant about this receipt (and its acceptance), in this transaction.
            if accept_t is not None:
                notify_applicant(dossier, "received")
            notify_applicant(dossier, "submitted")
    except BaseException:
        _discard_files(attachments)
        raise
    dossier.received_attachments = attachments  # its component files, for the caller (no query)
    return dossier


def _reserve_dossier_id() -> int | None:
    """The next dossier id from PostgreSQL's sequence (no lock); None on other databases."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id'))", [Dossier._meta.db_table])
        return cursor.fetchone()[0]


def _insert_children(events, attachments, run) -> None:
    entries = compiled.insert([entry for entry, _record in events])
    _insert_attachments(attachments, entries[0])
    if run is not None:
        compiled.insert([run])


def _accept(dossier: Dossier, actor, note: str, roles: set[str] | None = None) -> None:
    from .processes import current_steps

    roles = roles_for(actor, dossier) if roles is None else roles
    DOSSIER.check("accept", state=dossier.status, roles=roles)
    before = dossier.status
    run = _apply_accept(dossier, current_steps(dossier.template))
    if run is not None:
        run.save(force_insert=True)
    _save(
        dossier,
        "status",
        "received_at",
        "due_at",
        "legal_due_at",
        "current_step",
        "holder_role",
        "current_agency",
        "assignee",
    )
    _timeline(
        dossier,
        actor,
        "accept",
        DOSSIER.get("accept").label,
        before,
        note=note,
        data={"due_at": dossier.due_at.isoformat() if dossier.due_at else None},
    )
    notify_applicant(dossier, "received")


def accept(dossier_id, *, actor, expected_version=None, note="") -> Dossier:
    with transaction.atomic():
        dossier = _lock(dossier_id, expected_version)
        _accept(dossier, actor, note)
        return dossier


def _simple(
    dossier_id,
    name,
    *,
    actor,
    expected_version,
    provided=None,
    note="",
    data=None,
    changes=None,
    closes=False,
    notify: str = "",
) -> Dossier:
    """Check and apply a transition whose effect is the status, ``changes`` on the dossier, and — for a
    transition that ends the dossier's processing (``closes``) — closing its pauses, step and inbox place."""
    with transaction.atomic():
        dossier = _lock(dossier_id, expected_version)
        t = DOSSIER.check(name, state=dossier.status, roles=roles_for(actor, dossier), provided=provided)
        before = dossier.status
        dossier.status = t.target
        changes = dict(changes or {})
        if closes:
            now = timezone.now()
            dossier.pauses.filter(ended_at__isnull=True).update(ended_at=now)
            StepRun.objects.filter(dossier=dossier, finished_at__isnull=True).update(finished_at=now)
            changes.update(holder_role="", assignee=None)
        fields = ["status"]
        for attr, value in changes.items():
            setattr(dossier, attr, value)
            fields.append(attr)
        _save(dossier, *fields)
        _timeline(dossier, actor, name, t.label, before, note=note, data=data)
        if notify:
            notify_applicant(dossier, notify, reason=note)
        return dossier


def refuse(dossier_id, *, actor, reason: str, expected_version=None) -> Dossier:
    reason = reason.strip()
    return _simple(
        dossier_id,
        "refuse",
        actor=actor,
        expected_version=expected_version,
        provided={"reason": reason},
        note=reason,
        changes={"finished_at": timezone.now()},
        closes=True,
        notify="refused",
    )


def withdraw(dossier_id, *, actor, reason: str, expected_version=None) -> Dossier:
    reason = reason.strip()
    return _simple(
        dossier_id,
        "withdraw",
        actor=actor,
        expected_version=expected_version,
        provided={"reason": reason},
        note=reason,
        closes=True,
        notify="withdrawn",
    )


def stop(dossier_id, *, actor, reason: str, expected_version=None) -> Dossier:
    reason = reason.strip()
    return _simple(
        dossier_id,
        "stop",
        actor=actor,
        expected_version=expected_version,
        provided={"reason": reason},
        note=reason,
        changes={"finished_at": timezone.now()},
        closes=True,
        notify="stopped",
    )


def _pause(dossier_id, name, reason_kind, *, actor, expected_version, provided, note, data=None, after=None):
    with transaction.atomic():
        dossier = _lock(dossier_id, expected_version)
        t = DOSSIER.check(name, state=dossier.status, roles=roles_for(actor, dossier), provided=provided)
        before = dossier.status
        ClockPause.objects.create(
            dossier=dossier, reason=reason_kind, started_at=timezone.now(), resume_status=before
        )
        dossier.status = t.target
        _save(dossier, "status")
        entry = _timeline(dossier, actor, name, t.label, before, note=note, data=data)
        if after:
            after(dossier, entry)
        return dossier


def request_supplement(
    dossier_id, *, actor, reason: str, missing: list[str] = (), expected_version=None
) -> Dossier:
    """Ask the applicant for more; the clock stops until they answer."""
    return _pause(
        dossier_id,
        "request_supplement",
        "supplement",
        actor=actor,
        expected_version=expected_version,
        provided={"reason": reason.strip()},
        note=reason.strip(),
        data={"missing": list(missing)},
        after=lambda d, e: notify_applicant(
            d, "supplement_requested", reason=reason.strip(), missing=list(missing)
        ),
    )


def request_payment(dossier_id, *, actor, amount, description: str, expected_version=None) -> Dossier:
    try:
        amount = Decimal(str(amount))
    except (InvalidOperation, ValueError):
        amount = None
    if amount is not None and (not amount.is_finite() or amount <= 0 or amount != amount.to_integral_value()):
        raise ServiceError(_("Số tiền phải là số nguyên dương (đồng)."), field="amount")

    def create(dossier, entry):
        FinancialObligation.objects.create(
            dossier=dossier,
            amount=amount,
            description=description.strip(),
            requested_by=actor,
            requested_at=timezone.now(),
        )
        notify_applicant(dossier, "payment_requested", amount=amount, description=description.strip())

    return _pause(
        dossier_id,
        "request_payment",
        "financial",
        actor=actor,
        expected_version=expected_version,
        provided={"amount": amount, "note": description.strip()},
        note=description.strip(),
        data={"amount": str(amount) if amount else None},
        after=create,
    )


def _resume(
    dossier_id, name, *, actor, expected_version, note="", data=None, uploads=(), before_save=None
) -> Dossier:
    checked = _inspect_all(uploads)
    with transaction.atomic():
        dossier = _lock(dossier_id, expected_version)
        t = DOSSIER.check(name, state=dossier.status, roles=roles_for(actor, dossier))
        pause = dossier.pauses.filter(ended_at__isnull=True).order_by("-started_at").first()
        before = dossier.status
        if pause:
            pause.ended_at = timezone.now()
            pause.save(update_fields=["ended_at"])
            _shift_open_steps(dossier, pause)
        dossier.status = pause.resume_status if (pause and t.target == RESUME) else Status.PROCESSING
        if before_save:
            before_save(dossier)
        if dossier.received_at:
            _recompute_due(dossier)
        _save(dossier, "status", "due_at", "legal_due_at")
        entry = _timeline(dossier, actor, name, t.label, before, note=note, data=data)
        _store_files(dossier, checked, actor, Attachment.Purpose.SUPPLEMENT, entry)
        return dossier


def _shift_open_steps(dossier: Dossier, pause: ClockPause) -> None:
    """The pause has ended: the open step's due moment moves as the dossier's does (``_recompute_due``)."""
    for run in StepRun.objects.filter(dossier=dossier, finished_at__isnull=True, due_at__isnull=False):
        moved = clock.step_due_after_pause(dossier, run.due_at, pause.started_at, pause.ended_at)
        if moved != run.due_at:
            run.due_at = moved
            run.save(update_fields=["due_at"])


def submit_supplement(
    dossier_id, *, actor, uploads: list[Upload] = (), note="", expected_version=None
) -> Dossier:
    """The applicant (or the clerk for them) supplies what was asked; the clock resumes."""
    return _resume(
        dossier_id,
        "submit_supplement",
        actor=actor,
        expected_version=expected_version,
        note=note,
        uploads=uploads,
    )


def record_payment(dossier_id, *, actor, channel: str, reference: str = "", expected_version=None) -> Dossier:
    """Mark the open financial obligation paid (at the counter, or by a payment gateway's notification)."""

    def mark(dossier):
        obligation = dossier.obligations.filter(paid_at__isnull=True).order_by("-requested_at").first()
        if obligation is None:
            raise ServiceError(_("Hồ sơ không có khoản phí nào đang chờ nộp."))
        obligation.paid_at = timezone.now()
        obligation.payment_channel = channel[:40]
        obligation.payment_reference = reference[:100]
        obligation.save(update_fields=["paid_at", "payment_channel", "payment_reference"])

    return _resume(
        dossier_id,
        "record_payment",
        actor=actor,
        expected_version=expected_version,
        data={"channel": channel, "reference": reference},
        before_save=mark,
    )


def record_gateway_payment(dossier_id, *, provider: str, reference: str) -> Dossier:
    """``record_payment`` as the system, for a payment gateway's verified server-to-server notification.

    Only ``congso.payments.services`` calls this, after checking the notification's signature, order
    and amount; the ``payment_gateway`` pseudo-role is declared on the transition in workflow.py.
    """
    actor = SystemActor(PAYMENT_GATEWAY, _("Cổng thanh toán %(provider)s") % {"provider": provider.upper()})
    return record_payment(dossier_id, actor=actor, channel=f"gateway:{provider}", reference=reference)


def forward(dossier_id, *, actor, to_step_id=None, assignee=None, note="", expected_version=None) -> Dossier:
    """Finish the current step and move to the next one (or a permitted branch), possibly at another agency."""
    with transaction.atomic():
        dossier = _lock(dossier_id, expected_version)
        roles = roles_for(actor, dossier)
        t = DOSSIER.check("forward", state=dossier.status, roles=roles)
        step = dossier.current_step
        if step is None:
            raise ServiceError(_("Hồ sơ chưa có quy trình xử lý."))
        if step.role not in roles:
            raise Forbidden(
                _("Bước “%(step)s” do %(role)s thực hiện; bạn không được chuyển hồ sơ ở bước này.")
                % {"step": step.name, "role": Role(step.role).label}
            )
        allowed = list(
            step.next_steps.filter(Q(retired=False) | Q(kind=ProcessStep.Kind.TRANSFER)).order_by("position")
        )
        if step.kind == ProcessStep.Kind.TRANSFER and allowed:
            pass  # a leader's transfer: back to the step it came from (services.transfer)
        elif step.retired:
            # The template was edited while the dossier stood here: let the handler pick any current step.
            allowed = list(step.template.steps.filter(retired=False).order_by("position"))
        elif not allowed:
            following = (
                step.template.steps.filter(retired=False, position__gt=step.position)
                .order_by("position")
                .first()
            )
            allowed = [following] if following else []
        if to_step_id is None:
            target = allowed[0] if allowed else None
        else:
            target = next((s for s in allowed if s.pk == int(to_step_id)), None)
            if target is None:
                raise ServiceError(
                    _("Không được chuyển hồ sơ từ bước này sang bước đã chọn."), field="to_step"
                )
        if target is None:
            raise ServiceError(_("Đây là bước cuối của quy trình; hãy phát hành hoặc trả kết quả."))
        if assignee is not None:
            target_agency = target.agency or dossier.receiving_agency
            if target.role not in roles_at(assignee, target_agency):
                raise ServiceError(
                    _("Người được giao không có vai trò phù hợp ở cơ quan xử lý bước tiếp theo."),
                    field="assignee",
                )
        before = dossier.status
        previous_agency = dossier.current_agency
        dossier.status = t.target
        _enter_step(dossier, target, actor, assignee)
        _save(dossier, "status", "current_step", "holder_role", "current_agency", "assignee")
        data = {"from_step": step.name, "to_step": target.name}
        if dossier.current_agency != previous_agency:
            data["transfer"] = {"from": previous_agency.code, "to": dossier.current_agency.code}
        _timeline(dossier, actor, "forward", t.label, before, note=note, data=data, step=target)
        return dossier


TRANSFER_ROLES = (Role.OFFICER, Role.LEADER)


def _staffed(agency: Agency, role: str) -> bool:
    """Someone holds ``role`` at ``agency`` today (directly or through an ancestor's sub-tree)."""
    from congso.directory.models import Membership
    from congso.directory.scope import ancestor_paths

    today = timezone.localdate()
    return (
        Membership.objects.filter(role=role, valid_from__lte=today, user__is_active=True)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=today))
        .filter(Q(agency=agency) | Q(include_subtree=True, agency__path__in=ancestor_paths(agency)))
        .exists()
    )


def transfer(
    dossier_id,
    *,
    actor,
    agency: Agency | None,
    reason: str,
    role: str = Role.OFFICER,
    expected_version=None,
) -> Dossier:
    """A leader of the agency now holding the dossier hands it to another agency (liên thông outside
    the template: e.g. a department's appraisal the commune needs), with the reason.

    The dossier keeps its code and its clock (the dossier's due moment does not move). It enters a step
    made for this hand-off — kind ``transfer``, retired so it is never part of the template, at
    ``agency``, done by ``role`` there (officer or leader) — whose only next step is the step it came
    from: when the other agency forwards it, it comes back there. The hand-off step's due moment is the
    current step's. Timeline entry and audit entry ``dossier.transfer``; citizens see "sent to …"."""
    reason = (reason or "").strip()
    with transaction.atomic():
        dossier = _lock(dossier_id, expected_version)
        t = DOSSIER.check(
            "transfer",
            state=dossier.status,
            roles=roles_for(actor, dossier),
            provided={"agency": agency, "reason": reason},
        )
        origin = dossier.current_step
        if origin is None:
            raise ServiceError(_("Hồ sơ chưa có quy trình xử lý."))
        if role not in TRANSFER_ROLES:
            raise ServiceError(
                _("Chỉ chuyển liên thông cho chuyên viên xử lý hoặc lãnh đạo của cơ quan nhận."), field="role"
            )
        if not agency.is_active:
            raise ServiceError(
                _("Cơ quan %(name)s đã ngừng hoạt động.") % {"name": agency.name}, field="agency"
            )
        if agency.pk == dossier.current_agency_id:
            raise ServiceError(_("Hồ sơ đang ở chính cơ quan này; hãy chọn cơ quan khác."), field="agency")
        if not _staffed(agency, role):
            raise ServiceError(
                _("%(agency)s chưa có ai giữ vai trò %(role)s nên không thể nhận hồ sơ.")
                % {"agency": agency.name, "role": Role(role).label},
                field="agency",
            )
        from .models import ProcessTemplate

        template = ProcessTemplate.objects.select_for_update().get(pk=origin.template_id)
        top = template.steps.order_by("-position").values_list("position", flat=True).first() or 0
        step = ProcessStep.objects.create(
            template=template,
            position=top + 1,
            name=(_("Liên thông: %(agency)s") % {"agency": agency.name})[:200],
            kind=ProcessStep.Kind.TRANSFER,
            role=role,
            agency=agency,
            share_percent=0,
            retired=True,
        )
        step.next_steps.set([origin])
        now = timezone.now()
        current = StepRun.objects.filter(dossier=dossier, finished_at__isnull=True).order_by("-started_at")
        due = current.values_list("due_at", flat=True).first()
        current.update(finished_at=now)
        before, previous_agency = dossier.status, dossier.current_agency
        dossier.status = t.target
        dossier.current_step, dossier.current_agency = step, agency
        dossier.holder_role, dossier.assignee = role, None
        StepRun.objects.create(dossier=dossier, step=step, agency=agency, started_at=now, due_at=due)
        _save(dossier, "status", "current_step", "current_agency", "holder_role", "assignee")
        _timeline(
            dossier,
            actor,
            "transfer",
            t.label,
            before,
            note=reason,
            data={
                "transfer": {"from": previous_agency.code, "to": agency.code},
                "from_step": origin.name,
                "role": role,
            },
            step=step,
        )
        return dossier


def assign(dossier_id, *, actor, assignee, expected_version=None) -> Dossier:
    """A leader or the current handler gives the current step to a named official of the same agency."""
    with transaction.atomic():
        dossier = _lock(dossier_id, expected_version)
        roles = roles_for(actor, dossier)
        step = dossier.current_step
        if step is None or dossier.status not in (Status.ACCEPTED, Status.PROCESSING):
            raise Conflict(_("Chỉ phân công được hồ sơ đang xử lý."))
        if not ({Role.LEADER, step.role} & roles):
            raise Forbidden(_("Bạn không được phân công hồ sơ này."))
        if step.role not in roles_at(assignee, dossier.current_agency):
            raise ServiceError(
                _("Người được giao không có vai trò phù hợp tại cơ quan đang xử lý."), field="assignee"
            )
        dossier.assignee = assignee
        StepRun.objects.filter(dossier=dossier, finished_at__isnull=True).update(assignee=assignee)
        _save(dossier, "assignee")
        _timeline(
            dossier,
            actor,
            "assign",
            _("Phân công xử lý"),
            dossier.status,
            data={"assignee": assignee.pk},
            note=str(assignee),
        )
        return dossier


def extend(dossier_id, *, actor, reason: str, new_due: dt.datetime | None, expected_version=None) -> Dossier:
    """Apologise and set a new date before the deadline passes. The dossier counts as late from now on.

    ``new_due`` without a time zone is read in Vietnam time (``aware_moment``)."""
    new_due = aware_moment(new_due, field="new_date")
    with transaction.atomic():
        dossier = _lock(dossier_id, expected_version)
        DOSSIER.check(
            "extend",
            state=dossier.status,
            roles=roles_for(actor, dossier),
            provided={"reason": reason.strip(), "new_date": new_due},
        )
        now = timezone.now()
        if dossier.due_at is None:
            raise ServiceError(_("Hồ sơ không có thời hạn giải quyết để gia hạn."))
        if now > dossier.due_at:
            raise ServiceError(
                _("Đã quá hạn giải quyết; văn bản xin lỗi và đề nghị gia hạn phải gửi trước thời hạn."),
                code="too_late",
            )
        if new_due <= dossier.due_at:
            raise ServiceError(_("Ngày hẹn mới phải sau ngày hẹn hiện tại."), field="new_date")
        Extension.objects.create(
            dossier=dossier,
            requested_by=actor,
            requested_at=now,
            previous_due_at=dossier.due_at,
            new_due_at=new_due,
            reason=reason.strip(),
        )
        previous = dossier.due_at
        dossier.due_at = new_due
        dossier.is_late = True
        _save(dossier, "due_at", "is_late")
        notify_applicant(
            dossier,
            "extend",
            reason=reason.strip(),
            new_due=timezone.localtime(new_due).strftime("%H:%M ngày %d/%m/%Y"),
        )
        _timeline(
            dossier,
            actor,
            "extend",
            DOSSIER.get("extend").label,
            dossier.status,
            note=reason.strip(),
            data={"previous_due_at": previous.isoformat(), "new_due_at": new_due.isoformat()},
        )
        return dossier


def issue_result(
    dossier_id, *, actor, number: str, title: str, upload: Upload | None, expected_version=None
) -> Dossier:
    """Văn thư numbers and issues the result document; the dossier is processed (status 9)."""
    checked = _inspect_all([upload]) if upload is not None else []
    with transaction.atomic():
        dossier = _lock(dossier_id, expected_version)
        t = DOSSIER.check(
            "issue_result",
            state=dossier.status,
            roles=roles_for(actor, dossier),
            provided={"document": upload},
            step=step_kind(dossier.current_step),
            step_name=dossier.current_step.name if dossier.current_step else "",
        )
        if not number.strip() or not title.strip():
            raise ServiceError(_("Cần nhập số, ký hiệu và tên của kết quả."), field="number")
        before = dossier.status
        now = timezone.now()
        # The agency whose văn thư issues it (a liên thông issue step may be at another agency): its
        # seal signs the result and the timeline names it, although the dossier then goes back to the
        # receiving counter to be returned.
        issuing_agency, issue_step = dossier.current_agency, dossier.current_step
        dossier.status = t.target
        dossier.finished_at = now
        if dossier.legal_due_at and now > dossier.legal_due_at:
            dossier.is_late = True
        StepRun.objects.filter(dossier=dossier, finished_at__isnull=True).update(finished_at=now)
        # The result goes back to the counter that received the dossier, to be returned.
        dossier.current_agency, dossier.holder_role = dossier.receiving_agency, Role.CLERK
        dossier.current_step, dossier.assignee = None, None
        _save(
            dossier,
            "status",
            "finished_at",
            "is_late",
            "current_agency",
            "holder_role",
            "current_step",
            "assignee",
        )
        entry = _timeline(
            dossier,
            actor,
            "issue_result",
            t.label,
            before,
            data={"number": number.strip(), "issuing_agency": issuing_agency.code},
            step=issue_step,
            agency=issuing_agency,
        )
        # Publish it: its public record, the record's QR stamped on it (an image result is put on an A4
        # PDF page first), and the issuing agency's seal when it has a key. What is stored is exactly
        # the published file, so the record's hash is the attachment's.
        from congso.signing.official_forms import issue_result as publish_result

        upload, original = checked[0]
        document, content = publish_result(
            original.content,
            kind=original.kind,
            landscape=bool(original.width and original.height and original.width > original.height),
            dossier_code=dossier.code,
            number=number.strip(),
            title=title.strip(),
            agency=issuing_agency,
            actor=actor,
        )
        published = replace(
            original, kind="pdf", content=content, sha256=document.sha256, pages=original.pages or 1
        )
        if original.kind != "pdf":
            name = upload.name or original.original_name
            upload = replace(upload, name=f"{name.rsplit('.', 1)[0] if '.' in name else name}.pdf")
        checked = [(upload, published)]
        entry.data = {**entry.data, "issued_document": str(document.pk)}
        entry.save(update_fields=["data"])
        (attachment,) = _store_files(dossier, checked, actor, Attachment.Purpose.RESULT, entry)
        Result.objects.create(
            dossier=dossier,
            number=number.strip(),
            title=title.strip(),
            attachment=attachment,
            issued_by=actor,
            issued_at=now,
        )
        notify_applicant(dossier, "result_ready", result_title=title.strip(), result_number=number.strip())
        # Results online (issue 6): the issued (stamped, sealed) file also goes into the applicant's
        # personal data store, in this same transaction, when the dossier has an applicant account.
        if dossier.applicant_id:
            from congso.datastore.models import PersonalDocument
            from congso.datastore.services import store_checked

            store_checked(
                dossier.applicant,
                checked[0][1],
                title=title.strip(),
                source=PersonalDocument.Source.RESULT,
                dossier=dossier,
                issued_number=number.strip(),
                actor=actor,
            )
        return dossier


def return_result(
    dossier_id, *, actor, delivery: str = Result.Delivery.COUNTER, expected_version=None
) -> Dossier:
    if delivery not in Result.Delivery.values:
        raise ServiceError(_("Hình thức trả kết quả không hợp lệ."), field="delivery")
    with transaction.atomic():
        if (
            delivery == Result.Delivery.ONLINE
            and Dossier.objects.get(pk=dossier_id).result_collected_at_counter
        ):
            raise ServiceError(
                _(
                    "Thủ tục này chỉ thực hiện trực tuyến một phần: kết quả được trả trực tiếp tại bộ phận "
                    "một cửa, không trả trực tuyến."
                ),
                field="delivery",
                code="result_at_counter",
            )
        dossier = _simple(
            dossier_id,
            "return_result",
            actor=actor,
            expected_version=expected_version,
            changes={"returned_at": timezone.now()},
            data={"delivery": delivery},
            closes=True,
        )
        Result.objects.filter(dossier=dossier).update(delivery=delivery, returned_by=actor)
        return dossier


def attach(dossier_id, *, actor, uploads: list[Upload], note: str = "", expected_version=None) -> Dossier:
    """Add working documents (minutes, inspection reports, drafts) to a dossier in process."""
    checked = _inspect_all(uploads)
    with transaction.atomic():
        dossier = _lock(dossier_id, expected_version)
        t = DOSSIER.check(
            "attach",
            state=dossier.status,
            roles=roles_for(actor, dossier),
            provided={"document": list(uploads)},
        )
        _save(dossier)
        entry = _timeline(
            dossier,
            actor,
            "attach",
            t.label,
            dossier.status,
            note=note,
            data={"files": [u.component for u in uploads]},
        )
        _store_files(dossier, checked, actor, Attachment.Purpose.WORKING, entry)
        return dossier


# --- counter intake in one transaction (back-office UI) ----------------------------------------

INTAKE_DECISIONS = ("accept", "supplement", "refuse")


def receive_at_counter(
    *,
    actor,
    agency: Agency,
    procedure_version,
    channel: int,
    applicant: Applicant,
    uploads: list[Upload] = (),
    decision: str = "accept",
    missing: list[str] = (),
    note: str = "",
    **known,
) -> tuple[Dossier, str]:
    """A clerk's intake at the counter (or of a dossier received by post), in ONE transaction: the
    receipt and the clerk's decision — accept at once, ask for a supplement (also when components are
    ``missing``), or refuse with a reason. Returns (dossier, outcome) with outcome "accepted",
    "supplement" or "refused". A refusal without a reason is refused before anything is written; any
    later failure rolls the receipt back too (no half-written dossier, no orphan code) and removes the
    files written for it."""
    note = (note or "").strip()
    missing = [m for m in missing if m]
    if decision not in INTAKE_DECISIONS:
        raise ServiceError(_("Quyết định tiếp nhận không hợp lệ."), field="decision")
    if decision == "refuse" and not note:
        raise ServiceError(
            _("Từ chối tiếp nhận phải ghi rõ lý do trong ô ghi chú của cán bộ tiếp nhận."), field="note"
        )
    accept_now = decision == "accept" and not missing
    attachments = []
    try:
        with transaction.atomic():
            dossier = receive(
                actor=actor,
                agency=agency,
                procedure_version=procedure_version,
                channel=channel,
                applicant=applicant,
                uploads=uploads,
                accept_now=accept_now,
                note=note if decision == "accept" else "",
                **known,
            )
            if accept_now:
                return dossier, "accepted"
            attachments = list(dossier.attachments.all())
            if decision == "refuse":
                dossier = refuse(dossier.pk, actor=actor, reason=note)
                return dossier, "refused"
            if decision == "accept":
                reason = _("Hồ sơ thiếu: %(list)s") % {"list": "; ".join(missing)}
            else:
                reason = note or _("Hồ sơ cần bổ sung, hoàn thiện.")
            dossier = request_supplement(dossier.pk, actor=actor, missing=missing, reason=reason)
            return dossier, "supplement"
    except BaseException:
        _discard_files(attachments)
        raise


# --- bulk assignment (a leader's inbox) ---------------------------------------------------------

BULK_LIMIT = 100


def assign_many(dossier_ids, *, actor, assignee) -> list[Dossier]:
    """Give the current step of several dossiers to one official (a leader's bulk view): one
    ``assign`` per dossier, all in ONE transaction — if one is refused, none is assigned, and the
    message names that dossier (only when the actor may see it)."""
    from congso.core.permissions import can

    try:
        ids = sorted({int(pk) for pk in dossier_ids})  # a fixed lock order: bulk runs never deadlock
    except (TypeError, ValueError):
        raise ServiceError(_("Danh sách hồ sơ không hợp lệ.")) from None
    if not ids:
        raise ServiceError(_("Chưa chọn hồ sơ nào."))
    if len(ids) > BULK_LIMIT:
        raise ServiceError(_("Mỗi lần phân công tối đa %(n)s hồ sơ.") % {"n": BULK_LIMIT})
    if assignee is None:
        raise ServiceError(_("Hãy chọn cán bộ được phân công."), field="assignee")
    done = []
    with transaction.atomic():
        for pk in ids:
            dossier = (
                Dossier.objects.select_related("current_agency", "receiving_agency").filter(pk=pk).first()
            )
            if dossier is None or not can(actor, "dossiers.view", dossier):
                raise NotFound(_("Không tìm thấy hồ sơ."))
            try:
                done.append(assign(pk, actor=actor, assignee=assignee))
            except ServiceError as exc:
                raise type(exc)(
                    _("Hồ sơ %(code)s: %(message)s") % {"code": dossier.code, "message": exc.message},
                    code=exc.code,
                    field=exc.field,
                ) from None
    return done


# --- process templates edited in the agency's pages ---------------------------------------------


def save_process(actor, agency: Agency, procedure, steps: list[dict]):
    """Replace an agency's template for a procedure (created from the default first when it has none)
    in ONE transaction: an invalid or forbidden edit leaves nothing behind, not even the default."""
    from .processes import replace_steps, template_for

    with transaction.atomic():
        return replace_steps(actor, template_for(agency, procedure), steps)
