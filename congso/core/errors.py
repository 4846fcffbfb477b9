"""Errors a service function raises for the caller to show: a clear Vietnamese message, nothing changed.

Views render ``error.message`` next to the form; the API answers with
``{"detail": message, "code": code}`` and the status below (congso/api.py maps them).
"""


class ServiceError(Exception):
    status = 400
    code = "invalid"

    def __init__(self, message: str, *, code: str | None = None, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        if code:
            self.code = code


class Conflict(ServiceError):
    """The object changed under the caller (stale version, already taken, wrong state)."""

    status = 409
    code = "conflict"


class Forbidden(ServiceError):
    """The actor does not hold the role this needs (e.g. a transition's roles, a workflow step's role)."""

    status = 403
    code = "forbidden_role"


class NotFound(ServiceError):
    status = 404
    code = "not_found"


class RateLimited(ServiceError):
    """Too many attempts; ``retry_after`` (seconds), when known, becomes the ``Retry-After`` header."""

    status = 429
    code = "rate_limited"

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        field: str | None = None,
        retry_after: int | None = None,
    ):
        super().__init__(message, code=code, field=field)
        self.retry_after = retry_after
