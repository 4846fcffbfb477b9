"""The portal pages' cache for anonymous readers (ADR 0166).

A published page is rendered once per language and kept in Django's cache (Redis in production) with the
portals' *generation* it was rendered under. Every publish and unpublish (``congso.sites.signals``) bumps
the generation when its transaction commits, so the next request renders afresh: a publish is visible
at once, not after a time-out. Signed-in users, previews, POSTs and queries (search) are never cached.

The CSRF token of the language switch in the shell is per visitor: it is cut out of the stored page and
a fresh one (``get_token``) put back on every hit.

The key names the host, the language and the path, not the page: a hit needs no routing, so
``middleware.PageCacheMiddleware`` answers it before Django's URL resolver and Wagtail's tree walk (nine
queries) and through only the middleware whose effect the answer shows (issue 21: ≥ 500 pages per
second). Only pages without view restrictions are stored (a restricted page is checked by Wagtail on every
request); adding or removing a restriction forgets the stored pages like a publish.
"""

from __future__ import annotations

import hashlib
import re

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils.translation import get_language

GENERATION_KEY = "sites:generation"
CSRF_PLACEHOLDER = "@@CSRF_TOKEN@@"
_TOKEN_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def generation() -> int:
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, 1, None)
        value = cache.get(GENERATION_KEY) or 1
    return int(value)


def _bump() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 2, None)


def invalidate() -> None:
    """Forget every cached portal page once the current transaction commits."""
    transaction.on_commit(_bump)


def _cacheable(request) -> bool:
    user = getattr(request, "user", None)
    return (
        request.method in ("GET", "HEAD")
        and not request.GET
        and not getattr(request, "is_preview", False)
        and not (user is not None and user.is_authenticated)
    )


def page_key(request, language: str | None = None) -> str:
    """The host and path are hashed: a path may hold any character (a NUL, spaces, 2,000 bytes), and every
    cache backend (a database table on PostgreSQL, memcached) takes the digest."""
    digest = hashlib.blake2b(f"{request.get_host()}\n{request.path}".encode(), digest_size=20).hexdigest()
    return f"sites:page:{language or get_language()}:{digest}"


def lookup(request, language: str | None = None):
    """The stored page (content type, body) or None: the generation and the page in one cache round trip
    (``get_many``); a page stored under an older generation is stale and ignored."""
    key = page_key(request, language)
    values = cache.get_many([GENERATION_KEY, key])
    current, stored = values.get(GENERATION_KEY), values.get(key)
    if current is None or stored is None or stored[0] != int(current):
        return None
    return stored[1:]


def cached_response(request, hit) -> HttpResponse:
    content_type, body = hit
    response = HttpResponse(body.replace(CSRF_PLACEHOLDER, get_token(request)), content_type=content_type)
    response["X-Cache"] = "hit"
    return response


def serve_cached(page, request, render) -> HttpResponse:
    if not _cacheable(request):
        return render()
    hit = lookup(request)
    if hit is not None:
        return cached_response(request, hit)
    current = generation()  # read before rendering: a publish meanwhile makes this copy stale
    response = render()
    if page.get_view_restrictions().exists():
        return response
    if getattr(response, "render", None) and not getattr(response, "is_rendered", True):
        response.render()
    if response.status_code == 200 and not response.streaming:
        body = response.content.decode(response.charset or "utf-8")
        match = _TOKEN_RE.search(body)
        if match:
            body = body.replace(match.group(1), CSRF_PLACEHOLDER)
        cache.set(
            page_key(request), (current, response["Content-Type"], body), settings.CONGSO_SITES_CACHE_SECONDS
        )
        response["X-Cache"] = "miss"
    return response
