"""The working-day calendar's per-process cache and the revision that keeps processes in step (ADR 0040).

The set of working days is computed once per (province, year) and kept in process memory (``engine.py``
fills these stores); every edit bumps ``CalendarRevision`` in its own transaction and empties this
process's cache at once; other processes notice the new revision within
``CONGSO_CALENDAR_REFRESH_SECONDS``. Edits that bypass ``save()``/``delete()`` must call
``notify_changed()``. ``connect_signals()`` (called from ``CalendarConfig.ready``) bumps the revision
on every ORM save or delete of a calendar row: cache invalidation, not business logic.
"""

from __future__ import annotations

import threading
import time

from django.conf import settings
from django.db.models import F
from django.db.models.signals import post_delete, post_save

from .models import CalendarException, CalendarRevision, OfficeHours

__all__ = ["check_revision", "connect_signals", "invalidate", "notify_changed"]


def _refresh_seconds() -> float:
    return float(getattr(settings, "CONGSO_CALENDAR_REFRESH_SECONDS", 5))


_lock = threading.Lock()
_years: dict[tuple[int | None, int], object] = {}  # (province, year) -> engine._Year
_hours: dict[int | None, object] = {}  # province -> engine._Hours
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


def bump_revision() -> None:
    updated = CalendarRevision.objects.filter(pk=1).update(revision=F("revision") + 1)
    if not updated:
        CalendarRevision.objects.get_or_create(pk=1, defaults={"revision": 1})
    invalidate()


def notify_changed() -> None:
    """Call after changing calendar rows without ``save()``/``delete()`` (``update``, ``bulk_create``,
    SQL): bumps the revision in the current transaction so every process recomputes."""
    bump_revision()


def check_revision() -> None:
    now = time.monotonic()
    if _state["revision"] is not None and now - _state["checked"] < _refresh_seconds():
        return
    revision = CalendarRevision.objects.filter(pk=1).values_list("revision", flat=True).first() or 0
    with _lock:
        if _state["revision"] is not None and _state["revision"] != revision:
            _years.clear()
            _hours.clear()
            _provinces.clear()
        _state["revision"] = revision
        _state["checked"] = now


def _on_model_change(sender, instance, **kwargs):
    """Admin and any other ORM save/delete: bump the revision in the same transaction."""
    if kwargs.get("raw"):
        return
    bump_revision()


def connect_signals() -> None:
    for model in (CalendarException, OfficeHours):
        post_save.connect(_on_model_change, sender=model, dispatch_uid=f"calendar-{model.__name__}-save")
        post_delete.connect(_on_model_change, sender=model, dispatch_uid=f"calendar-{model.__name__}-delete")
