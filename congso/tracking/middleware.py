"""The lean path of the public dossier lookup (issue 6: ≥ 1,000 lookups/s; ADR 0077).

``PublicLookupMiddleware`` sits first in ``MIDDLEWARE``. For an anonymous ``GET`` of exactly the JSON
lookup (``/api/v1/dossiers/lookup?code=…&check=…``) or of its signed-link variant
(``/api/v1/dossiers/lookup/<code>/<token>``) it answers through a short chain of the *same*
middleware classes the full stack uses for what this answer depends on — the request id, Django's
security headers (and HTTPS redirect), the language (Accept-Language / cookie), Content-Length,
X-Frame-Options, the Content-Security-Policy, and ``Vary: Cookie`` where the session middleware adds
it — and then calls the very function the ninja route
calls (``api.lookup_response`` / ``api.lookup_signed_response``): rate limits, messages and body are
one code. It skips what the lookup never uses: sessions, authentication and OTP, CSRF, messages, htmx,
axes, static files and the URL resolver.

A request that carries a session cookie takes the full stack, so that a signed-in official who has not
passed TOTP is refused by ``OfficialOTPMiddleware`` exactly as before. Every other request is passed on
unchanged. ``tests/test_lean_lookup.py`` compares status, headers and body of both paths.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.core.handlers.exception import convert_exception_to_response
from django.urls import get_script_prefix, reverse
from django.utils.cache import patch_vary_headers
from django.utils.module_loading import import_string

from . import api

# The middleware whose effect the lookup's answer shows, in the order of settings.MIDDLEWARE.
KEPT = frozenset(
    {
        "congso.core.middleware.RequestIdMiddleware",
        "django.middleware.security.SecurityMiddleware",
        "congso.core.middleware.BadInputMiddleware",  # a NUL byte is refused here too (issue 15)
        "django.middleware.locale.LocaleMiddleware",
        "django.middleware.common.CommonMiddleware",
        "django.middleware.clickjacking.XFrameOptionsMiddleware",
        "congso.core.middleware.SecurityHeadersMiddleware",
    }
)


SESSIONS = "django.contrib.sessions.middleware.SessionMiddleware"


class VaryOnCookie:
    """Stands in for the session middleware: on the full stack every request reads the session (the
    OTP middleware looks at ``request.user``), so every answer says ``Vary: Cookie``; so does this one."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        return response


def lean_chain(answer, kept) -> object:
    """``answer`` wrapped in the middleware of ``settings.MIDDLEWARE`` named in ``kept`` (in their order;
    the session middleware replaced by ``VaryOnCookie``), built the way Django's handler builds its own
    chain: the short path of a public answer that needs no session, user or routing."""
    handler = convert_exception_to_response(answer)
    for path in reversed([m for m in settings.MIDDLEWARE if m in kept or m == SESSIONS]):
        factory = VaryOnCookie if path == SESSIONS else import_string(path)
        handler = convert_exception_to_response(factory(handler))
    return handler


class PublicLookupMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        # The same classes as the full stack, built the way Django's handler builds its own chain.
        self.lean = lean_chain(self._answer, KEPT)
        self._paths = None

    def _routes(self):
        """The lookup's path and the signed link's pattern, from the API's URL names (so a changed
        mount point cannot leave the lean path serving a stale address)."""
        if self._paths is None:
            prefix = get_script_prefix()
            plain = "/" + reverse("api:tracking_public_lookup")[len(prefix) :]
            signed = (
                "/"
                + reverse("api:tracking_public_lookup_signed", kwargs={"code": "C", "token": "T"})[
                    len(prefix) :
                ]
            )
            assert signed.endswith("/C/T"), signed  # noqa: S101 — the route's shape
            self._paths = (plain, re.compile(re.escape(signed[: -len("C/T")]) + r"([^/]+)/([^/]+)\Z"))
        return self._paths

    def __call__(self, request):
        if request.method == "GET":
            plain, signed = self._routes()
            path = request.path_info
            if (path == plain or (path.startswith(plain) and signed.match(path))) and (
                settings.SESSION_COOKIE_NAME not in request.COOKIES
            ):
                return self.lean(request)
        return self.get_response(request)

    def _answer(self, request):
        plain, signed = self._routes()
        if request.path_info == plain:
            return api.lookup_response(request, request.GET.get("code", ""), request.GET.get("check", ""))
        code, token = signed.match(request.path_info).groups()
        return api.lookup_signed_response(request, code, token)
