"""Use cases of the work calendars. Each runs in one transaction, locks the row it changes
(``core.locking``), checks its permission rule, writes an audit entry (``core.audit``) and returns the
result, or raises a ``core.errors.ServiceError`` with a Vietnamese message and changes nothing."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from congso.core import audit
from congso.core.errors import Conflict, NotFound, ServiceError
from congso.core.locking import lock
from congso.core.permissions import require
from congso.directory.models import Agency, Membership, Role
from congso.directory.scope import active_memberships, ancestor_paths, has_role

from . import validation
from .models import EDITABLE_STATUSES, Calendar, Entry, Status, Version, Week
from .transitions import VERSIONS


def _notify(user, *, event: str, subject: str, body: str, url: str = "") -> None:
    """A person notice (``notifications.services.notify_person`` once it lands on main; until then
    the audit trail and the pages' "waiting for approval" counts are the only signal)."""
    return None


def _leaders_of(agency: Agency) -> list:
    today = timezone.localdate()
    return [
        m.user
        for m in Membership.objects.filter(role=Role.LEADER, valid_from__lte=today, user__is_active=True)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=today))
        .filter(Q(agency=agency) | Q(include_subtree=True, agency__path__in=ancestor_paths(agency)))
        .select_related("user")
    ]


def _week_url(week: Week) -> str:
    return reverse("workcalendars:week", args=[week.calendar_id, week.start.isoformat()])


# --- calendars ------------------------------------------------------------------------------------


def create_calendar(
    *, agency: Agency, by, leader=None, position: str = "", is_public: bool = True
) -> Calendar:
    """A new calendar of ``agency`` (no leader) or of one of its leaders."""
    if agency is None:
        raise ServiceError(_("Chọn cơ quan."), field="agency")
    require(by, "workcalendars.create", agency, _("Chỉ văn thư hoặc quản trị của cơ quan mới tạo được lịch."))
    position = (position or "").strip()[:150]
    if leader is not None:
        if not has_role(leader, Role.LEADER, agency):
            raise ServiceError(_("Người được chọn không phải lãnh đạo của cơ quan này."), field="leader")
        if not position:
            membership = active_memberships(leader, Role.LEADER).filter(agency=agency).first()
            position = membership.position if membership else ""
    kind = Calendar.Kind.LEADER if leader is not None else Calendar.Kind.UNIT
    try:
        with transaction.atomic():
            calendar = Calendar.objects.create(
                kind=kind, agency=agency, leader=leader, position=position, is_public=is_public
            )
            audit.record("workcalendars.create_calendar", obj=calendar, actor=by, data={"kind": kind})
    except IntegrityError:
        raise Conflict(_("Cơ quan đã có lịch này."), code="duplicate_calendar") from None
    return calendar


def _calendar(calendar_id) -> Calendar:
    calendar = Calendar.objects.select_related("agency", "leader").filter(pk=calendar_id).first()
    if calendar is None:
        raise NotFound(_("Không tìm thấy lịch công tác."))
    return calendar


def open_week(calendar_id: int, start: dt.date, *, by) -> Version:
    """The working version of the week starting ``start`` (a Monday), created as a draft when the
    week has none yet."""
    calendar = _calendar(calendar_id)
    require(by, "workcalendars.draft", calendar, _("Chỉ văn thư của cơ quan mới soạn được lịch tuần."))
    start = start - dt.timedelta(days=start.weekday())
    if start + dt.timedelta(days=6) < timezone.localdate():
        raise ServiceError(_("Không soạn được lịch của tuần đã qua."), field="start", code="past_week")
    with transaction.atomic():
        lock(Calendar, pk=calendar.pk)
        week, _created = Week.objects.get_or_create(calendar=calendar, start=start)
        if week.current_id:
            return week.current
        version = Version.objects.create(week=week, number=1, created_by=by)
        week.current = version
        week.save(update_fields=["current"])
        audit.record("workcalendars.open_week", obj=version, actor=by, data={"start": start.isoformat()})
    return version


def _locked_version(version_id) -> Version:
    if not lock(Version, pk=version_id):
        raise NotFound(_("Không tìm thấy lịch tuần."))
    return Version.objects.select_related("week__calendar__agency", "week__calendar__leader").get(
        pk=version_id
    )


def _check_editable(version: Version, by) -> None:
    require(
        by,
        "workcalendars.draft",
        version.week.calendar,
        _("Chỉ văn thư của cơ quan mới soạn được lịch tuần."),
    )
    if version.status not in EDITABLE_STATUSES:
        raise Conflict(
            _("Lịch tuần đang ở trạng thái “%(s)s”; chỉ sửa được bản dự thảo hoặc bản bị trả lại.")
            % {"s": version.get_status_display()},
            code="wrong_state",
        )
    if version.week.current_id != version.pk:
        raise Conflict(_("Đây không phải bản đang soạn của tuần này."), code="not_current")


def _fill(entry: Entry, cleaned: validation.CleanEntry) -> None:
    for name in (
        "day",
        "part",
        "start_time",
        "end_time",
        "starts_at",
        "ends_at",
        "content",
        "place",
        "participants",
        "preparing_unit",
        "notes",
    ):
        setattr(entry, name, getattr(cleaned, name))


def _snapshot(entry: Entry) -> dict:
    return {
        "uid": str(entry.uid),
        "day": entry.day.isoformat(),
        "part": entry.part,
        "start": entry.starts_at.isoformat(),
        "end": entry.ends_at.isoformat(),
        "content": entry.content,
        "place": entry.place,
    }


def add_entry(version_id: int, data, *, by) -> Entry:
    with transaction.atomic():
        version = _locked_version(version_id)
        _check_editable(version, by)
        cleaned = validation.clean_entry(data, week_start=version.week.start)
        entry = Entry(version=version)
        _fill(entry, cleaned)
        entry.save()
        entry.attendees.set(cleaned.attendees)
        audit.record("workcalendars.add_entry", obj=version, actor=by, data=_snapshot(entry))
    return entry


def _locked_entry(entry_id, by) -> tuple[Entry, Version]:
    version_id = Entry.objects.filter(pk=entry_id).values_list("version_id", flat=True).first()
    if version_id is None:
        raise NotFound(_("Không tìm thấy mục lịch."))
    version = _locked_version(version_id)
    _check_editable(version, by)
    entry = Entry.objects.filter(pk=entry_id, version=version).first()
    if entry is None:
        raise NotFound(_("Không tìm thấy mục lịch."))
    return entry, version


def update_entry(entry_id: int, data, *, by) -> Entry:
    with transaction.atomic():
        entry, version = _locked_entry(entry_id, by)
        if entry.ends_at <= timezone.now():
            raise ServiceError(_("Không sửa được công việc đã diễn ra."), code="past_entry")
        before = _snapshot(entry)
        cleaned = validation.clean_entry(data, week_start=version.week.start)
        _fill(entry, cleaned)
        entry.save()
        entry.attendees.set(cleaned.attendees)
        audit.record(
            "workcalendars.update_entry",
            obj=version,
            actor=by,
            data={"before": before, "after": _snapshot(entry)},
        )
    return entry


def delete_entry(entry_id: int, *, by) -> Version:
    with transaction.atomic():
        entry, version = _locked_entry(entry_id, by)
        if entry.ends_at <= timezone.now():
            raise ServiceError(_("Không xóa được công việc đã diễn ra."), code="past_entry")
        audit.record("workcalendars.delete_entry", obj=version, actor=by, data=_snapshot(entry))
        entry.delete()
    return version


# --- the week's transitions -----------------------------------------------------------------------


def _transition(version_id: int, name: str, *, by, provided: dict | None = None) -> tuple[Version, str]:
    version = _locked_version(version_id)
    calendar = version.week.calendar
    VERSIONS.check(name, state=version.status, actor=by, obj=calendar, provided=provided)
    if version.week.current_id != version.pk:
        raise Conflict(_("Đây không phải bản đang soạn của tuần này."), code="not_current")
    before = version.status
    return version, before


def submit(version_id: int, *, by) -> Version:
    with transaction.atomic():
        version, before = _transition(version_id, "submit", by=by)
        version.submitted_by = by
        fields = VERSIONS.apply(version, "submit")
        version.save(update_fields=[*fields, "submitted_by"])
        audit.record("workcalendars.submit", obj=version, actor=by, data={"from": before})
        week = version.week
        for leader in _leaders_of(week.calendar.agency):
            _notify(
                leader,
                event="workcalendars.submitted",
                subject=_("Lịch công tác chờ duyệt"),
                body=_("%(cal)s, tuần từ %(d)s, chờ lãnh đạo duyệt.")
                % {"cal": week.calendar.title, "d": f"{week.start:%d/%m/%Y}"},
                url=_week_url(week),
            )
    return version


def approve(version_id: int, *, by) -> Version:
    with transaction.atomic():
        version, before = _transition(version_id, "approve", by=by)
        now = timezone.now()
        version.decided_by = by
        fields = VERSIONS.apply(version, "approve", now=now)
        version.save(update_fields=[*fields, "decided_by"])
        week = version.week
        if week.published_id and week.published_id != version.pk:
            Version.objects.filter(pk=week.published_id).update(status=Status.SUPERSEDED)
        week.published = version
        week.published_at = now
        week.save(update_fields=["published", "published_at"])
        audit.record(
            "workcalendars.approve", obj=version, actor=by, data={"from": before, "number": version.number}
        )
        if version.submitted_by_id:
            _notify(
                version.submitted_by,
                event="workcalendars.approved",
                subject=_("Lịch công tác đã được duyệt"),
                body=_("%(cal)s, tuần từ %(d)s, đã được duyệt và công bố.")
                % {"cal": week.calendar.title, "d": f"{week.start:%d/%m/%Y}"},
                url=_week_url(week),
            )
    return version


def return_(version_id: int, *, by, reason: str) -> Version:
    reason = (reason or "").strip()
    if len(reason) > 2000:
        raise ServiceError(_("Lý do trả lại tối đa 2000 ký tự."), field="reason")
    with transaction.atomic():
        version, before = _transition(version_id, "return", by=by, provided={"reason": reason})
        version.decided_by = by
        version.return_reason = reason
        fields = VERSIONS.apply(version, "return")
        version.save(update_fields=[*fields, "decided_by", "return_reason"])
        audit.record("workcalendars.return", obj=version, actor=by, data={"from": before, "reason": reason})
        week = version.week
        if version.submitted_by_id:
            _notify(
                version.submitted_by,
                event="workcalendars.returned",
                subject=_("Lịch công tác bị trả lại"),
                body=_("%(cal)s, tuần từ %(d)s, bị trả lại: %(r)s")
                % {"cal": week.calendar.title, "d": f"{week.start:%d/%m/%Y}", "r": reason},
                url=_week_url(week),
            )
    return version


def amend(version_id: int, *, by, note: str = "") -> Version:
    """A new draft version of an approved week, with the approved entries copied (same uids); the
    approved version stays published until the new one is approved."""
    note = (note or "").strip()[:2000]
    with transaction.atomic():
        version, _before = _transition(version_id, "amend", by=by)
        week = version.week
        if week.end < timezone.localdate():
            raise ServiceError(_("Không điều chỉnh được lịch của tuần đã qua."), code="past_week")
        new = Version.objects.create(week=week, number=version.number + 1, created_by=by, note=note)
        for row in version.entries.prefetch_related("attendees"):
            attendees = list(row.attendees.all())
            row.pk = None
            row._state.adding = True
            row.version = new
            row.save()
            row.attendees.set(attendees)
        week.current = new
        week.save(update_fields=["current"])
        audit.record(
            "workcalendars.amend", obj=new, actor=by, data={"from_version": version.number, "note": note}
        )
    return new


def act(version_id: int, name: str, *, by, reason: str = "", note: str = ""):
    """One entry point for the pages and the API: the transition ``name`` of ``transitions.VERSIONS``."""
    if name == "submit":
        return submit(version_id, by=by)
    if name == "approve":
        return approve(version_id, by=by)
    if name == "return":
        return return_(version_id, by=by, reason=reason)
    if name == "amend":
        return amend(version_id, by=by, note=note)
    VERSIONS.get(name)  # raises "Thao tác … không tồn tại"
    raise ServiceError(_("Thao tác không hợp lệ."))
