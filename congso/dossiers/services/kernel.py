"""The kernel every use case runs on: the dossier row's lock and versioned save, timeline and audit
events written together, files checked then stored, codes, and the step runs and the clock's due moments.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from congso.core import audit, compiled
from congso.core.errors import Conflict, NotFound, ServiceError
from congso.core.locking import lock
from congso.core.uploads import inspect_upload
from congso.directory.models import Agency

from .. import clock, hooks
from ..checks import code_pattern
from ..models import Attachment, Dossier, DossierCodeSequence, ProcessStep, Status, StepRun, TimelineEntry
from ..processes import version_steps
from .roles import SystemActor


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


def _lock(dossier_id, expected_version: int | None) -> Dossier:
    # Lock the row alone, then read it and its related rows afresh: a join read in the locking query
    # is evaluated before the wait, and after another transaction moved the dossier PostgreSQL hands
    # back the new row with the old join (a null current_step: issue 15).
    try:
        if not lock(Dossier, pk=dossier_id):
            raise Dossier.DoesNotExist
        dossier = Dossier.objects.select_related(
            "receiving_agency__unit", "current_agency", "current_step", "template"
        ).get(pk=dossier_id)
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
    hooks.dossier_changed.fire(entries=entries)
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
        # Its own version's steps up to it (a dossier keeps the version it entered: processes.py).
        shares = list(
            version_steps(step).filter(position__lte=step.position).values_list("share_percent", flat=True)
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
