"""Form helpers shared by every app's pages."""

from .errors import ServiceError


def service_error_to_form(form, exc: ServiceError) -> None:
    """Show a service's refusal on the form: each message on its field when the form has that field,
    else in the form's error summary (non-field errors)."""
    for name, messages in exc.errors.items():
        for message in [messages] if isinstance(messages, str) else messages:
            form.add_error(name if name in form.fields else None, message)
