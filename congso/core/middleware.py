"""Cross-cutting HTTP middleware: request ids and security headers (CSP, no-store on personal data)."""

import re
import uuid

from django.conf import settings

from .logging import client_ip_var, request_id_var, user_agent_var

_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")

# Pages and API answers with a person's own data: never kept by the browser or a shared cache
# (Cache-Control: no-store). Declared once here; SecurityHeadersMiddleware applies it.
NO_STORE_PREFIXES = (
    "/ho-so/",  # my dossiers, their details, results, receipts, the lookup
    "/tai-khoan/",  # the profile, consents, organisations
    "/kho-du-lieu/",  # the personal data store
    "/api/v1/accounts/me",
    "/api/v1/dossiers/mine",
    "/api/v1/datastore",
)


def client_ip(request) -> str | None:
    """The caller's address. X-Forwarded-For is trusted only behind a configured number of proxies."""
    proxies = getattr(settings, "CONGSO_TRUSTED_PROXIES", 0)
    if proxies:
        forwarded = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if p.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR") or None


class RequestIdMiddleware:
    """Take X-Request-ID from a trusted proxy (when well-formed) or make one; echo it back."""

    header = "HTTP_X_REQUEST_ID"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.META.get(self.header, "")
        rid = incoming if _SAFE_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = rid
        tokens = [
            (request_id_var, request_id_var.set(rid)),
            (client_ip_var, client_ip_var.set(client_ip(request))),
            (user_agent_var, user_agent_var.set(request.META.get("HTTP_USER_AGENT", "")[:300])),
        ]
        try:
            response = self.get_response(request)
        finally:
            for var, token in reversed(tokens):
                var.reset(token)
        response["X-Request-ID"] = rid
        return response


class SecurityHeadersMiddleware:
    """A strict Content-Security-Policy: every asset is served by us, nothing from a CDN."""

    policy = (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "font-src 'self'; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; "
        "base-uri 'self'; object-src 'none'"
    )
    # Swagger UI (ninja's bundled copy) needs inline styles and an inline bootstrap script.
    relaxed = (
        "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
        "script-src 'self' 'unsafe-inline'; frame-ancestors 'none'; object-src 'none'"
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            relaxed = request.path.startswith("/api/v1/docs")
            response["Content-Security-Policy"] = self.relaxed if relaxed else self.policy
        response.setdefault("Permissions-Policy", "camera=(self), microphone=(), geolocation=()")
        if request.path.startswith(NO_STORE_PREFIXES) and "no-store" not in response.get("Cache-Control", ""):
            response["Cache-Control"] = "no-store"
        return response
