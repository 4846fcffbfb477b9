"""Work calendars API under /api/v1/work-calendars: the public calendars and their published weeks
(no sign-in), and for secretaries and leaders the same as the pages — their calendars, a week's working
version with its entries, conflicts and sources, creating calendars, opening a week, entries (add,
change, delete) and the week's actions (submit, approve, return, amend). The same service functions."""

import datetime as dt

from ninja import Field, Router, Schema, Status

from congso.core.api_auth import read_auth, write_auth
from congso.core.errors import NotFound, ServiceError
from congso.core.permissions import can
from congso.directory.selectors import agency_by_code

from . import selectors, services, validation
from .models import Calendar, Entry, Version
from .transitions import VERSIONS

router = Router(tags=["Lịch công tác"], auth=read_auth)


class WorkCalendarOut(Schema):
    id: int
    kind: str
    title: str
    agency: str
    agency_name: str
    leader: int | None
    position: str
    is_public: bool


class WorkCalendarItem(Schema):
    uid: str
    id: int | None = Field(None, description="The entry's id (None for a source's entry).")
    day: dt.date
    start: dt.datetime
    end: dt.datetime
    time: str
    content: str
    place: str
    attendees: str
    participants: str
    preparing_unit: str
    notes: str
    source: str = Field(description="Empty for the calendar's own entries; the source's name otherwise.")
    url: str
    conflicts: list[str] = Field(default_factory=list, description="Overlapping entries of the same leaders.")


class WorkCalendarPublicWeek(Schema):
    calendar: WorkCalendarOut
    start: dt.date
    published: bool
    version: int | None
    updated_at: dt.datetime | None
    items: list[WorkCalendarItem]


class WorkCalendarVersionOut(Schema):
    number: int
    status: str
    status_label: str
    submitted_at: dt.datetime | None
    decided_at: dt.datetime | None
    return_reason: str
    note: str


class WorkCalendarStaffWeek(Schema):
    calendar: WorkCalendarOut
    start: dt.date
    version_id: int | None
    version: WorkCalendarVersionOut | None
    published_version: int | None
    published_at: dt.datetime | None
    actions: list[str]
    editable: bool
    items: list[WorkCalendarItem]
    versions: list[WorkCalendarVersionOut]


class WorkCalendarCreateIn(Schema):
    agency: str = Field(description="The agency's electronic code (mã định danh).")
    leader: int | None = Field(None, description="A leader's user id; none for the agency's own calendar.")
    position: str = ""
    is_public: bool = True


class WorkCalendarEntryIn(Schema):
    day: dt.date
    part: str = Field("timed", description="timed, morning, afternoon or all_day")
    start_time: dt.time | None = None
    end_time: dt.time | None = None
    content: str
    place: str = ""
    attendees: list[int] = Field(default_factory=list, description="Attending leaders' user ids.")
    participants: str = ""
    preparing_unit: str = ""
    notes: str = ""


class WorkCalendarActionIn(Schema):
    reason: str = ""
    note: str = ""


def calendar_out(cal: Calendar) -> dict:
    return {
        "id": cal.pk,
        "kind": cal.kind,
        "title": cal.title,
        "agency": cal.agency.code,
        "agency_name": cal.agency.name,
        "leader": cal.leader_id,
        "position": cal.position,
        "is_public": cal.is_public,
    }


def _items(items: list[dict]) -> list[dict]:
    return [
        {
            **{k: i[k] for k in WorkCalendarItem.model_fields if k not in ("id", "conflicts")},
            "id": i["pk"],
            "conflicts": [
                f"{c.title} ({c.start.isoformat()}–{c.end.isoformat()})" for c in i.get("conflicts", [])
            ],
        }
        for i in items
    ]


def _start(start: str) -> dt.date:
    return validation.clean_week_start(start)


def version_out(v: Version | None) -> dict | None:
    if v is None:
        return None
    return {
        "number": v.number,
        "status": v.status,
        "status_label": str(v.get_status_display()),
        "submitted_at": v.submitted_at,
        "decided_at": v.decided_at,
        "return_reason": v.return_reason,
        "note": v.note,
    }


@router.get("/public/calendars", response=list[WorkCalendarOut], auth=None, summary="Lịch công tác công khai")
def public_calendars(request):
    return [calendar_out(c) for c in selectors.public_calendars().order_by("agency__path", "kind", "pk")]


@router.get(
    "/public/calendars/{calendar_id}/weeks/{start}",
    response=WorkCalendarPublicWeek,
    auth=None,
    summary="Lịch tuần đã công bố",
)
def public_week(request, calendar_id: int, start: str):
    calendar = selectors.public_calendar(calendar_id)
    if calendar is None:
        raise NotFound("Không tìm thấy lịch công tác.")
    monday = _start(start)
    data = selectors.public_week(calendar, monday)
    return {
        "calendar": calendar_out(calendar),
        "start": monday,
        "published": data["published"],
        "version": data["version"].number if data["version"] else None,
        "updated_at": data["updated_at"],
        "items": _items(data["items"]),
    }


@router.get("/calendars", response=list[WorkCalendarOut], summary="Lịch công tác tôi soạn, duyệt")
def calendars(request):
    return [
        calendar_out(c)
        for c in selectors.staff_calendars(request.auth).order_by("agency__path", "kind", "pk")
    ]


@router.post("/calendars", response={201: WorkCalendarOut}, auth=write_auth, summary="Tạo lịch công tác")
def create_calendar(request, payload: WorkCalendarCreateIn):
    agency = agency_by_code(payload.agency)
    if agency is None:
        raise ServiceError("Không tìm thấy cơ quan.", field="agency")
    leader = None
    if payload.leader is not None:
        leader = next((u for u, _label in selectors.leader_choices(agency) if u.pk == payload.leader), None)
        if leader is None:
            raise ServiceError("Người được chọn không phải lãnh đạo của cơ quan này.", field="leader")
    cal = services.create_calendar(
        agency=agency, leader=leader, position=payload.position, is_public=payload.is_public, by=request.auth
    )
    return Status(201, calendar_out(cal))


def _staff_calendar(request, calendar_id: int) -> Calendar:
    cal = Calendar.objects.select_related("agency", "leader").filter(pk=calendar_id).first()
    if cal is None or not can(request.auth, "workcalendars.view_staff", cal):
        raise NotFound("Không tìm thấy lịch công tác.")
    return cal


def staff_week_out(request, cal: Calendar, monday: dt.date) -> dict:
    week = selectors.week_of(cal, monday)
    version = week.current if week else None
    rows = list(version.entries.prefetch_related("attendees")) if version else []
    users = {cal.leader_id} if cal.leader_id else set()
    units = {cal.agency_id} if cal.kind == Calendar.Kind.UNIT else set()
    first, last = selectors.week_bounds(monday)
    items = selectors.display_rows(rows, selectors.source_entries(users, units, first, last))
    conflicts = selectors.conflicts(version) if version else {}
    for item in items:
        item["conflicts"] = conflicts.get(item["pk"], []) if item["pk"] else []
    may_draft = can(request.auth, "workcalendars.draft", cal)
    return {
        "calendar": calendar_out(cal),
        "start": monday,
        "version_id": version.pk if version else None,
        "version": version_out(version),
        "published_version": week.published.number if week and week.published else None,
        "published_at": week.published_at if week else None,
        "actions": [t.name for t in VERSIONS.available(version.status, actor=request.auth, obj=cal)]
        if version
        else [],
        "editable": bool(version and version.editable and may_draft),
        "items": _items(items),
        "versions": [version_out(v) for v in week.versions.all()] if week else [],
    }


@router.get(
    "/calendars/{calendar_id}/weeks/{start}",
    response=WorkCalendarStaffWeek,
    summary="Lịch tuần (soạn, duyệt)",
)
def staff_week(request, calendar_id: int, start: str):
    cal = _staff_calendar(request, calendar_id)
    return staff_week_out(request, cal, _start(start))


@router.post(
    "/calendars/{calendar_id}/weeks/{start}",
    response={201: WorkCalendarStaffWeek},
    auth=write_auth,
    summary="Soạn lịch tuần (tạo dự thảo)",
)
def open_week(request, calendar_id: int, start: str):
    cal = _staff_calendar(request, calendar_id)
    monday = _start(start)
    services.open_week(cal.pk, monday, by=request.auth)
    return Status(201, staff_week_out(request, cal, monday))


def _version(request, version_id: int) -> Version:
    v = Version.objects.select_related("week__calendar__agency").filter(pk=version_id).first()
    if v is None or not can(request.auth, "workcalendars.view_staff", v.week.calendar):
        raise NotFound("Không tìm thấy lịch tuần.")
    return v


def _entry_data(payload: WorkCalendarEntryIn) -> dict:
    return payload.dict()


@router.post(
    "/versions/{version_id}/entries",
    response={201: WorkCalendarStaffWeek},
    auth=write_auth,
    summary="Thêm công việc vào lịch tuần",
)
def add_entry(request, version_id: int, payload: WorkCalendarEntryIn):
    v = _version(request, version_id)
    services.add_entry(v.pk, _entry_data(payload), by=request.auth)
    return Status(201, staff_week_out(request, v.week.calendar, v.week.start))


def _entry(request, entry_id: int) -> Entry:
    e = Entry.objects.select_related("version__week__calendar__agency").filter(pk=entry_id).first()
    if e is None or not can(request.auth, "workcalendars.view_staff", e.version.week.calendar):
        raise NotFound("Không tìm thấy mục lịch.")
    return e


@router.put("/entries/{entry_id}", response=WorkCalendarStaffWeek, auth=write_auth, summary="Sửa công việc")
def update_entry(request, entry_id: int, payload: WorkCalendarEntryIn):
    e = _entry(request, entry_id)
    services.update_entry(e.pk, _entry_data(payload), by=request.auth)
    week = e.version.week
    return staff_week_out(request, week.calendar, week.start)


@router.delete(
    "/entries/{entry_id}", response=WorkCalendarStaffWeek, auth=write_auth, summary="Xóa công việc"
)
def delete_entry(request, entry_id: int):
    e = _entry(request, entry_id)
    services.delete_entry(e.pk, by=request.auth)
    week = e.version.week
    return staff_week_out(request, week.calendar, week.start)


@router.post(
    "/versions/{version_id}/{action}",
    response=WorkCalendarStaffWeek,
    auth=write_auth,
    summary="Trình, duyệt, trả lại hoặc điều chỉnh lịch tuần",
    description="action: submit, approve, return (reason), amend (note).",
)
def act(request, version_id: int, action: str, payload: WorkCalendarActionIn):
    if action not in VERSIONS.transitions:
        raise ServiceError("Thao tác không hợp lệ.", field="action")
    v = _version(request, version_id)
    services.act(v.pk, action, by=request.auth, reason=payload.reason, note=payload.note)
    return staff_week_out(request, v.week.calendar, v.week.start)
