"""Cross-cutting HTTP middleware: request ids, refusing unreadable input, and security headers (CSP,
no-store on personal data)."""

import re
import uuid

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler
from django.http import JsonResponse
from django.urls import get_resolver

from .api_errors import BAD_BODY, MAX_FILENAME_LENGTH, NUL_MESSAGE, FileNameTooLong, bad_body_message
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


# ``\u0000`` in JSON text, unless its backslash is itself escaped (``\\u0000`` is the six characters).
_JSON_NUL = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000")
_BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class FileNameLimit(FileUploadHandler):
    """Refuses a file whose name is too long while the body is parsed: Django's upload handlers would
    cut it to 255 characters without a word (``UploadedFile._set_name``)."""

    def new_file(self, field_name, file_name, *args, **kwargs):
        if len(file_name or "") > MAX_FILENAME_LENGTH:
            raise FileNameTooLong(f"file name of {len(file_name)} characters")

    def receive_data_chunk(self, raw_data, start):
        return raw_data

    def file_complete(self, file_size):
        return None


class BadInputMiddleware:
    """Refuse, once and before any view, what no view can store (issue 15): a NUL byte in the path, the
    query, a form field's name or value, a file's name, or a JSON body (raw or as ``\\u0000``);
    PostgreSQL refuses NUL in text. A file's *contents* may hold NUL bytes and are not looked at.

    The API (``/api/``) gets JSON ``{"detail", "code": "bad_request"}`` with status 400, also for a body
    Django cannot read (malformed multipart, too many files or fields, too big) and for a file name
    longer than 255 characters; pages get the HTML 400 page (an unreadable body is left to Django,
    which answers 400 as before). The public lookup's lean path (``tracking.middleware``) runs this
    class too: for a GET it is two substring checks."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        api = request.path_info.startswith("/api/")
        try:
            problem = self.problem(request, api)
        except BAD_BODY as exc:
            if not api:
                raise  # Django's own 400 page, as before
            problem = bad_body_message(exc)
        if problem:
            return self.refuse(request, api, problem)
        return self.get_response(request)

    @staticmethod
    def problem(request, api: bool) -> str | None:
        query = request.META.get("QUERY_STRING", "")
        if "\x00" in request.path_info or "%00" in query or "\x00" in query:
            return NUL_MESSAGE
        if request.method not in _BODY_METHODS:
            return None
        content_type = request.content_type or ""
        if content_type == "multipart/form-data" or content_type == "application/x-www-form-urlencoded":
            if request.method != "POST":  # Django parses the forms of POST only
                if content_type == "multipart/form-data":
                    return None  # files' contents may hold NUL bytes
                return NUL_MESSAGE if b"\x00" in request.body or b"%00" in request.body else None
            if api and content_type == "multipart/form-data":
                request.upload_handlers.insert(0, FileNameLimit(request))
            for name, values in request.POST.lists():
                if "\x00" in name or any("\x00" in value for value in values):
                    return NUL_MESSAGE
            if any("\x00" in name for name in request.FILES):  # Django drops NUL from files' names
                return NUL_MESSAGE
        elif content_type == "application/json" or content_type.endswith("+json"):
            body = request.body
            if b"\x00" in body or _JSON_NUL.search(body):
                return NUL_MESSAGE
        return None

    @staticmethod
    def refuse(request, api: bool, message: str):
        if api:
            return JsonResponse({"detail": message, "code": "bad_request"}, status=400)
        return get_resolver().resolve_error_handler(400)(request, exception=None)


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

    # Wagtail's editing interface (/cms/, congso.sites, ADR 0166) has inline styles and scripts, and
    # previews pages in a same-origin frame.
    cms = (
        "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; "
        "script-src 'self' 'unsafe-inline'; frame-ancestors 'self'; object-src 'none'"
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            if request.path.startswith("/cms/"):
                response["Content-Security-Policy"] = self.cms
            else:
                relaxed = request.path.startswith("/api/v1/docs")
                response["Content-Security-Policy"] = self.relaxed if relaxed else self.policy
        response.setdefault("Permissions-Policy", "camera=(self), microphone=(), geolocation=()")
        if request.path.startswith(NO_STORE_PREFIXES) and "no-store" not in response.get("Cache-Control", ""):
            response["Cache-Control"] = "no-store"
        return response
