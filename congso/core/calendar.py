"""The working-day calendar every deadline is computed with (ADR 0040).

Public API — everything takes an optional ``unit`` (an ``AdministrativeUnit``, its pk, its code,
or ``None`` for the nationwide calendar); a commune resolves to its province. Moments may be
aware datetimes (any zone) or naive ones meaning Vietnam time; results are aware, in
``settings.TIME_ZONE``.

    from congso.core import calendar

    calendar.days(3), calendar.hours(4)            -> Allowance (a legal time limit)
    calendar.due_at(received, allowance, unit=None, pauses=())
                                                   -> datetime, or None while an open pause
                                                      (start, None) stops the clock before the due
    calendar.is_working_day(day, unit=None)        -> bool
    calendar.effective_start(received, unit=None)  -> when the clock starts running
    calendar.working_time_between(start, end, unit=None) -> timedelta of office time
    calendar.elapsed(received, now, unit=None, pauses=())  -> office time used so far
    calendar.remaining(received, allowance, now, unit=None, pauses=())
                                                   -> office time left (negative once overdue)
    calendar.after_pause(due, pause_start, pause_end, unit=None)
                                                   -> a due moment moved by an ended pause
    calendar.status_at(due, now, due_soon_threshold=None, unit=None)
                                                   -> DeadlineStatus.ON_TIME / DUE_SOON / OVERDUE
    calendar.get_calendar(unit=None)               -> WorkingCalendar with all of the above as
                                                      methods (resolve once, then loop over an inbox)

Administration (permission ``core.manage_calendar`` on the province: system administrators
everywhere and nationwide; agency administrators of a province's People's Committee or root agency
for that province; audited, one transaction each):

    calendar.set_exception(actor, day, kind, reason, unit=None)   -> CalendarException
    calendar.remove_exception(actor, day, unit=None)
    calendar.set_office_hours(actor, unit=None, morning_start=..., ...) -> OfficeHours
    calendar.may_manage(user, unit=None | "any")   -> bool
    calendar.manageable_provinces(user)            -> provinces the user may change

Also reachable as ``congso calendar due START N [--hours] [--province CODE] [--pause FROM TO]``,
``congso calendar days YEAR``, the JSON API at ``/api/v1/calendar/`` (``calendar_api.py``) and
the Django admin (``admin.py``). Errors are ``CalendarError`` (a ``ValueError``) with a
Vietnamese message, or ``PermissionDenied``.

The rules
---------
* Working days are Monday–Friday, minus the public holidays of the ``holidays`` package
  (``VN``: Tết, Hùng Kings' day, 30/4, 1/5, 2/9, …, with the package's own weekend swaps),
  then minus/plus the administrators' ``CalendarException`` rows: nationwide rows first,
  then the province's rows, which win.
* Office hours come from ``OfficeHours`` (the province's row, else the nationwide row, else
  07:30–11:30 and 13:30–17:00).
* A dossier received on working day D before the receipt cut-off (default: closing time) with a
  limit of N working days is due at the close of the N-th working day after D. Received at or
  after the cut-off, or on a non-working day, it counts as received at the opening of the next
  working day (``CONGSO_CALENDAR_AFTER_HOURS_RULE = "receive_next_day"``, the default), or,
  with ``"count_next_day"``, that next working day is itself day 1.
* A limit in working hours runs over office hours only, from the receipt moment (or the next
  opening).
* A pause (supplement request until the citizen answers) stops the clock: the due moment moves
  by the office time that fell inside the pause before the clock ran out.

Cache: the set of working days is computed once per (province, year) and kept in process
memory; every edit bumps ``CalendarRevision`` in its own transaction and empties this process's
cache at once; other processes notice the new revision within
``CONGSO_CALENDAR_REFRESH_SECONDS``. Edits that bypass ``save()``/``delete()`` must call
``calendar.notify_changed()``.
"""

from __future__ import annotations

import bisect
import datetime as dt
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F, Q
from django.utils.translation import gettext_lazy

from . import audit
from .permissions import can, require, rule

__all__ = [
    "DAYS",
    "HOURS",
    "Allowance",
    "CalendarError",
    "DeadlineStatus",
    "WorkingCalendar",
    "days",
    "due_at",
    "effective_start",
    "elapsed",
    "get_calendar",
    "hours",
    "invalidate",
    "notify_changed",
    "is_working_day",
    "remaining",
    "remove_exception",
    "set_exception",
    "set_office_hours",
    "status_at",
    "working_time_between",
]

DAYS = "days"
HOURS = "hours"
RECEIVE_NEXT_DAY = "receive_next_day"
COUNT_NEXT_DAY = "count_next_day"
DEFAULT_HOURS = ((dt.time(7, 30), dt.time(11, 30)), (dt.time(13, 30), dt.time(17, 0)))
_US = dt.timedelta(microseconds=1)
_MAX_YEARS_SCANNED = 50


class CalendarError(ValueError):
    """Bad input to the calendar; the message is Vietnamese and safe to show."""


class DeadlineStatus(models.TextChoices):
    ON_TIME = "on_time", gettext_lazy("Trong hạn")
    DUE_SOON = "due_soon", gettext_lazy("Sắp đến hạn")
    OVERDUE = "overdue", gettext_lazy("Quá hạn")


@dataclass(frozen=True)
class Allowance:
    """A legal time limit: ``amount`` working days or working hours."""

    amount: int | Decimal
    unit: str = DAYS

    def __post_init__(self):
        if self.unit not in (DAYS, HOURS):
            raise CalendarError("Đơn vị thời hạn phải là ngày làm việc hoặc giờ làm việc.")
        try:
            amount = Decimal(str(self.amount))
        except Exception:
            raise CalendarError("Thời hạn phải là một số.") from None
        if not amount.is_finite() or amount < 0:
            raise CalendarError("Thời hạn phải là số không âm.")
        if self.unit == DAYS and amount != amount.to_integral_value():
            raise CalendarError("Thời hạn tính bằng ngày làm việc phải là số nguyên; hãy dùng giờ làm việc.")
        if amount == amount.to_integral_value():
            amount = int(amount)
        else:
            amount = amount.normalize()
        object.__setattr__(self, "amount", amount)

    def __str__(self):
        word = "ngày làm việc" if self.unit == DAYS else "giờ làm việc"
        return f"{self.amount} {word}"


def days(n) -> Allowance:
    return Allowance(n, DAYS)


def hours(n) -> Allowance:
    return Allowance(n, HOURS)


# --- configuration ----------------------------------------------------------------------------


def _tz() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def _after_hours_rule() -> str:
    value = getattr(settings, "CONGSO_CALENDAR_AFTER_HOURS_RULE", RECEIVE_NEXT_DAY)
    if value not in (RECEIVE_NEXT_DAY, COUNT_NEXT_DAY):
        raise CalendarError(f"CONGSO_CALENDAR_AFTER_HOURS_RULE không hợp lệ: {value!r}")
    return value


def _refresh_seconds() -> float:
    return float(getattr(settings, "CONGSO_CALENDAR_REFRESH_SECONDS", 5))


# --- process cache ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Year:
    ordinals: tuple[int, ...]  # working days of the year, sorted (date.toordinal())
    members: frozenset[int]
    notes: dict  # date -> (is_working, reason) for days that differ from Mon–Fri


@dataclass(frozen=True)
class _Hours:
    intervals: tuple[tuple[dt.time, dt.time], ...]
    cutoff: dt.time
    daily_us: int = 0  # office time of one working day, in microseconds
    interval_us: tuple[tuple[int, int], ...] = ()  # the intervals as µs after midnight

    def __post_init__(self):
        def since_midnight(t: dt.time) -> int:
            return ((t.hour * 60 + t.minute) * 60 + t.second) * 1_000_000 + t.microsecond

        spans = tuple((since_midnight(a), since_midnight(b)) for a, b in self.intervals)
        object.__setattr__(self, "interval_us", spans)
        object.__setattr__(self, "daily_us", sum(b - a for a, b in spans))


_lock = threading.Lock()
_years: dict[tuple[int | None, int], _Year] = {}
_hours: dict[int | None, _Hours] = {}
_provinces: dict[object, int | None] = {}
_state = {"revision": None, "checked": 0.0}
_thresholds: dict[tuple, int] = {}


def invalidate() -> None:
    """Forget everything computed in this process (called on every calendar edit)."""
    with _lock:
        _years.clear()
        _hours.clear()
        _provinces.clear()
        _state["revision"] = None
        _state["checked"] = 0.0


def _bump_revision() -> None:
    from .models import CalendarRevision

    updated = CalendarRevision.objects.filter(pk=1).update(revision=F("revision") + 1)
    if not updated:
        CalendarRevision.objects.get_or_create(pk=1, defaults={"revision": 1})
    invalidate()


def notify_changed() -> None:
    """Call after changing calendar rows without ``save()``/``delete()`` (``update``, ``bulk_create``,
    SQL): bumps the revision in the current transaction so every process recomputes."""
    _bump_revision()


def _check_revision() -> None:
    now = time.monotonic()
    if _state["revision"] is not None and now - _state["checked"] < _refresh_seconds():
        return
    from .models import CalendarRevision

    revision = CalendarRevision.objects.filter(pk=1).values_list("revision", flat=True).first() or 0
    with _lock:
        if _state["revision"] is not None and _state["revision"] != revision:
            _years.clear()
            _hours.clear()
            _provinces.clear()
        _state["revision"] = revision
        _state["checked"] = now


@lru_cache(maxsize=64)
def _package_year(year: int) -> tuple[dict, frozenset]:
    import holidays

    calendar = holidays.country_holidays("VN", years=year, language="vi")
    off = {day: name for day, name in calendar.items() if day.year == year}
    work = frozenset(day for day in calendar.weekend_workdays if day.year == year)
    return off, work


def _load_year(province_id: int | None, year: int) -> _Year:
    key = (province_id, year)
    cached = _years.get(key)
    if cached is not None:
        return cached
    from .models import CalendarException

    package_off, package_work = _package_year(year)
    notes: dict[dt.date, tuple[bool, str]] = {}
    for day, name in package_off.items():
        notes[day] = (False, name)
    for day in package_work:
        notes[day] = (True, "Ngày làm việc bù (theo thư viện holidays)")
    scope = Q(unit__isnull=True)
    if province_id is not None:
        scope |= Q(unit_id=province_id)
    rows = CalendarException.objects.filter(scope, date__year=year).order_by(
        F("unit_id").asc(nulls_first=True)
    )
    for row in rows.values_list("date", "kind", "reason"):
        day, kind, reason = row
        notes[day] = (kind == CalendarException.Kind.WORKING_DAY, reason)
    first = dt.date(year, 1, 1).toordinal()
    last = dt.date(year, 12, 31).toordinal()
    ordinals = []
    for ordinal in range(first, last + 1):
        day = dt.date.fromordinal(ordinal)
        working = notes[day][0] if day in notes else day.weekday() < 5
        if working:
            ordinals.append(ordinal)
    result = _Year(tuple(ordinals), frozenset(ordinals), notes)
    with _lock:
        _years[key] = result
    return result


def _load_hours(province_id: int | None) -> _Hours:
    cached = _hours.get(province_id)
    if cached is not None:
        return cached
    from .models import OfficeHours

    row = None
    if province_id is not None:
        row = OfficeHours.objects.filter(unit_id=province_id).first()
    if row is None:
        row = OfficeHours.objects.filter(unit__isnull=True).first()
    if row is None:
        intervals = DEFAULT_HOURS
        cutoff = DEFAULT_HOURS[-1][1]
    else:
        if row.morning_end == row.afternoon_start:
            intervals = ((row.morning_start, row.afternoon_end),)
        else:
            intervals = ((row.morning_start, row.morning_end), (row.afternoon_start, row.afternoon_end))
        cutoff = min(row.receipt_cutoff or row.afternoon_end, row.afternoon_end)
    result = _Hours(intervals, cutoff)
    with _lock:
        _hours[province_id] = result
    return result


def _province_id(unit) -> int | None:
    if unit is None:
        return None
    from congso.directory.models import AdministrativeUnit

    if isinstance(unit, AdministrativeUnit):
        key = unit.pk
    elif isinstance(unit, int):
        key = unit
    elif isinstance(unit, str):
        key = ("code", unit)
    else:
        raise CalendarError("Đơn vị hành chính không hợp lệ.")
    if key in _provinces:
        return _provinces[key]
    if isinstance(key, tuple):
        node = (
            AdministrativeUnit.objects.filter(code=unit, valid_to__isnull=True).first()
            or AdministrativeUnit.objects.filter(code=unit).order_by("-valid_from").first()
        )
    else:
        node = (
            unit
            if isinstance(unit, AdministrativeUnit)
            else AdministrativeUnit.objects.filter(pk=key).first()
        )
    if node is None:
        raise CalendarError(f"Không tìm thấy đơn vị hành chính {unit}.")
    seen = 0
    while node.level != AdministrativeUnit.Level.PROVINCE and node.parent_id and seen < 5:
        node = node.parent
        seen += 1
    province = node.pk if node.level == AdministrativeUnit.Level.PROVINCE else None
    with _lock:
        _provinces[key] = province
    return province


# --- the calendar -----------------------------------------------------------------------------


def _local(moment: dt.datetime, tz: ZoneInfo) -> dt.datetime:
    if not isinstance(moment, dt.datetime):
        raise CalendarError("Thời điểm phải gồm ngày và giờ.")
    if moment.tzinfo is None:
        return moment.replace(tzinfo=tz)
    return moment.astimezone(tz)


def _merge_pauses(pauses, tz) -> list[tuple[dt.datetime, dt.datetime | None]]:
    items = []
    for pause in pauses or ():
        try:
            start, end = pause
        except (TypeError, ValueError):
            raise CalendarError(
                "Mỗi khoảng tạm dừng gồm thời điểm bắt đầu và kết thúc (hoặc None)."
            ) from None
        start = _local(start, tz)
        end = None if end is None else _local(end, tz)
        if end is not None and end < start:
            raise CalendarError("Khoảng tạm dừng kết thúc trước khi bắt đầu.")
        items.append((start, end))
    items.sort(key=lambda p: p[0])
    merged: list[list] = []
    for start, end in items:
        if merged and (merged[-1][1] is None or start <= merged[-1][1]):
            if merged[-1][1] is not None:
                merged[-1][1] = None if end is None else max(merged[-1][1], end)
            continue
        merged.append([start, end])
    return [(s, e) for s, e in merged]


class WorkingCalendar:
    """The calendar of one province (or the nationwide one). Cheap to create; data is cached."""

    def __init__(self, province_id: int | None):
        self.province_id = province_id
        self.tz = _tz()
        self.hours = _load_hours(province_id)

    def local(self, moment: dt.datetime) -> dt.datetime:
        """``moment`` in the calendar's zone (a naive moment is taken as Vietnam time)."""
        return _local(moment, self.tz)

    # days

    def _year(self, year: int) -> _Year:
        return _load_year(self.province_id, year)

    def is_working_day(self, day: dt.date) -> bool:
        if isinstance(day, dt.datetime):
            day = _local(day, self.tz).date()
        return day.toordinal() in self._year(day.year).members

    def day_notes(self, year: int) -> dict:
        """{date: (is_working, reason)} for the days of ``year`` that differ from Monday–Friday."""
        return dict(self._year(year).notes)

    def nth_working_day_after(self, day: dt.date, n: int) -> dt.date:
        """The n-th working day strictly after ``day`` (n ≥ 1)."""
        if n < 1:
            raise CalendarError("n phải từ 1 trở lên.")
        year = day.year
        index = bisect.bisect_right(self._year(year).ordinals, day.toordinal())
        for _ in range(_MAX_YEARS_SCANNED):
            ordinals = self._year(year).ordinals
            if index + n - 1 < len(ordinals):
                return dt.date.fromordinal(ordinals[index + n - 1])
            n -= len(ordinals) - index
            year += 1
            index = 0
        raise CalendarError("Không tìm được ngày làm việc trong khoảng thời gian hợp lý.")

    def next_working_day(self, day: dt.date) -> dt.date:
        return self.nth_working_day_after(day, 1)

    def count_working_days(self, first: dt.date, last: dt.date) -> int:
        """Working days d with first ≤ d < last."""
        if last <= first:
            return 0
        total = 0
        for year in range(first.year, last.year + 1):
            ordinals = self._year(year).ordinals
            lo = bisect.bisect_left(ordinals, max(first, dt.date(year, 1, 1)).toordinal())
            hi = bisect.bisect_left(ordinals, last.toordinal()) if year == last.year else len(ordinals)
            total += max(0, hi - lo)
        return total

    # office time

    def intervals(self, day: dt.date) -> list[tuple[dt.datetime, dt.datetime]]:
        if not self.is_working_day(day):
            return []
        return [
            (dt.datetime.combine(day, a, tzinfo=self.tz), dt.datetime.combine(day, b, tzinfo=self.tz))
            for a, b in self.hours.intervals
        ]

    def closing(self, day: dt.date) -> dt.datetime:
        return dt.datetime.combine(day, self.hours.intervals[-1][1], tzinfo=self.tz)

    def opening(self, day: dt.date) -> dt.datetime:
        return dt.datetime.combine(day, self.hours.intervals[0][0], tzinfo=self.tz)

    def _office_us_within_day(self, day: dt.date, start: dt.datetime, end: dt.datetime) -> int:
        """Office time of ``day`` that lies between ``start`` and ``end`` (either may be on another day)."""
        if day.toordinal() not in self._year(day.year).members:
            return 0
        midnight = dt.datetime.combine(day, dt.time(), tzinfo=self.tz)
        lo_us = (start - midnight) // _US
        hi_us = (end - midnight) // _US
        total = 0
        for a, b in self.hours.interval_us:
            lo = a if a > lo_us else lo_us
            hi = b if b < hi_us else hi_us
            if hi > lo:
                total += hi - lo
        return total

    def _office_us(self, start: dt.datetime, end: dt.datetime) -> int:
        if end <= start:
            return 0
        first, last = start.date(), end.date()
        if first == last:
            return self._office_us_within_day(first, start, end)
        full = self.count_working_days(first + dt.timedelta(days=1), last)
        return (
            self._office_us_within_day(first, start, end)
            + full * self.hours.daily_us
            + self._office_us_within_day(last, start, end)
        )

    def working_time_between(self, start: dt.datetime, end: dt.datetime) -> dt.timedelta:
        """Office time from ``start`` to ``end``; negative when ``end`` is before ``start``."""
        start, end = _local(start, self.tz), _local(end, self.tz)
        if end < start:
            return -self.working_time_between(end, start)
        return self._office_us(start, end) * _US

    def _locate(self, day: dt.date, us: int, start: dt.datetime | None = None) -> dt.datetime | None:
        """The moment on ``day`` (from ``start``) by which ``us`` of office time has run, or None."""
        for a, b in self.intervals(day):
            if start is not None:
                if b <= start:
                    continue
                a = max(a, start)
            length = (b - a) // _US
            if us <= length:
                return a + us * _US
            us -= length
        return None

    def _advance(self, start: dt.datetime, us: int) -> dt.datetime:
        """The moment at which ``us`` of office time has run from ``start``."""
        if us <= 0:
            return start
        day = start.date()
        first_day = self._office_us_within_day(day, start, start + dt.timedelta(days=1))
        if us <= first_day:
            return self._locate(day, us, start)
        us -= first_day
        daily = self.hours.daily_us
        skip, rest = divmod(us, daily)
        if rest == 0:
            skip, rest = skip - 1, daily
        target = self.nth_working_day_after(day, skip + 1)
        return self._locate(target, rest)

    # receipt and deadlines

    def receipt_day(self, received: dt.datetime) -> tuple[dt.date, dt.datetime]:
        """(day D the dossier counts as received on, moment the clock starts)."""
        received = _local(received, self.tz)
        day = received.date()
        if self.is_working_day(day) and received.time() < self.hours.cutoff:
            start = max(received, self.opening(day))
            following = [a for a, b in self.intervals(day) if b > start]
            if following:
                start = max(start, following[0])
            return day, start
        nxt = self.next_working_day(day)
        return nxt, self.opening(nxt)

    def effective_start(self, received: dt.datetime) -> dt.datetime:
        return self.receipt_day(received)[1]

    def _unpaused_due(self, received: dt.datetime, allowance: Allowance) -> tuple[dt.datetime, dt.datetime]:
        received_local = _local(received, self.tz)
        day, start = self.receipt_day(received_local)
        if allowance.unit == HOURS:
            us = int((Decimal(str(allowance.amount)) * 3600 * 1_000_000).to_integral_value())
            return start, self._advance(start, us)
        n = int(allowance.amount)
        shifted = not (self.is_working_day(received_local.date()) and day == received_local.date())
        if shifted and _after_hours_rule() == COUNT_NEXT_DAY:
            n = max(n - 1, 0)
        due_day = day if n == 0 else self.nth_working_day_after(day, n)
        return start, self.closing(due_day)

    def budget(self, received: dt.datetime, allowance: Allowance) -> dt.timedelta:
        """The office time an allowance grants a dossier received at ``received``."""
        start, due = self._unpaused_due(received, allowance)
        return self._office_us(start, due) * _US

    def due_at(
        self, received: dt.datetime, allowance: Allowance, pauses: Iterable = ()
    ) -> dt.datetime | None:
        """The due moment, or None while an open pause stops the clock before it runs out."""
        if not isinstance(allowance, Allowance):
            raise CalendarError("Thời hạn không hợp lệ.")
        start, due = self._unpaused_due(received, allowance)
        merged = _merge_pauses(pauses, self.tz)
        if not merged:
            return due
        left = self._office_us(start, due)
        cursor = start
        for p_start, p_end in merged:
            if p_end is not None and p_end <= cursor:
                continue
            if p_start > cursor:
                run = self._office_us(cursor, p_start)
                if run >= left:
                    return self._advance(cursor, left)
                left -= run
            if p_end is None:
                return None
            cursor = max(cursor, p_end)
        return self._advance(cursor, left)

    def after_pause(self, due: dt.datetime, pause_start: dt.datetime, pause_end: dt.datetime) -> dt.datetime:
        """A due moment moved by a pause that has ended: the office time left when the pause began runs
        again from its end (as ``due_at`` moves a dossier's due moment). A pause that began at or after
        ``due`` (the time had already run out) changes nothing. Used for one step of a dossier, whose
        due moment was set when it entered the step."""
        due, start, end = _local(due, self.tz), _local(pause_start, self.tz), _local(pause_end, self.tz)
        if end <= start or start >= due:
            return due
        left = self._office_us(start, due)
        if left <= 0:
            return due
        return self._advance(end, left)

    def elapsed(self, received: dt.datetime, now: dt.datetime, pauses: Iterable = ()) -> dt.timedelta:
        """Office time the clock has run from receipt to ``now``, pauses excluded."""
        now = _local(now, self.tz)
        start = self.effective_start(received)
        if now <= start:
            return dt.timedelta(0)
        total = self._office_us(start, now)
        for p_start, p_end in _merge_pauses(pauses, self.tz):
            lo = max(p_start, start)
            hi = now if p_end is None else min(p_end, now)
            if hi > lo:
                total -= self._office_us(lo, hi)
        return total * _US

    def remaining(
        self, received: dt.datetime, allowance: Allowance, now: dt.datetime, pauses: Iterable = ()
    ) -> dt.timedelta:
        """Office time left at ``now`` (negative once overdue)."""
        return self.budget(received, allowance) - self.elapsed(received, now, pauses)

    def _threshold_us(self, threshold) -> int:
        if threshold is None:
            threshold = getattr(settings, "CONGSO_CALENDAR_DUE_SOON_DAYS", 1)
        key = (threshold, self.hours.daily_us)
        cached = _thresholds.get(key)
        if cached is not None:
            return cached
        if isinstance(threshold, int) and not isinstance(threshold, bool):
            threshold = days(threshold)
        if isinstance(threshold, Allowance):
            unit_us = self.hours.daily_us if threshold.unit == DAYS else 3600 * 1_000_000
            result = int(Decimal(str(threshold.amount)) * unit_us)
        elif isinstance(threshold, dt.timedelta):
            result = threshold // _US
        else:
            raise CalendarError("Ngưỡng sắp đến hạn không hợp lệ.")
        if len(_thresholds) < 256:
            _thresholds[key] = result
        return result

    def status_at(self, due: dt.datetime | None, now: dt.datetime, due_soon_threshold=None) -> DeadlineStatus:
        """On time, due soon (office time left ≤ threshold) or overdue (``now`` after ``due``).

        ``due`` None means the clock is stopped (open pause): on time. The threshold is an
        Allowance, a timedelta of office time, or an int of working days; default
        ``CONGSO_CALENDAR_DUE_SOON_DAYS`` (1).
        """
        if due is None:
            return DeadlineStatus.ON_TIME
        now, due = _local(now, self.tz), _local(due, self.tz)
        if now > due:
            return DeadlineStatus.OVERDUE
        if self._office_us(now, due) <= self._threshold_us(due_soon_threshold):
            return DeadlineStatus.DUE_SOON
        return DeadlineStatus.ON_TIME


def get_calendar(unit=None) -> WorkingCalendar:
    _check_revision()
    return WorkingCalendar(_province_id(unit))


def is_working_day(day: dt.date, unit=None) -> bool:
    return get_calendar(unit).is_working_day(day)


def effective_start(received: dt.datetime, unit=None) -> dt.datetime:
    return get_calendar(unit).effective_start(received)


def due_at(
    received: dt.datetime, allowance: Allowance, unit=None, pauses: Iterable = ()
) -> dt.datetime | None:
    return get_calendar(unit).due_at(received, allowance, pauses)


def working_time_between(start: dt.datetime, end: dt.datetime, unit=None) -> dt.timedelta:
    return get_calendar(unit).working_time_between(start, end)


def after_pause(due: dt.datetime, pause_start: dt.datetime, pause_end: dt.datetime, unit=None) -> dt.datetime:
    return get_calendar(unit).after_pause(due, pause_start, pause_end)


def elapsed(received: dt.datetime, now: dt.datetime, unit=None, pauses: Iterable = ()) -> dt.timedelta:
    return get_calendar(unit).elapsed(received, now, pauses)


def remaining(
    received: dt.datetime, allowance: Allowance, now: dt.datetime, unit=None, pauses: Iterable = ()
) -> dt.timedelta:
    return get_calendar(unit).remaining(received, allowance, now, pauses)


def status_at(
    due: dt.datetime | None, now: dt.datetime, due_soon_threshold=None, unit=None
) -> DeadlineStatus:
    return get_calendar(unit).status_at(due, now, due_soon_threshold)


# --- administration -----------------------------------------------------------------------------


@rule("core.manage_calendar")
def _may_manage_calendar(user, province) -> bool:
    """Extra days off, make-up working days and office hours of ``province`` (an AdministrativeUnit of
    level 1; None: the nationwide rows). System administrators: everywhere. A province's own
    administrators — agency administrators of its People's Committee or of its root agency (the top of
    the province's directory tree) — for that province only. Nobody else."""
    from congso.directory.scope import is_sysadmin

    if is_sysadmin(user):
        return True
    if province is None:
        return False
    return province.pk in _administered_province_ids(user)


def _administered_province_ids(user) -> set[int]:
    """Provinces whose People's Committee or root agency the user administers (AGENCY_ADMIN, directly
    or through the sub-tree of an agency above it)."""
    from congso.directory.models import Agency, Role
    from congso.directory.scope import agencies_for

    return set(
        agencies_for(user, Role.AGENCY_ADMIN)
        .filter(unit__level=1, is_active=True)
        .filter(Q(kind=Agency.Kind.PEOPLES_COMMITTEE) | Q(parent__isnull=True))
        .values_list("unit_id", flat=True)
    )


def manageable_provinces(user):
    """The provinces whose calendar ``user`` may change (a queryset of AdministrativeUnit; every
    province for a system administrator). For a page's province selector."""
    from congso.directory.models import AdministrativeUnit
    from congso.directory.scope import is_sysadmin

    provinces = AdministrativeUnit.objects.filter(level=1).order_by("code")
    if is_sysadmin(user):
        return provinces
    return provinces.filter(pk__in=_administered_province_ids(user))


def may_manage(user, unit=None) -> bool:
    """May ``user`` change the calendar of ``unit`` (a province: unit, pk or code; None: nationwide)?
    With ``unit="any"``: of at least one province (to show or hide the editing page)."""
    from congso.directory.scope import is_sysadmin

    if unit == "any":
        return is_sysadmin(user) or bool(_administered_province_ids(user))
    try:
        province = _province_for_admin(unit)
    except CalendarError:
        return False
    return can(user, "core.manage_calendar", province)


def _require_manage(actor, unit):
    """The province row (None: nationwide) an administrator's change applies to, once allowed.
    Someone who may change no calendar at all is refused before their input is looked at."""
    if not may_manage(actor, "any"):
        require(actor, "core.manage_calendar", None)
    province = _province_for_admin(unit)
    require(actor, "core.manage_calendar", province)
    return province


def _province_for_admin(unit):
    """The province row an administrator's change applies to (None: nationwide)."""
    if unit is None:
        return None
    from congso.directory.models import AdministrativeUnit

    if isinstance(unit, AdministrativeUnit):
        node = unit
    elif isinstance(unit, int) and not isinstance(unit, bool):
        node = AdministrativeUnit.objects.filter(pk=unit).first()
    elif isinstance(unit, str):
        node = (
            AdministrativeUnit.objects.filter(code=unit, valid_to__isnull=True).first()
            or AdministrativeUnit.objects.filter(code=unit).order_by("-valid_from").first()
        )
    else:
        raise CalendarError("Đơn vị hành chính không hợp lệ.")
    if node is None:
        raise CalendarError(f"Không tìm thấy đơn vị hành chính {unit}.")
    if node.level != AdministrativeUnit.Level.PROVINCE:
        raise CalendarError("Chỉ khai báo lịch cho cả nước hoặc cho một tỉnh, thành phố.")
    return node


def set_exception(actor, day: dt.date, kind: str, reason: str, unit=None):
    """Declare (or change) an extra day off or a make-up working day, nationwide or for a province."""
    from .models import CalendarException

    province = _require_manage(actor, unit)
    if kind not in CalendarException.Kind.values:
        raise CalendarError("Loại ngày phải là ngày nghỉ hoặc ngày làm việc bù.")
    reason = (reason or "").strip()
    if not reason:
        raise CalendarError("Hãy ghi lý do hoặc căn cứ (ví dụ số văn bản của Chính phủ).")
    if not isinstance(day, dt.date) or isinstance(day, dt.datetime):
        raise CalendarError("Ngày không hợp lệ.")
    with transaction.atomic():
        row = CalendarException.objects.select_for_update().filter(unit=province, date=day).first()
        before = None
        if row is None:
            row = CalendarException(unit=province, date=day)
        else:
            before = {"kind": row.kind, "reason": row.reason}
        row.kind, row.reason = kind, reason[:300]
        row.save()  # the post_save signal bumps the calendar revision
        audit.record(
            "core.calendar_exception_set",
            obj=row,
            actor=actor,
            data={
                "date": day.isoformat(),
                "kind": kind,
                "reason": row.reason,
                "unit": province.code if province else None,
                "before": before,
            },
        )
    return row


def remove_exception(actor, day: dt.date, unit=None) -> bool:
    """Remove a declared day; returns False when there was none."""
    from .models import CalendarException

    province = _require_manage(actor, unit)
    with transaction.atomic():
        row = CalendarException.objects.select_for_update().filter(unit=province, date=day).first()
        if row is None:
            return False
        data = {
            "date": day.isoformat(),
            "kind": row.kind,
            "reason": row.reason,
            "unit": province.code if province else None,
        }
        audit.record("core.calendar_exception_remove", obj=row, actor=actor, data=data)
        row.delete()  # the post_delete signal bumps the calendar revision
    return True


def set_office_hours(actor, unit=None, **values):
    """Set the office hours of a province (or the nationwide default). Unknown fields are refused."""
    from .models import OfficeHours

    province = _require_manage(actor, unit)
    allowed = {"morning_start", "morning_end", "afternoon_start", "afternoon_end", "receipt_cutoff"}
    unknown = set(values) - allowed
    if unknown:
        raise CalendarError(f"Trường không hợp lệ: {', '.join(sorted(unknown))}.")
    with transaction.atomic():
        row = OfficeHours.objects.select_for_update().filter(unit=province).first()
        if row is None:
            # A province's new row starts from the nationwide hours, then takes the given values.
            base = OfficeHours.objects.filter(unit__isnull=True).first() if province is not None else None
            row = OfficeHours(unit=province)
            if base is not None:
                for name in allowed:
                    setattr(row, name, getattr(base, name))
        for name, value in values.items():
            setattr(row, name, value)
        try:
            row.full_clean()
        except ValidationError as exc:
            raise CalendarError(" ".join(exc.messages)) from None
        row.save()  # the post_save signal bumps the calendar revision
        audit.record(
            "core.office_hours_set",
            obj=row,
            actor=actor,
            data={name: (value.isoformat() if value else None) for name, value in values.items()}
            | {"unit": province.code if province else None},
        )
    return row


def _on_model_change(sender, instance, **kwargs):
    """Admin and any other ORM save/delete: bump the revision in the same transaction."""
    if kwargs.get("raw"):
        return
    _bump_revision()


def connect_signals() -> None:
    from django.db.models.signals import post_delete, post_save

    from .models import CalendarException, OfficeHours

    for model in (CalendarException, OfficeHours):
        post_save.connect(_on_model_change, sender=model, dispatch_uid=f"calendar-{model.__name__}-save")
        post_delete.connect(_on_model_change, sender=model, dispatch_uid=f"calendar-{model.__name__}-delete")
