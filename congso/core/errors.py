"""Errors a service function raises for the caller to show: a clear Vietnamese message, nothing changed.

Views render ``error.message`` next to the form (``core.forms.service_error_to_form`` puts each
message on its field); the API answers with ``{"detail": message, "code": code}`` (plus ``field``
and ``errors``, the messages by field, when it is about fields) and the status below
(``core.api_errors`` maps them).
Service functions raise these, never Django's ``ValidationError``; forms and model validators keep
Django's protocol, and ``InvalidFields.from_django`` turns their errors into the service dialect.
"""

from django.core.exceptions import ValidationError


class ServiceError(Exception):
    status = 400
    code = "invalid"

    def __init__(self, message: str, *, code: str | None = None, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        if code:
            self.code = code
        # The messages by field ("__all__": not about one field); InvalidFields gives several.
        self.errors: dict = {field or "__all__": [message]}


class InvalidFields(ServiceError):
    """Several fields refused at once. ``errors`` maps each field (or "__all__") to its messages;
    ``message`` joins them all, ``field`` names the first field."""

    def __init__(self, errors: dict, *, code: str | None = None):
        by_field = {
            str(name): [str(m) for m in (msgs if isinstance(msgs, list | tuple) else [msgs])]
            for name, msgs in errors.items()
        }
        message = " ".join(m for msgs in by_field.values() for m in msgs)
        first = next(iter(by_field), "__all__")
        super().__init__(message, code=code, field=None if first == "__all__" else first)
        self.errors = by_field

    @classmethod
    def from_django(cls, exc: ValidationError, *, field: str | None = None) -> "InvalidFields":
        """The same messages as a Django ``ValidationError`` (from a validator or ``full_clean``);
        a message not tied to a field goes to ``field`` when given."""
        if hasattr(exc, "error_dict"):
            return cls(exc.message_dict)
        return cls({field or "__all__": exc.messages})


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
