"""Extension points of the work calendars (ADR 0090, ADR 0163).

``calendar_sources`` — higher apps (meetings) register, in ``ready()``, a callable
``(user_ids: set[int], unit_ids: set[int], start: datetime, end: datetime) -> list[types.Entry]``
under their app label. It returns the entries it knows for those leaders (``Entry.user_id``) or units
(``Entry.unit_id``, a directory ``Agency`` id) overlapping ``[start, end)``. The weekly staff pages, the
conflict warnings (``selectors.busy``), the public page and the iCalendar feeds merge them with the
calendars' own entries; the public page and the feeds keep only entries with ``public=True``.

    # congso/meetings/apps.py
    from congso.workcalendars.hooks import calendar_sources
    calendar_sources.register("meetings", "congso.meetings.selectors.calendar_entries")

An item may be the callable or its dotted path (imported on first use).
"""

from __future__ import annotations

from importlib import import_module

from congso.core.hooks import Registry

calendar_sources = Registry(
    "workcalendars.calendar_sources",
    "Entries other apps add to leaders' and units' work calendars: "
    "callable(user_ids, unit_ids, start, end) -> list[workcalendars.types.Entry].",
)


def resolve(item):
    """The callable of a registered source (a dotted path is imported once)."""
    if isinstance(item, str):
        module, _, name = item.rpartition(".")
        return getattr(import_module(module), name)
    return item
