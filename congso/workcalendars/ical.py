"""iCalendar (RFC 5545) feeds of published calendars, written with the ``icalendar`` library (ADR 0163).

One VEVENT per published entry, its UID the entry's ``uid`` (kept across amended versions, so a
subscribed calendar updates the event rather than adding a second one), DTSTAMP/LAST-MODIFIED the
week's publication time and SEQUENCE the published version's number; whole days are DATE values.
Public source entries (a scheduled meeting) are added with their own stable UID.
"""

from __future__ import annotations

import datetime as dt
import hashlib

import icalendar
from django.conf import settings
from django.utils import timezone

from .models import Calendar, Entry
from .types import Entry as BusyEntry

PRODID = "-//congso//Lich cong tac//VI"
UID_DOMAIN = "lich-cong-tac.congso"


def _description(row: Entry) -> str:
    parts = []
    attendees = ", ".join(getattr(u, "full_name", "") or u.get_username() for u in row.attendees.all())
    if attendees:
        parts.append(f"Lãnh đạo dự: {attendees}")
    if row.participants:
        parts.append(f"Thành phần: {row.participants}")
    if row.preparing_unit:
        parts.append(f"Đơn vị chuẩn bị: {row.preparing_unit}")
    if row.notes:
        parts.append(f"Ghi chú: {row.notes}")
    return "\n".join(parts)


def _times(event, start: dt.datetime, end: dt.datetime, all_day: bool) -> None:
    if all_day:
        day = timezone.localtime(start).date()
        event.add("dtstart", day)
        event.add("dtend", day + dt.timedelta(days=1))
    else:
        event.add("dtstart", start.astimezone(dt.UTC))
        event.add("dtend", end.astimezone(dt.UTC))


def feed(calendar: Calendar, rows: list[Entry], sources: list[BusyEntry]) -> bytes:
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", f"Lịch công tác: {calendar.title}")
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    now = timezone.now().astimezone(dt.UTC)
    for row in rows:
        week = row.version.week
        stamp = (week.published_at or now).astimezone(dt.UTC)
        event = icalendar.Event()
        event.add("uid", f"{row.uid}@{UID_DOMAIN}")
        event.add("dtstamp", stamp)
        event.add("last-modified", stamp)
        event.add("sequence", row.version.number - 1)
        _times(event, row.starts_at, row.ends_at, row.all_day)
        event.add("summary", row.content.splitlines()[0] if row.content else "")
        if row.place:
            event.add("location", row.place)
        description = _description(row)
        if description:
            event.add("description", description)
        event.add("status", "CONFIRMED")
        cal.add_component(event)
    for entry in sources:
        event = icalendar.Event()
        digest = hashlib.sha256(entry.key.encode()).hexdigest()[:32]
        event.add("uid", f"{entry.source or 'source'}-{digest}@{UID_DOMAIN}")
        event.add("dtstamp", now)
        _times(event, entry.start, entry.end, entry.all_day)
        event.add("summary", entry.title)
        if entry.place:
            event.add("location", entry.place)
        event.add("status", "CONFIRMED")
        cal.add_component(event)
    return cal.to_ical()
