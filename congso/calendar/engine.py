"""The working-day calendar every deadline is computed with (ADR 0040): its public API.

Everything takes an optional ``unit`` (an ``AdministrativeUnit``, its pk, its code, or ``None`` for the
nationwide calendar); a commune resolves to its province. Moments may be aware datetimes (any zone) or
naive ones meaning Vietnam time; results are aware, in ``settings.TIME_ZONE``.

    from congso.calendar import engine

    engine.days(3), engine.hours(4)              -> Allowance (a legal time limit)
    engine.due_at(received, allowance, unit=None, pauses=())
                                                 -> datetime, or None while an open pause
                                                    (start, None) stops the clock before the due
    engine.is_working_day(day, unit=None)        -> bool
    engine.effective_start(received, unit=None)  -> when the clock starts running
    engine.working_time_between(start, end, unit=None) -> timedelta of office time
    engine.elapsed(received, now, unit=None, pauses=())  -> office time used so far
    engine.remaining(received, allowance, now, unit=None, pauses=())
                                                 -> office time left (negative once overdue)
    engine.after_pause(due, pause_start, pause_end, unit=None)
                                                 -> a due moment moved by an ended pause
    engine.status_at(due, now, due_soon_threshold=None, unit=None)
                                                 -> DeadlineStatus.ON_TIME / DUE_SOON / OVERDUE
    engine.get_calendar(unit=None)               -> WorkingCalendar with all of the above as
                                                    methods (resolve once, then loop over an inbox)

Administration (days off, make-up days, office hours, who may change them) is in ``services.py``;
the per-process cache and its revision counter in ``cache.py``. Also reachable as
``congso calendar due START N [--hours] [--province CODE] [--pause FROM TO]``, ``congso calendar days
YEAR``, the JSON API at ``/api/v1/calendar/`` (``api.py``) and the Django admin (``admin.py``). Errors
are ``CalendarError`` (a ``ServiceError``, so a ``ValueError``) with a Vietnamese message, or
``PermissionDenied``.

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
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays
from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy

from congso.core.errors import ServiceError
from congso.directory.models import AdministrativeUnit

from . import cache
from .models import CalendarException, OfficeHours

__all__ = [
    "DAYS",
    "HOURS",
    "Allowance",
    "CalendarError",
    "DeadlineStatus",
    "WorkingCalendar",
    "after_pause",
    "days",
    "due_at",
    "effective_start",
    "elapsed",
    "get_calendar",
    "hours",
    "is_working_day",
    "remaining",
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


class CalendarError(ServiceError, ValueError):
    """Bad input to the calendar; the message is Vietnamese and safe to show. Still a ``ValueError``, as
    callers written before it became a ``ServiceError`` catch it that way."""


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


def parse_moment(text: str) -> dt.datetime:
    """A moment as people and clients write it: ``03/02/2027 09:00`` (seconds optional, or a date alone)
    or ISO ``2027-02-03T09:00``; naive, read as local time by the calendar. Used by the API and the
    ``calendar`` command."""
    text = (text or "").strip()
    for fmt in ("%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text, fmt)
        except ValueError:
            pass
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:
        raise CalendarError(
            f"Thời điểm không hợp lệ: {text[:40]!r}. Ví dụ: 2027-02-03T09:00 hoặc 03/02/2027 09:00."
        ) from None


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


@lru_cache(maxsize=64)
def _package_year(year: int) -> tuple[dict, frozenset]:
    calendar = holidays.country_holidays("VN", years=year, language="vi")
    off = {day: name for day, name in calendar.items() if day.year == year}
    work = frozenset(day for day in calendar.weekend_workdays if day.year == year)
    return off, work


def _load_year(province_id: int | None, year: int) -> _Year:
    key = (province_id, year)
    cached = cache._years.get(key)
    if cached is not None:
        return cached
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
    with cache._lock:
        cache._years[key] = result
    return result


def _load_hours(province_id: int | None) -> _Hours:
    cached = cache._hours.get(province_id)
    if cached is not None:
        return cached
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
    with cache._lock:
        cache._hours[province_id] = result
    return result


def _province_id(unit) -> int | None:
    if unit is None:
        return None
    if isinstance(unit, AdministrativeUnit):
        key = unit.pk
    elif isinstance(unit, int):
        key = unit
    elif isinstance(unit, str):
        key = ("code", unit)
    else:
        raise CalendarError("Đơn vị hành chính không hợp lệ.")
    if key in cache._provinces:
        return cache._provinces[key]
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
    with cache._lock:
        cache._provinces[key] = province
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
        cached = cache._thresholds.get(key)
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
        if len(cache._thresholds) < 256:
            cache._thresholds[key] = result
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
    cache.check_revision()
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
