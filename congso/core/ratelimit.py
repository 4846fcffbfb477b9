"""Fixed-window counters in the shared cache, for rate limits that every application server shares.

The cache is Django's default cache: ``core.cache.RedisCache`` (one shared redis-py client) when
scaled out, the database cache in the embedded mode. So a limit counts across processes and servers.

    FAILED_LOGINS = Window("login-fail-ip", limit=("CONGSO_LOGIN_FAILS_PER_IP", 30),
                           seconds=("CONGSO_LOGIN_FAILS_WINDOW", 900))
    if FAILED_LOGINS.exceeded(ip): ... answer 429 with Retry-After: FAILED_LOGINS.retry_after()
    FAILED_LOGINS.hit(ip)

Limits and windows are settings read at call time (tests and deployments change them).
"""

from __future__ import annotations

import hashlib
import time

from django.conf import settings
from django.core.cache import cache


class Window:
    """At most ``limit`` counted events per key in each fixed window of ``seconds``."""

    def __init__(self, name: str, *, limit: tuple[str, int], seconds: tuple[str, int]):
        self.name = name
        self._limit = limit
        self._seconds = seconds

    @property
    def limit(self) -> int:
        return int(getattr(settings, self._limit[0], self._limit[1]))

    @property
    def seconds(self) -> int:
        return max(1, int(getattr(settings, self._seconds[0], self._seconds[1])))

    def _key(self, key: str) -> str:
        digest = hashlib.sha256(str(key).encode()).hexdigest()[:32]
        return f"ratelimit:{self.name}:{digest}:{int(time.time() // self.seconds)}"

    def count(self, key: str) -> int:
        return int(cache.get(self._key(key)) or 0)

    def hit(self, key: str) -> int:
        """Count one event for ``key``; returns the count in this window, this one included."""
        name, seconds = self._key(key), self.seconds
        if cache.add(name, 1, timeout=seconds + 5):
            return 1
        try:
            return cache.incr(name)
        except ValueError:  # expired between add and incr
            cache.set(name, 1, timeout=seconds + 5)
            return 1

    def exceeded(self, key: str) -> bool:
        """The limit is reached: the next event must be refused."""
        return self.count(key) >= self.limit

    def retry_after(self) -> int:
        """Seconds until the current window ends (at least 1)."""
        return max(1, self.seconds - int(time.time()) % self.seconds)


def retry_minutes(seconds: int) -> int:
    return max(1, (int(seconds) + 59) // 60)
