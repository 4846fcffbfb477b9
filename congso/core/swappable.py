"""A faster ``Apps.get_swappable_settings_name`` for the global app registry (ADR 0175).

``migrate`` renders the project's model states again and again, and every foreign key it clones asks
the global registry which setting swaps its target (``get_swappable_settings_name``). Django memoises
that answer with ``functools.cache``, but the cache belongs to the class: each ``StateApps`` that
registers a rendered model calls ``clear_cache()``, which empties it, and ``get_models``' cache, for
the global registry too. Every later foreign key then walks all of the project's models again. With
Wagtail's models added, ``migrate`` on an empty database took 8 minutes under load, most of it here.

The global registry's answers depend only on the settings and the installed models, fixed once the
registry is ready, so they are kept in a dict of their own. Other registries (the migrations'
``StateApps``, ``isolate_apps`` in tests) keep Django's behaviour. If Django stops wrapping the method
with ``functools.cache``, ``install`` leaves it alone (and ``tests`` say so).
"""

from __future__ import annotations

import functools

from django.apps import apps as global_apps
from django.apps.registry import Apps

_answers: dict[str, str | None] = {}


def install() -> bool:
    """Replace the method once; True when the faster one is in place."""
    current = Apps.get_swappable_settings_name
    if getattr(current, "congso_memo", False):
        return True
    compute = getattr(current, "__wrapped__", None)
    if compute is None or not hasattr(current, "cache_clear"):
        return False  # Django changed how it caches this: keep its own method

    @functools.wraps(compute)
    def get_swappable_settings_name(self, to_string):
        if self is not global_apps or not self.ready:
            return current(self, to_string)
        key = to_string.lower()
        if key not in _answers:
            _answers[key] = compute(self, to_string)
        return _answers[key]

    get_swappable_settings_name.cache_clear = current.cache_clear  # what clear_cache() calls
    get_swappable_settings_name.congso_memo = True
    Apps.get_swappable_settings_name = get_swappable_settings_name
    return True
