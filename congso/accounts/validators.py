"""Identity numbers: citizen ID (CCCD) and tax code (mã số thuế). Messages are Vietnamese and specific."""

from __future__ import annotations

import datetime
import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email as django_validate_email
from django.utils import timezone
from django.utils.translation import gettext as _

# Province codes of the place of birth registration used in CCCD numbers (Circular 07/2016/TT-BCA,
# replaced by Circular 59/2021/TT-BCA): the 63 pre-2025 provinces. The 34 provinces since
# 1 July 2025 keep codes from this list, and cards already issued keep their numbers.
CCCD_PROVINCE_CODES = frozenset(
    """001 002 004 006 008 010 011 012 014 015 017 019 020 022 024 025 026 027 030 031 033 034 035 036
    037 038 040 042 044 045 046 048 049 051 052 054 056 058 060 062 064 066 067 068 070 072 074 075
    077 079 080 082 083 084 086 087 089 091 092 093 094 095 096""".split()
)

_CCCD_RE = re.compile(r"^\d{12}$")
PHONE_RE = re.compile(r"^(?:\+84|0)\d{9,10}$")
EMAIL_MAX = 254
EARLIEST_BIRTH = datetime.date(1900, 1, 1)
_TAX_RE = re.compile(r"^(\d{10})(?:-(\d{3}))?$")
_TAX_WEIGHTS = (31, 29, 23, 19, 17, 13, 7, 5, 3)


def normalise_cccd(value: str) -> str:
    return re.sub(r"[\s.]", "", value or "")


def cccd_birth(value: str) -> tuple[str, int]:
    """('nam'|'nữ', year of birth) encoded in a well-formed CCCD number."""
    digit = int(value[3])
    century = 1900 + 100 * (digit // 2)
    return ("nữ" if digit % 2 else "nam"), century + int(value[4:6])


def validate_cccd(value: str, date_of_birth: datetime.date | None = None) -> str:
    """Validate a 12-digit CCCD number; returns it normalised (spaces and dots removed)."""
    number = normalise_cccd(value)
    if not _CCCD_RE.match(number):
        raise ValidationError(_("Số CCCD phải gồm đúng 12 chữ số."), code="cccd_format")
    if number[:3] not in CCCD_PROVINCE_CODES:
        raise ValidationError(
            _("Ba chữ số đầu của số CCCD (%(code)s) không phải mã tỉnh, thành phố nơi đăng ký khai sinh.")
            % {"code": number[:3]},
            code="cccd_province",
        )
    _gender, year = cccd_birth(number)
    if year > timezone.localdate().year:
        raise ValidationError(
            _("Chữ số thứ 4 và năm sinh trong số CCCD không hợp lệ (năm sinh %(year)s ở tương lai).")
            % {"year": year},
            code="cccd_year",
        )
    if date_of_birth and date_of_birth.year != year:
        raise ValidationError(
            _("Năm sinh %(dob)s không khớp với năm sinh mã hoá trong số CCCD (%(year)s).")
            % {"dob": date_of_birth.year, "year": year},
            code="cccd_dob_mismatch",
        )
    return number


def tax_check_digit(first_nine: str) -> str | None:
    remainder = sum(w * int(d) for w, d in zip(_TAX_WEIGHTS, first_nine, strict=True)) % 11
    digit = 10 - remainder
    return None if digit == 10 else str(digit)


def validate_tax_code(value: str) -> str:
    """Validate a 10-digit tax code or a 13-digit branch code `NNNNNNNNNN-NNN`; returns it normalised."""
    number = re.sub(r"\s", "", value or "")
    if re.fullmatch(r"\d{13}", number):
        number = f"{number[:10]}-{number[10:]}"
    match = _TAX_RE.match(number)
    if not match:
        raise ValidationError(
            _("Mã số thuế phải gồm 10 chữ số, hoặc 13 chữ số dạng NNNNNNNNNN-NNN đối với đơn vị phụ thuộc."),
            code="tax_format",
        )
    main, branch = match.groups()
    if main[2:9] == "0000000" or branch == "000":
        raise ValidationError(_("Mã số thuế không hợp lệ."), code="tax_sequence")
    if tax_check_digit(main[:9]) != main[9]:
        raise ValidationError(
            _("Mã số thuế không hợp lệ: chữ số kiểm tra (chữ số thứ 10) không đúng. Vui lòng kiểm tra lại."),
            code="tax_check_digit",
        )
    return number


def cccd_validator(value):
    validate_cccd(value)


def tax_code_validator(value):
    validate_tax_code(value)


def normalise_phone(value: str) -> str:
    return re.sub(r"[\s.\-()]", "", value or "")


def validate_phone(value: str) -> str:
    """A Vietnamese phone number (0… or +84…); returns it without spaces, dots and dashes."""
    phone = normalise_phone(value)
    if not PHONE_RE.match(phone):
        raise ValidationError(
            _("Số điện thoại gồm 10 chữ số, bắt đầu bằng 0, ví dụ 0905123456."), code="phone"
        )
    return phone


def validate_email_address(value: str) -> str:
    """An e-mail address by Django's rule, at most 254 characters; returns it stripped."""
    email = (value or "").strip()
    try:
        if len(email) > EMAIL_MAX:
            raise ValidationError("too long")
        django_validate_email(email)
    except ValidationError:
        raise ValidationError(
            _("Địa chỉ thư điện tử không đúng, ví dụ ten@example.vn."), code="email"
        ) from None
    return email


def validate_birth_date(value: datetime.date) -> datetime.date:
    """A date of birth: not in the future, not before 1900."""
    if value > timezone.localdate():
        raise ValidationError(_("Ngày sinh không thể ở tương lai."), code="birth_future")
    if value < EARLIEST_BIRTH:
        raise ValidationError(_("Ngày sinh phải từ năm 1900 trở về sau."), code="birth_too_early")
    return value
