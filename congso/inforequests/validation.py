"""The rules of a request's input, in ONE place for the page, the JSON API and the services: each
returns the value normalised or raises ``InvalidFields`` / ``ServiceError`` with a Vietnamese message on
the field at fault, before anything is written.

The fields are those of the request form (phiếu yêu cầu cung cấp thông tin, Luật Tiếp cận thông tin
Điều 24, Decree 13/2018 annex): the requester's name, residence, identity number (CCCD, checked by
``core.validation.validate_cccd`` as everywhere on the platform), phone or e-mail, the information
requested, its purpose, the form and the means of provision, and the agency asked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from congso.core.errors import InvalidFields, ServiceError
from congso.core.uploads import JPEG, PDF, PNG, inspect_upload
from congso.core.validation import validate_cccd, validate_email_address, validate_phone, validate_quantity
from congso.directory.models import Agency

from .models import Form, Means

NAME_MIN, NAME_MAX = 2, 150
ADDRESS_MIN, ADDRESS_MAX = 5, 300
INFORMATION_MIN, INFORMATION_MAX = 10, 4000
PURPOSE_MIN, PURPOSE_MAX = 5, 1000
ANSWER_MAX = 8000
REASON_MAX = 2000
# markup in text is refused, not escaped away: a tag, an entity-encoded tag, a javascript: URL
_MARKUP = re.compile(r"<\s*[a-zA-Z!/?]|&lt;|&#|javascript\s*:|on[a-z]+\s*=", re.IGNORECASE)
_MULTILINE = {"information", "purpose", "note", "reason", "answer"}


def check_text(value, field_name: str, label: str, minimum: int, maximum: int) -> str:
    raw = str(value or "")
    text = raw.strip() if field_name in _MULTILINE else " ".join(raw.split())
    if len(text) < minimum:
        if not text:
            raise ServiceError(_("Vui lòng nhập %(label)s.") % {"label": label.lower()}, field=field_name)
        raise ServiceError(
            _("%(label)s cần ít nhất %(n)s ký tự.") % {"label": label, "n": minimum}, field=field_name
        )
    if len(text) > maximum:
        raise ServiceError(
            _("%(label)s dài tối đa %(n)s ký tự (hiện có %(len)s).")
            % {"label": label, "n": maximum, "len": len(text)},
            field=field_name,
        )
    if _MARKUP.search(text):
        raise ServiceError(
            _("%(label)s không được chứa mã HTML hoặc mã lệnh; vui lòng chỉ nhập văn bản.")
            % {"label": label},
            field=field_name,
        )
    return text


def agency(code) -> Agency:
    found = Agency.objects.filter(code=str(code or "").strip().upper(), is_active=True).first()
    if found is None:
        raise ServiceError(_("Vui lòng chọn cơ quan được yêu cầu cung cấp thông tin."), field="agency")
    return found


def choice(value, choices, field_name: str, message: str) -> str:
    value = str(value or "").strip()
    if value not in choices.values:
        raise ServiceError(message, field=field_name)
    return value


def answer_file(upload):
    """The file given with an answer: a PDF, JPEG or PNG, checked by content (``core.uploads``)."""
    if not upload:
        return None
    limit = int(getattr(settings, "CONGSO_INFOREQUESTS_MAX_FILE_BYTES", 10 * 1024 * 1024))
    try:
        return inspect_upload(upload, allowed=(PDF, JPEG, PNG), max_bytes=limit)
    except ServiceError as exc:
        raise ServiceError(exc.message, field="file", code="upload_rejected") from None


@dataclass
class RequestInput:
    agency: Agency
    name: str
    address: str
    id_number: str
    phone: str
    email: str
    information: str
    purpose: str
    form: str
    means: str
    copies: int = 1
    extra: dict = field(default_factory=dict)


def clean(data: dict) -> RequestInput:
    """Every field of a new request, checked; ``InvalidFields`` lists all the fields at fault."""
    errors: dict[str, list[str]] = {}
    values: dict = {}

    def attempt(name, fn):
        try:
            values[name] = fn()
        except ServiceError as exc:
            errors.setdefault(exc.field or name, []).append(exc.message)
        except ValidationError as exc:
            errors.setdefault(name, []).extend(exc.messages)

    attempt("agency", lambda: agency(data.get("agency")))
    attempt("name", lambda: check_text(data.get("name"), "name", _("Họ và tên"), NAME_MIN, NAME_MAX))
    attempt(
        "address",
        lambda: check_text(data.get("address"), "address", _("Nơi cư trú"), ADDRESS_MIN, ADDRESS_MAX),
    )
    id_number = str(data.get("id_number") or "").strip()
    if not id_number:
        errors["id_number"] = [_("Vui lòng nhập số căn cước công dân (12 chữ số).")]
    else:
        attempt("id_number", lambda: validate_cccd(id_number))
    phone = str(data.get("phone") or "").strip()
    email = str(data.get("email") or "").strip()
    if phone:
        attempt("phone", lambda: validate_phone(phone))
    if email:
        attempt("email", lambda: validate_email_address(email))
    if not phone and not email:
        errors["email"] = [
            _("Vui lòng nhập số điện thoại hoặc thư điện tử để cơ quan liên hệ và báo kết quả.")
        ]
    attempt(
        "information",
        lambda: check_text(
            data.get("information"),
            "information",
            _("Thông tin yêu cầu cung cấp"),
            INFORMATION_MIN,
            INFORMATION_MAX,
        ),
    )
    attempt(
        "purpose",
        lambda: check_text(data.get("purpose"), "purpose", _("Mục đích yêu cầu"), PURPOSE_MIN, PURPOSE_MAX),
    )
    attempt(
        "form",
        lambda: choice(data.get("form"), Form, "form", _("Vui lòng chọn hình thức cung cấp thông tin.")),
    )
    attempt(
        "means",
        lambda: choice(data.get("means"), Means, "means", _("Vui lòng chọn phương thức nhận thông tin.")),
    )
    if values.get("means") == Means.ONLINE and "email" not in errors and not email:
        errors["email"] = [_("Nhận thông tin qua mạng điện tử cần địa chỉ thư điện tử.")]
    if values.get("form") == Form.COPY:
        attempt("copies", lambda: validate_quantity(data.get("copies") or 1))
    if errors:
        raise InvalidFields(errors)
    return RequestInput(
        agency=values["agency"],
        name=values["name"],
        address=values["address"],
        id_number=values["id_number"],
        phone=values.get("phone", ""),
        email=values.get("email", ""),
        information=values["information"],
        purpose=values["purpose"],
        form=values["form"],
        means=values["means"],
        copies=values.get("copies", 1),
    )
