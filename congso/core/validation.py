"""The validation rules of personal data and quantities: ONE place for every entry point (ADR 0147).

The online form's field types (``portal.definitions``), the form builder, the counter's intake form
and service (``dossiers``), the JSON API schemas and the citizen's profile (``accounts``) all call
these functions; none keeps a copy of a rule. Each returns the value normalised, or raises Django's
``ValidationError`` with a specific Vietnamese message and a ``code`` (services turn it into a
``core.errors.InvalidFields``/``ServiceError`` on the field at fault).
"""

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
# Vietnamese numbers after the 2018 renumbering: mobiles 03x, 05x, 07x, 08x, 09x + 7 digits (10 digits);
# landlines 02 + area code and subscriber number (11 digits). "+84" stands for the leading 0.
MOBILE_RE = re.compile(r"^0[35789]\d{8}$")
LANDLINE_RE = re.compile(r"^02\d{9}$")
PHONE_RE = re.compile(r"^(?:0[35789]\d{8}|02\d{9})$")  # after normalise_phone
EMAIL_MAX = 254
EARLIEST_BIRTH = datetime.date(1900, 1, 1)
_TAX_RE = re.compile(r"^(\d{10})(?:-(\d{3}))?$")
_TAX_WEIGHTS = (31, 29, 23, 19, 17, 13, 7, 5, 3)
_PASSPORT_RE = re.compile(r"^[A-Z]\d{7,8}$")
# Copies and other counted quantities a person asks for (bản sao, bản chính): whole numbers in bounds.
MIN_QUANTITY = 1
MAX_QUANTITY = 99


# --- identity numbers ---------------------------------------------------------------------------


def normalise_cccd(value: str) -> str:
    return re.sub(r"[\s.]", "", value or "")


def cccd_birth(value: str) -> tuple[str, int]:
    """('nam'|'nữ', year of birth) encoded in a well-formed CCCD number."""
    digit = int(value[3])
    century = 1900 + 100 * (digit // 2)
    return ("nữ" if digit % 2 else "nam"), century + int(value[4:6])


def validate_cccd(value: str, date_of_birth: datetime.date | None = None) -> str:
    """A 12-digit CCCD number: province code, gender-and-century digit, year of birth (not in the
    future, and the date of birth's year when given). Returns it normalised (spaces and dots removed)."""
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
    """A 10-digit tax code or a 13-digit branch code `NNNNNNNNNN-NNN`; returns it normalised."""
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


def validate_identity_number(value: str) -> str:
    """What a counter records as the applicant's identity: a CCCD (12 digits), an organisation's tax
    code (10 digits, or 13 for a branch) or a passport number (one letter and 7–8 digits, foreigners
    and Vietnamese abroad). Returns it normalised; anything else is refused with the rule it broke."""
    text = re.sub(r"[\s.]", "", value or "").upper()
    if _PASSPORT_RE.match(text):
        return text
    digits = text.replace("-", "")
    if digits.isascii() and digits.isdigit() and len(digits) in (10, 13):
        return validate_tax_code(text)
    if digits.isascii() and digits.isdigit() and len(digits) != 12:
        raise ValidationError(
            _(
                "Số CCCD phải gồm đúng 12 chữ số (đã nhập %(n)s chữ số); mã số thuế của tổ chức gồm 10 "
                "hoặc 13 chữ số."
            )
            % {"n": len(digits)},
            code="cccd_format",
        )
    return validate_cccd(text)


def cccd_validator(value):
    validate_cccd(value)


def tax_code_validator(value):
    validate_tax_code(value)


# --- contact ------------------------------------------------------------------------------------


def normalise_phone(value: str) -> str:
    """Without spaces, dots, dashes and brackets; "+84…" (or "84…" of 11–12 digits) as "0…"."""
    phone = re.sub(r"[\s.\-()]", "", value or "")
    if phone.startswith("+84"):
        phone = "0" + phone[3:]
    elif phone.startswith("84") and len(phone) in (11, 12):
        phone = "0" + phone[2:]
    return phone


def validate_phone(value: str) -> str:
    """A Vietnamese mobile (10 digits: 03, 05, 07, 08, 09…) or landline (11 digits: 02…) number, also
    written +84…; returns it as 0… without spaces, dots and dashes."""
    phone = normalise_phone(value)
    if not PHONE_RE.match(phone):
        raise ValidationError(
            _(
                "Số điện thoại không đúng: số di động gồm 10 chữ số bắt đầu bằng 03, 05, 07, 08 hoặc 09 "
                "(ví dụ 0905123456); số cố định gồm 11 chữ số bắt đầu bằng 02 (ví dụ 02693823456)."
            ),
            code="phone",
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


# --- dates and quantities -----------------------------------------------------------------------


def validate_birth_date(value: datetime.date) -> datetime.date:
    """A date of birth: not in the future, not before 1900."""
    if value > timezone.localdate():
        raise ValidationError(_("Ngày sinh không thể ở tương lai."), code="birth_future")
    if value < EARLIEST_BIRTH:
        raise ValidationError(_("Ngày sinh phải từ năm 1900 trở về sau."), code="birth_too_early")
    return value


def validate_quantity(value, *, minimum: int = MIN_QUANTITY, maximum: int = MAX_QUANTITY) -> int:
    """A counted quantity (copies, originals): a whole number from ``minimum`` to ``maximum``. Takes the
    text a person typed ("3", " 3 ") or an int; refuses "-5", "1,5", "abc", 0 and huge numbers."""
    if isinstance(value, bool):
        value = str(value)
    text = str(value).strip() if value is not None else ""
    if text.startswith("+"):
        text = text[1:]
    if not (text.isascii() and text.isdigit()):
        raise ValidationError(
            _("Nhập một số nguyên dương, ví dụ 2 (không nhập số âm, số thập phân hay chữ)."),
            code="quantity_format",
        )
    number = int(text)
    if not minimum <= number <= maximum:
        raise ValidationError(
            _("Số lượng phải từ %(min)s đến %(max)s.") % {"min": minimum, "max": maximum},
            code="quantity_range",
        )
    return number
