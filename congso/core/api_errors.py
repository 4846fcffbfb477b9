"""One mapping from exceptions to API responses: JSON with a Vietnamese ``detail`` and a machine ``code``.

Service functions raise ``congso.core.errors.ServiceError`` subclasses, ``PermissionDenied`` or
``Http404``; this turns them into 4xx responses, in this one place: endpoints do not catch them to
re-map them. A ServiceError about fields also carries ``errors`` (messages by field). Anything unexpected becomes a 500 that names only the
request id, never the exception.
"""

import logging
from typing import Any

from django.core.exceptions import (
    PermissionDenied,
    RequestDataTooBig,
    SuspiciousOperation,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.http import Http404
from django.http.multipartparser import MultiPartParserError
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError

from .errors import InvalidFields, ServiceError

log = logging.getLogger("congso.api")

# Requests the server cannot read, refused with 400 (issue 15). Django raises these while it parses a
# body; ``core.middleware.BadInputMiddleware`` and the handlers below answer them the same way.
NUL_MESSAGE = "Yêu cầu chứa ký tự không hợp lệ (ký tự NUL)."
MAX_FILENAME_LENGTH = 255
FILENAME_MESSAGE = "Tên tệp quá dài (tối đa 255 ký tự)."
UNREADABLE_BODY = "Không đọc được dữ liệu gửi lên: nội dung không đúng định dạng."


class FileNameTooLong(SuspiciousOperation):
    """A file's name is longer than ``MAX_FILENAME_LENGTH`` (Django would silently cut it to 255)."""


BAD_BODY_MESSAGES = (
    (FileNameTooLong, FILENAME_MESSAGE),
    (RequestDataTooBig, "Dữ liệu gửi lên quá lớn."),
    (TooManyFilesSent, "Gửi quá nhiều tệp trong một yêu cầu."),
    (TooManyFieldsSent, "Gửi quá nhiều trường trong một yêu cầu."),
    (MultiPartParserError, UNREADABLE_BODY),
    (SuspiciousOperation, "Yêu cầu không hợp lệ."),
)
BAD_BODY = tuple(kind for kind, _message in BAD_BODY_MESSAGES)

# The API framework's own messages (django-ninja), in Vietnamese.
FRAMEWORK_MESSAGES = {
    "Cannot parse request body": UNREADABLE_BODY,
    "CSRF check Failed": "Kiểm tra CSRF không đạt: hãy tải lại trang rồi thử lại.",
}


class ApiError(Schema):
    """Every error answer of the API, as ``install_error_handlers`` writes it: endpoints name it for
    their 4xx statuses (one schema for all apps, so its name is unique in the OpenAPI document)."""

    detail: str
    code: str
    field: str | None = None
    # messages by field (a ServiceError), or the framework's list of validation errors (422)
    errors: dict[str, list[str]] | list[dict[str, Any]] | None = None
    request_id: str | None = None


def bad_body_message(exc: Exception) -> str:
    """The Vietnamese message for a body Django could not read (see ``BAD_BODY``)."""
    return next(message for kind, message in BAD_BODY_MESSAGES if isinstance(exc, kind))


def framework_message(message: str) -> str:
    """A django-ninja message translated; "Cannot parse request body (…)" (DEBUG) keeps no detail."""
    for english, vietnamese in FRAMEWORK_MESSAGES.items():
        if message.startswith(english):
            return vietnamese
    return message


def install_error_handlers(api: NinjaAPI) -> None:
    def _error(request, status: int, detail: str, code: str, **extra):
        body = {"detail": detail, "code": code, **extra}
        return api.create_response(request, body, status=status)

    @api.exception_handler(ServiceError)
    def service_error(request, exc: ServiceError):
        extra = {"field": exc.field} if exc.field else {}
        if exc.field or isinstance(exc, InvalidFields):
            extra["errors"] = exc.errors  # messages by field, as forms show them
        response = _error(request, exc.status, exc.message, exc.code, **extra)
        retry_after = getattr(exc, "retry_after", None)
        if retry_after:
            response["Retry-After"] = str(retry_after)
        return response

    @api.exception_handler(PermissionDenied)
    def permission_denied(request, exc):
        return _error(request, 403, str(exc) or "Bạn không có quyền thực hiện thao tác này.", "forbidden")

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc):
        return _error(request, 401, "Bạn cần đăng nhập hoặc cung cấp mã truy cập hợp lệ.", "unauthenticated")

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return _error(request, 404, "Không tìm thấy dữ liệu yêu cầu.", "not_found")

    @api.exception_handler(ValidationError)
    def invalid_input(request, exc: ValidationError):
        fields = [".".join(str(p) for p in e.get("loc", ())[1:]) or "body" for e in exc.errors]
        return _error(
            request,
            422,
            "Dữ liệu gửi lên không hợp lệ: kiểm tra các trường " + ", ".join(fields) + ".",
            "invalid",
            errors=exc.errors,
        )

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        return _error(request, exc.status_code, framework_message(str(exc)), "http_error")

    @api.exception_handler(MultiPartParserError)
    def unreadable_body(request, exc):
        return _error(request, 400, bad_body_message(exc), "bad_request")

    @api.exception_handler(SuspiciousOperation)
    def suspicious(request, exc):
        return _error(request, 400, bad_body_message(exc), "bad_request")

    @api.exception_handler(Exception)
    def unexpected(request, exc):
        log.exception("unhandled API error")
        return _error(
            request,
            500,
            "Hệ thống đang gặp sự cố. Vui lòng thử lại sau.",
            "server_error",
            request_id=getattr(request, "request_id", ""),
        )
