"""Helpers for Django forms shared by every app's pages."""

from django.core.exceptions import ValidationError


def apply_errors(form, exc: ValidationError):
    """Show a service's ``ValidationError`` on ``form``: each field's messages on that field (unknown
    fields on the form as a whole), a plain list of messages on the form as a whole."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            for error in errors:
                form.add_error(field if field in form.fields else None, error)
    else:
        for error in exc.messages:
            form.add_error(None, error)
