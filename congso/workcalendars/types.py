"""The value type every calendar source speaks (``hooks.calendar_sources``, ``selectors.busy``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Entry:
    """One busy interval on a leader's (``user_id``) or a unit's (``unit_id``: a directory ``Agency`` id)
    calendar, from ``start`` to ``end`` (aware datetimes, end after start).

    ``source`` names where it comes from ("workcalendars" for the calendars' own entries, "meetings" for
    a scheduled meeting …); ``url`` is a staff page (never shown on the public page). ``public`` says a
    source's entry may appear on the public page and in the iCalendar feeds (default: no, staff pages
    only); ``uid`` is a stable identifier (the iCalendar UID; derived from ``source``, ``url`` and
    ``start`` when empty); ``all_day`` marks a whole-day entry."""

    user_id: int | None
    unit_id: int | None
    start: dt.datetime
    end: dt.datetime
    title: str
    place: str = ""
    url: str = ""
    source: str = ""
    public: bool = False
    uid: str = ""
    all_day: bool = False

    def overlaps(self, start: dt.datetime, end: dt.datetime) -> bool:
        return self.start < end and start < self.end

    @property
    def key(self) -> str:
        return self.uid or f"{self.source}:{self.url}:{self.start.isoformat()}"
