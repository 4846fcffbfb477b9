"""Django's Redis cache backend, with one redis-py client that the cache, the rate limits and the RQ
job queue share.

Django's ``RedisCache`` builds a new ``redis.Redis`` object (and its table of ~170 reply callbacks) on
every call. django-rq, given a URL, builds a whole new client and connection pool for every job it
enqueues: a new TCP connection, and a read of redis-py's package metadata (``importlib.metadata``,
~9 ms) for its handshake. That was about a fifth of the CPU of an online submission. This backend
keeps one thread-safe client per backend instance, over the backend's own connection pool, as
``client``; ``RQ_QUEUES = {"default": {"USE_REDIS_CACHE": "default"}}`` makes django-rq use it too
(django-rq reads the ``_client`` attribute of the cache named there). See ADR 0079.
"""

from __future__ import annotations

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.utils.functional import cached_property


class RedisCache(DjangoRedisCache):
    @cached_property
    def client(self):
        """The raw redis-py client (thread-safe; Django's cache keeps one backend per thread)."""
        return self._cache.get_client(write=True)

    @property
    def _client(self):  # the name django-rq's USE_REDIS_CACHE looks for
        return self.client


def redis_client(alias: str = "default"):
    """The shared redis-py client of cache ``alias``, or None when that cache is not on Redis."""
    from django.core.cache import caches

    backend = caches[alias]
    if isinstance(backend, RedisCache):
        return backend.client
    if isinstance(backend, DjangoRedisCache):  # Django's own backend (a deployment's own settings)
        return backend._cache.get_client(write=True)
    return None
