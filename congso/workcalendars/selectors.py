"""Reads of the work calendars, for the pages, the API and other apps.

- ``busy(user_ids, start, end)``: what keeps these leaders busy between ``start`` and ``end`` — the
  entries of the calendars' working versions (the newest version of each week, draft or approved) where
  the leader is the calendar's owner or an attending leader, and every registered source's entries
  (``hooks.calendar_sources``) — for conflict checks (meetings use it when scheduling);
- ``week_entries(calendar, monday, public=...)``: one week of a calendar as ``types.Entry`` rows, its
  own entries merged with the sources' (``public``: only the published version and public source entries).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.db.models import F, Prefetch, Q
from django.urls import reverse
from django.utils import timezone

from congso.directory.models import Membership, Role
from congso.directory.scope import agencies_for

from . import hooks
from .models import Calendar, Entry, Part, Version, Week
from .permissions import APPROVE_ROLES, STAFF_ROLES
from .types import Entry as BusyEntry

log = logging.getLogger(__name__)
SOURCE = "workcalendars"


def monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def week_bounds(start: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The aware local datetimes [Monday 00:00, next Monday 00:00)."""
    tz = timezone.get_current_timezone()
    first = dt.datetime.combine(start, dt.time.min, tzinfo=tz)
    return first, dt.datetime.combine(start + dt.timedelta(days=7), dt.time.min, tzinfo=tz)


def _as_busy(
    row: Entry, *, calendar: Calendar, user_ids: Iterable[int | None], url: str = ""
) -> list[BusyEntry]:
    title = row.content.splitlines()[0] if row.content else ""
    unit_id = calendar.agency_id if calendar.kind == Calendar.Kind.UNIT else None
    return [
        BusyEntry(
            user_id=user_id,
            unit_id=unit_id,
            start=row.starts_at,
            end=row.ends_at,
            title=title,
            place=row.place,
            url=url,
            source=SOURCE,
            public=calendar.is_public,
            uid=str(row.uid),
            all_day=row.all_day,
        )
        for user_id in user_ids
    ]


def _leaders_of(row: Entry, calendar: Calendar) -> set[int]:
    ids = {u.pk for u in row.attendees.all()}
    if calendar.leader_id:
        ids.add(calendar.leader_id)
    return ids


def source_entries(
    user_ids: set[int], unit_ids: set[int], start: dt.datetime, end: dt.datetime, *, public_only: bool = False
) -> list[BusyEntry]:
    """Every registered source's entries for these leaders or units overlapping [start, end)."""
    found: list[BusyEntry] = []
    for key, item in hooks.calendar_sources.items():
        for entry in hooks.resolve(item)(set(user_ids), set(unit_ids), start, end) or []:
            if public_only and not entry.public:
                continue
            if not entry.overlaps(start, end):
                continue
            if (entry.user_id is not None and entry.user_id in user_ids) or (
                entry.unit_id is not None and entry.unit_id in unit_ids
            ):
                found.append(entry if entry.source else _with_source(entry, key))
    return found


def _with_source(entry: BusyEntry, source: str) -> BusyEntry:
    return BusyEntry(**{**entry.__dict__, "source": source})


def busy(user_ids: Iterable[int], start: dt.datetime, end: dt.datetime) -> list[BusyEntry]:
    """Own entries (working versions) and source entries of these leaders overlapping [start, end)."""
    user_ids = {int(u) for u in user_ids}
    if not user_ids:
        return []
    rows = (
        Entry.objects.filter(version__week__current_id=F("version_id"))
        .filter(starts_at__lt=end, ends_at__gt=start)
        .filter(Q(version__week__calendar__leader_id__in=user_ids) | Q(attendees__in=user_ids))
        .select_related("version__week__calendar")
        .prefetch_related(Prefetch("attendees", queryset=get_user_model().objects.only("pk")))
        .distinct()
    )
    found, urls = [], {}
    for row in rows:
        week = row.version.week
        url = urls.get(week.pk)
        if url is None:
            url = urls[week.pk] = reverse(
                "workcalendars:week", args=[week.calendar_id, week.start.isoformat()]
            )
        leaders = _leaders_of(row, week.calendar) & user_ids
        found.extend(_as_busy(row, calendar=week.calendar, user_ids=sorted(leaders), url=url))
    found.extend(source_entries(user_ids, set(), start, end))
    return sorted(found, key=lambda e: (e.start, e.end, e.key))


def conflicts(version: Version) -> dict[int, list[BusyEntry]]:
    """For each entry of ``version`` (by pk), the other busy entries of its leaders that overlap it:
    the same leader booked twice (a warning on the draft page, never a refusal)."""
    calendar = version.week.calendar
    rows = list(version.entries.prefetch_related("attendees"))
    leaders_by_row = {row.pk: _leaders_of(row, calendar) for row in rows}
    everyone = set().union(*leaders_by_row.values()) if leaders_by_row else set()
    if not everyone:
        return {}
    start, end = week_bounds(version.week.start)
    others = busy(everyone, start, end)
    # this version's own rows: the working version's appear in ``others``; a superseded or older one not
    own = [
        e for row in rows for e in _as_busy(row, calendar=calendar, user_ids=sorted(leaders_by_row[row.pk]))
    ]
    pool = {(e.key, e.user_id): e for e in others + own}
    found: dict[int, list[BusyEntry]] = {}
    for row in rows:
        hits = {}
        for (key, user_id), other in pool.items():
            if key == str(row.uid) or user_id not in leaders_by_row[row.pk]:
                continue
            if other.overlaps(row.starts_at, row.ends_at):
                hits.setdefault(other.key, other)
        if hits:
            found[row.pk] = sorted(hits.values(), key=lambda e: e.start)
    return found


def week_of(calendar: Calendar, start: dt.date) -> Week | None:
    return Week.objects.filter(calendar=calendar, start=start).select_related("current", "published").first()


def week_entries(calendar: Calendar, start: dt.date, *, public: bool) -> list[BusyEntry]:
    """One week of ``calendar``: the entries of its published version (``public``) or working version,
    and the sources' entries for its leader or unit, sorted by start."""
    week = week_of(calendar, start)
    version = (week.published if public else week.current) if week else None
    users = {calendar.leader_id} if calendar.leader_id else set()
    units = {calendar.agency_id} if calendar.kind == Calendar.Kind.UNIT else set()
    entries: list[BusyEntry] = []
    if version is not None:
        for row in version.entries.prefetch_related("attendees"):
            entries.extend(_as_busy(row, calendar=calendar, user_ids=[calendar.leader_id]))
    first, last = week_bounds(start)
    entries.extend(source_entries(users, units, first, last, public_only=public))
    return sorted(entries, key=lambda e: (e.start, e.end, e.key))


def published_rows(calendar: Calendar, start: dt.date) -> list[Entry]:
    week = week_of(calendar, start)
    if week is None or week.published_id is None:
        return []
    return list(week.published.entries.prefetch_related("attendees"))


def public_calendars():
    return Calendar.objects.filter(is_public=True, agency__is_active=True).select_related("agency", "leader")


def public_calendar(pk: int) -> Calendar | None:
    return public_calendars().filter(pk=pk).first()


def staff_calendars(user):
    """Calendars the user drafts or approves (their agencies' and sub-trees'), and their own."""
    agencies = agencies_for(user, STAFF_ROLES)
    return (
        Calendar.objects.filter(Q(agency__in=agencies) | Q(leader_id=getattr(user, "pk", None)))
        .select_related("agency", "leader")
        .distinct()
    )


def waiting_for_approval(user) -> int:
    """Weeks waiting for this leader's approval."""
    agencies = agencies_for(user, APPROVE_ROLES)
    return Week.objects.filter(calendar__agency__in=agencies, current__status="submitted").count()


# --- what the pages show ---------------------------------------------------------------------------


def leader_choices(agency, *, own_only: bool = False) -> list[tuple]:
    """Leaders an entry of ``agency``'s calendars may list as attending: the agency's own, its parent's
    and its direct sub-agencies' leaders, with their position. ``own_only``: the agency's own leaders
    (whose calendar a văn thư may open)."""
    today = timezone.localdate()
    ids = [agency.pk]
    if not own_only:
        ids += ([agency.parent_id] if agency.parent_id else []) + list(
            agency.children.values_list("pk", flat=True)
        )
    rows = (
        Membership.objects.filter(
            role=Role.LEADER, agency_id__in=ids, valid_from__lte=today, user__is_active=True
        )
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=today))
        .select_related("user", "agency")
        .order_by("agency__path", "user__username")
    )
    seen, choices = set(), []
    for m in rows:
        if m.user_id in seen:
            continue
        seen.add(m.user_id)
        name = getattr(m.user, "full_name", "") or m.user.get_username()
        choices.append((m.user, f"{name} — {m.position or m.agency.short_name or m.agency.name}"))
    return choices


def _person(user) -> str:
    return getattr(user, "full_name", "") or user.get_username()


def _time_label(start: dt.datetime, end: dt.datetime, part: str = "") -> str:
    labels = dict(Part.choices)
    if part and part != Part.TIMED:
        return str(labels[part])
    start, end = timezone.localtime(start), timezone.localtime(end)
    return f"{start:%H:%M}–{end:%H:%M}"


def display_rows(rows: Iterable[Entry], sources: Iterable[BusyEntry] = ()) -> list[dict]:
    """Own entries and source entries in one shape for the templates, sorted by start."""
    items = []
    for row in rows:
        items.append(
            {
                "pk": row.pk,
                "uid": str(row.uid),
                "day": row.day,
                "start": row.starts_at,
                "end": row.ends_at,
                "time": _time_label(row.starts_at, row.ends_at, row.part),
                "content": row.content,
                "place": row.place,
                "attendees": ", ".join(_person(u) for u in row.attendees.all()),
                "participants": row.participants,
                "preparing_unit": row.preparing_unit,
                "notes": row.notes,
                "source": "",
                "url": "",
                "past": row.ends_at <= timezone.now(),
            }
        )
    for e in sources:
        items.append(
            {
                "pk": None,
                "uid": e.key,
                "day": timezone.localtime(e.start).date(),
                "start": e.start,
                "end": e.end,
                "time": _time_label(e.start, e.end, Part.ALL_DAY if e.all_day else ""),
                "content": e.title,
                "place": e.place,
                "attendees": "",
                "participants": "",
                "preparing_unit": "",
                "notes": "",
                "source": e.source,
                "url": e.url,
                "past": e.end <= timezone.now(),
            }
        )
    return sorted(items, key=lambda i: (i["start"], i["end"], i["uid"]))


def by_day(start: dt.date, items: list[dict]) -> list[dict]:
    """The seven days of the week from ``start``, each with its items."""
    days = []
    for offset in range(7):
        day = start + dt.timedelta(days=offset)
        days.append({"date": day, "items": [i for i in items if i["day"] == day]})
    return days


def public_week(calendar: Calendar, start: dt.date) -> dict:
    """What the public page shows of a week: the published version's entries and the public sources'."""
    week = week_of(calendar, start)
    rows = published_rows(calendar, start)
    users = {calendar.leader_id} if calendar.leader_id else set()
    units = {calendar.agency_id} if calendar.kind == Calendar.Kind.UNIT else set()
    first, last = week_bounds(start)
    sources = source_entries(users, units, first, last, public_only=True)
    items = display_rows(rows, sources)
    for item in items:
        item["url"] = ""  # staff pages are not linked from the public page
    return {
        "week": week,
        "published": bool(week and week.published_id),
        "updated_at": week.published_at if week else None,
        "version": week.published if week else None,
        "items": items,
        "days": by_day(start, items),
    }


def feed_entries(calendar: Calendar, *, today: dt.date, weeks_back: int = 4, weeks_ahead: int = 12):
    """The published rows and public source entries of ``calendar`` around ``today`` (the iCalendar
    feed): [(rows, sources)] per week."""
    first_week = monday(today) - dt.timedelta(weeks=weeks_back)
    last_week = monday(today) + dt.timedelta(weeks=weeks_ahead)
    rows = list(
        Entry.objects.filter(
            version__week__calendar=calendar,
            version__week__published_id=F("version_id"),
            version__week__start__gte=first_week,
            version__week__start__lte=last_week,
        )
        .select_related("version__week")
        .prefetch_related("attendees")
    )
    users = {calendar.leader_id} if calendar.leader_id else set()
    units = {calendar.agency_id} if calendar.kind == Calendar.Kind.UNIT else set()
    first, _ = week_bounds(first_week)
    _, last = week_bounds(last_week)
    return rows, source_entries(users, units, first, last, public_only=True)
