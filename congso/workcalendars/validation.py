"""The rules of a calendar entry, in one place (pages, forms and the API call ``clean_entry``).

An entry lies on a day of its week; a timed entry has a start and an end time, the end after the start;
a half-day (sáng, chiều) or whole-day entry takes the office hours below. An entry in the past is
refused (a timed one that has started, a half or whole day that is over); attending leaders must be
officials holding a leader's role.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext as _

from congso.core.errors import InvalidFields
from congso.directory.models import Role
from congso.directory.scope import active_memberships

from .models import Part

# office hours of the half and whole days (Decree 45/2013: 8 hours a day, morning and afternoon)
PART_HOURS = {
    Part.MORNING: (dt.time(7, 30), dt.time(11, 30)),
    Part.AFTERNOON: (dt.time(13, 30), dt.time(17, 0)),
    Part.ALL_DAY: (dt.time(7, 30), dt.time(17, 0)),
}
MAX_CONTENT = 2000
MAX_ATTENDEES = 30


@dataclass
class CleanEntry:
    day: dt.date
    part: str
    start_time: dt.time | None
    end_time: dt.time | None
    starts_at: dt.datetime
    ends_at: dt.datetime
    content: str
    place: str = ""
    participants: str = ""
    preparing_unit: str = ""
    notes: str = ""
    attendees: list = field(default_factory=list)


def _text(data, name, limit):
    value = str(data.get(name) or "").strip()
    return value, (len(value) > limit)


def _date(value):
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value or "").strip())
    except ValueError:
        return None


def _time(value):
    if value in (None, ""):
        return None
    if isinstance(value, dt.time):
        return value
    try:
        return dt.time.fromisoformat(str(value).strip())
    except ValueError:
        return False


def _ids(value) -> list[int] | None:
    if value in (None, ""):
        return []
    items = value if isinstance(value, list | tuple) else str(value).replace(";", ",").split(",")
    try:
        return sorted({int(str(i).strip()) for i in items if str(i).strip()})
    except ValueError:
        return None


def clean_entry(data, *, week_start: dt.date, now: dt.datetime | None = None) -> CleanEntry:
    """The entry ``data`` (a dict or QueryDict) checked; ``InvalidFields`` with every problem otherwise."""
    errors: dict[str, list[str]] = {}
    now = now or timezone.now()
    tz = timezone.get_current_timezone()

    day = _date(data.get("day"))
    if day is None:
        errors["day"] = [_("Chọn ngày của công việc.")]
    elif not (week_start <= day <= week_start + dt.timedelta(days=6)):
        errors["day"] = [
            _("Ngày phải nằm trong tuần từ %(a)s đến %(b)s.")
            % {"a": f"{week_start:%d/%m/%Y}", "b": f"{week_start + dt.timedelta(days=6):%d/%m/%Y}"}
        ]

    part = str(data.get("part") or Part.TIMED)
    if part not in Part.values:
        errors["part"] = [_("Thời gian phải là theo giờ, buổi sáng, buổi chiều hoặc cả ngày.")]
        part = Part.TIMED

    start_time = end_time = None
    if part == Part.TIMED:
        start_time, end_time = _time(data.get("start_time")), _time(data.get("end_time"))
        if start_time is None:
            errors["start_time"] = [_("Nhập giờ bắt đầu.")]
        elif start_time is False:
            errors["start_time"] = [_("Giờ bắt đầu không hợp lệ (ví dụ 08:00).")]
        if end_time is None:
            errors["end_time"] = [_("Nhập giờ kết thúc.")]
        elif end_time is False:
            errors["end_time"] = [_("Giờ kết thúc không hợp lệ (ví dụ 11:30).")]
        if start_time and end_time and end_time <= start_time:
            errors["end_time"] = [_("Giờ kết thúc phải sau giờ bắt đầu.")]
        first, last = start_time, end_time
    else:
        first, last = PART_HOURS[part]

    content, too_long = _text(data, "content", MAX_CONTENT)
    if not content:
        errors["content"] = [_("Nhập nội dung công việc.")]
    elif too_long:
        errors["content"] = [_("Nội dung công việc dài quá %(n)s ký tự.") % {"n": MAX_CONTENT}]
    fields = {}
    for name, limit in (("place", 255), ("participants", 500), ("preparing_unit", 255), ("notes", 2000)):
        fields[name], too_long = _text(data, name, limit)
        if too_long:
            errors[name] = [_("Tối đa %(n)s ký tự.") % {"n": limit}]

    ids = _ids(data.getlist("attendees") if hasattr(data, "getlist") else data.get("attendees"))
    attendees = []
    if ids is None:
        errors["attendees"] = [_("Danh sách lãnh đạo dự không hợp lệ.")]
    elif len(ids) > MAX_ATTENDEES:
        errors["attendees"] = [_("Tối đa %(n)s lãnh đạo dự.") % {"n": MAX_ATTENDEES}]
    elif ids:
        attendees = list(get_user_model().objects.filter(pk__in=ids, is_active=True))
        leaders = {u.pk for u in attendees if active_memberships(u, Role.LEADER).exists()}
        if leaders != set(ids):
            errors["attendees"] = [_("Chỉ chọn được lãnh đạo đang giữ vai trò lãnh đạo.")]

    starts_at = ends_at = None
    if day is not None and first and last and "day" not in errors:
        starts_at = dt.datetime.combine(day, first, tzinfo=tz)
        ends_at = dt.datetime.combine(day, last, tzinfo=tz)
        started = starts_at < now if part == Part.TIMED else ends_at <= now
        if started and not errors:
            errors["day"] = [_("Không thêm hoặc sửa được công việc đã diễn ra (thời gian đã qua).")]

    if errors:
        raise InvalidFields(errors, code="invalid_entry")
    return CleanEntry(
        day=day,
        part=part,
        start_time=start_time if part == Part.TIMED else None,
        end_time=end_time if part == Part.TIMED else None,
        starts_at=starts_at,
        ends_at=ends_at,
        content=content,
        attendees=attendees,
        **fields,
    )


def clean_week_start(value) -> dt.date:
    """A week's Monday from a date (any day of it) given as ``YYYY-MM-DD``."""
    day = _date(value)
    if day is None:
        raise InvalidFields(
            {"start": [_("Tuần không hợp lệ; nhập một ngày dạng NNNN-TT-NN.")]}, code="invalid_week"
        )
    return day - dt.timedelta(days=day.weekday())
