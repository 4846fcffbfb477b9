"""Before Wagtail's editing interface answers: the official's portal groups are set from the directory, and
the interface speaks Vietnamese unless the editor chose another language in their Wagtail account."""

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.urls import reverse
from django.utils import translation

from congso.tracking.middleware import lean_chain

from . import cache, editors


class CMSAccessMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/cms/"):
            # Wagtail uses the editor's own preference if set, else the active language: Vietnamese here,
            # whatever the browser's Accept-Language or the public site's language switch says.
            translation.activate(settings.LANGUAGE_CODE)
            request.LANGUAGE_CODE = settings.LANGUAGE_CODE
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated:
                editors.sync_user(user)
        return self.get_response(request)


class PageCacheMiddleware:
    """The lean path of a cached portal page (issue 21: ≥ 500 requests per second; ADR 0166).

    Sits right after ``PublicLookupMiddleware``. An anonymous ``GET``/``HEAD`` without a query string or
    a session cookie under the portals' prefix is looked up in the page cache (``cache.lookup``); a hit
    is answered through a short chain of the *same* middleware classes the full stack uses for what the
    answer shows (request id, security headers, language, CSRF cookie, Content-Length, X-Frame-Options,
    CSP, ``Vary: Cookie``), skipping the URL resolver, Wagtail's routing and view-restriction queries,
    authentication, OTP, messages, htmx and axes. A miss, or any other request, takes the full stack.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.lean = lean_chain(self._answer, KEPT)
        self._prefix = None

    def _portal_prefix(self) -> str:
        if self._prefix is None:
            self._prefix = reverse("sites-index")
        return self._prefix

    def __call__(self, request):
        if (
            request.method in ("GET", "HEAD")
            and not request.META.get("QUERY_STRING")
            and request.path.startswith(self._portal_prefix())
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
        ):
            hit = self._lookup(request)
            if hit is not None:
                request.sites_cached_page = hit
                return self.lean(request)
        return self.get_response(request)

    def _lookup(self, request):
        """The stored page, under the key the full stack would use: the language as ``LocaleMiddleware``
        picks it (congso's URLs have no language prefix), the host as ``request.get_host`` validates it."""
        try:
            return cache.lookup(request, translation.get_language_from_request(request, check_path=False))
        except DisallowedHost:
            return None  # the full stack answers 400

    def _answer(self, request):
        return cache.cached_response(request, request.sites_cached_page)


# The middleware whose effect a cached page's answer shows, in the order of settings.MIDDLEWARE.
KEPT = frozenset(
    {
        "congso.core.middleware.RequestIdMiddleware",
        "django.middleware.security.SecurityMiddleware",
        "congso.core.middleware.BadInputMiddleware",
        "django.middleware.locale.LocaleMiddleware",
        "django.middleware.common.CommonMiddleware",
        "django.middleware.csrf.CsrfViewMiddleware",
        "django.middleware.clickjacking.XFrameOptionsMiddleware",
        "congso.core.middleware.SecurityHeadersMiddleware",
    }
)
