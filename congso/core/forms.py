"""Form helpers shared by every app's pages, and the one date field (dd/mm/yyyy, ADR 0146)."""

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from .errors import ServiceError

#: Days are typed as dd/mm/yyyy everywhere; ISO (yyyy-mm-dd) is accepted too, for links and the API.
DATE_INPUT_FORMATS = ("%d/%m/%Y", "%Y-%m-%d")
#: The HTML pattern of a date input: either form, so a browser never refuses what the server accepts.
DATE_PATTERN = r"[0-9]{1,2}/[0-9]{1,2}/[0-9]{4}|[0-9]{4}-[0-9]{2}-[0-9]{2}"
DATE_ERROR = _("Ngày không hợp lệ: nhập theo dạng ngày/tháng/năm, ví dụ 06/12/2026.")


def parse_day(text) -> dt.date | None:
    """A day typed in a form or a query string: dd/mm/yyyy or yyyy-mm-dd; None when empty.

    Anything else raises ``ValueError`` (the caller shows ``DATE_ERROR`` or uses its default)."""
    if isinstance(text, dt.date):
        return text
    text = str(text or "").strip()
    if not text:
        return None
    for fmt in DATE_INPUT_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def day_text(value) -> str:
    """What a date input shows: dd/mm/yyyy for a day (or an ISO day as text); other text unchanged."""
    try:
        day = parse_day(value)
    except ValueError:
        return str(value)
    return day.strftime("%d/%m/%Y") if day else ""


class DayInput(forms.TextInput):
    """A text input for dd/mm/yyyy; ``core/datepicker.js`` adds a "Chọn ngày" button where it can."""

    def __init__(self, attrs=None):
        base = {
            "inputmode": "numeric",
            "pattern": DATE_PATTERN,
            "placeholder": _("ngày/tháng/năm"),
            "autocomplete": "off",
            "data-date-picker": "",
            "data-picker-label": _("Chọn ngày"),
        }
        super().__init__({**base, **(attrs or {})})

    def format_value(self, value):
        return day_text(value) or None


class DayField(forms.DateField):
    """A day typed as dd/mm/yyyy (yyyy-mm-dd accepted), with the platform's Vietnamese message."""

    widget = DayInput
    input_formats = DATE_INPUT_FORMATS
    default_error_messages = {"invalid": DATE_ERROR}


def service_error_to_form(form, exc: ServiceError) -> None:
    """Show a service's refusal on the form: each message on its field when the form has that field,
    else in the form's error summary (non-field errors)."""
    for name, messages in exc.errors.items():
        for message in [messages] if isinstance(messages, str) else messages:
            form.add_error(name if name in form.fields else None, message)
