"""Rate limits of the public dossier lookup, against enumeration of codes and of check values.

A fixed window in Django's cache (shared by every application server; Redis when scaled out):

- ``CONGSO_LOOKUP_PER_IP`` — lookups one address may make per window (default 30), counting every
  attempt, right or wrong, by code or by the receipt's QR link;
- ``CONGSO_LOOKUP_FAILS_PER_CODE`` — wrong check values accepted for one code per window (default 10),
  counted for any code typed, existing or not, so the limit itself tells nothing; beyond it a wrong
  value gets 429, but the right one still opens the dossier (only failures count against a code, so
  others' guesses never lock its owner out);
- ``CONGSO_LOOKUP_WINDOW`` — the window in seconds (default 600);
- ``CONGSO_LOOKUP_EXEMPT_IPS`` — addresses exempt from the per-address limit (e.g. a kiosk).

Read at call time, so tests and deployments can change them.
"""

from __future__ import annotations

import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _

from congso.core.cache import redis_client
from congso.core.errors import RateLimited


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def _window() -> tuple[int, int]:
    window = max(1, _setting("CONGSO_LOOKUP_WINDOW", 600))
    return window, int(time.time() // window)


def _retry_message(window: int) -> str:
    minutes = max(1, (window - int(time.time()) % window + 59) // 60)
    return _("Bạn đã tra cứu quá nhiều lần trong thời gian ngắn. Vui lòng thử lại sau %(minutes)s phút.") % {
        "minutes": minutes
    }


def _limited(window: int) -> RateLimited:
    return RateLimited(_retry_message(window), retry_after=max(1, window - int(time.time()) % window))


def _incr(key: str, window: int) -> int:
    if cache.add(key, 1, timeout=window + 5):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window + 5)
        return 1


def _ip_key(ip: str, slot: int) -> str:
    return f"tracking:ip:{ip}:{slot}"


def _code_key(code: str, slot: int) -> str:
    return f"tracking:code:{hashlib.sha256(code.encode()).hexdigest()[:24]}:{slot}"


def _exempt(ip: str) -> bool:
    return ip in set(getattr(settings, "CONGSO_LOOKUP_EXEMPT_IPS", []))


def caches_default():
    from django.core.cache import caches

    return caches["default"]


def _redis():
    """The raw client when the cache is on Redis (one round trip for both counters); core.cache keeps
    one per backend, since building one costs more CPU than the whole lookup query."""

    return redis_client()


def hit_ip(ip: str | None) -> None:
    """Count one lookup from ``ip``; raise RateLimited (HTTP 429) beyond the limit."""
    ip = ip or "unknown"
    if _exempt(ip):
        return
    window, slot = _window()
    if _incr(_ip_key(ip, slot), window) > _setting("CONGSO_LOOKUP_PER_IP", 30):
        raise _limited(window)


def code_locked(code: str) -> bool:
    """The code has had too many wrong check values in this window: a further wrong one gets 429."""
    _window_seconds, slot = _window()
    return (cache.get(_code_key(code, slot)) or 0) >= _setting("CONGSO_LOOKUP_FAILS_PER_CODE", 10)


def hit(ip: str | None, code: str) -> bool:
    """``hit_ip``, and whether ``code_locked``: on Redis one pipelined round trip (INCR + EXPIRE + GET),
    elsewhere the portable cache calls."""
    client = _redis()
    if client is None:
        hit_ip(ip)
        return code_locked(code)
    ip = ip or "unknown"
    window, slot = _window()
    ip_key = cache.make_and_validate_key(_ip_key(ip, slot))
    code_key = cache.make_and_validate_key(_code_key(code, slot))
    exempt = _exempt(ip)
    pipe = client.pipeline(transaction=False)
    if not exempt:
        pipe.incr(ip_key)
        pipe.expire(ip_key, window + 5)
    pipe.get(code_key)
    replies = pipe.execute()
    if not exempt and replies[0] > _setting("CONGSO_LOOKUP_PER_IP", 30):
        raise _limited(window)
    fails = replies[-1]
    fails = caches_default()._cache._serializer.loads(fails) if fails is not None else 0
    return fails >= _setting("CONGSO_LOOKUP_FAILS_PER_CODE", 10)


def fail_code(code: str, *, locked: bool = False) -> None:
    """Count one wrong check value for ``code``; when the code was already ``locked``, refuse (429)."""
    window, slot = _window()
    _incr(_code_key(code, slot), window)
    if locked:
        raise _limited(window)
