"""The validation rules of issue 14, in their one place (core.validation, ADR 0147)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from congso.core import validation as v


@pytest.mark.parametrize(
    "value, expected",
    [
        ("0905123456", "0905123456"),  # mobile
        ("0388 999 000", "0388999000"),
        ("+84 905 123 456", "0905123456"),
        ("84905123456", "0905123456"),
        ("0269 3824 567", "02693824567"),  # Gia Lai landline (0269)
        ("(0256) 3822-888", "02563822888"),
    ],
)
def test_phone_accepts_vietnamese_mobiles_and_landlines(value, expected):
    assert v.validate_phone(value) == expected


@pytest.mark.parametrize(
    "value", ["abc", "12", "0123456789", "090512345", "09051234567", "0605123456", "02693824"]
)
def test_phone_refuses_what_is_no_vietnamese_number(value):
    with pytest.raises(ValidationError) as exc:
        v.validate_phone(value)
    assert "Số điện thoại không đúng" in exc.value.messages[0]


def test_identity_number_refuses_eleven_digits_with_the_count():
    with pytest.raises(ValidationError) as exc:
        v.validate_identity_number("05209500123")
    assert "đúng 12 chữ số (đã nhập 11 chữ số)" in exc.value.messages[0]


@pytest.mark.parametrize(
    "value, expected",
    [
        ("052 095 001 234", "052095001234"),  # CCCD
        ("0100109106", "0100109106"),  # tax code (check digit right)
        ("0100109106-001", "0100109106-001"),  # a branch
        ("c1234567", "C1234567"),  # passport
    ],
)
def test_identity_number_accepts_cccd_tax_code_and_passport(value, expected):
    assert v.validate_identity_number(value) == expected


def test_identity_number_checks_the_cccd_province_code():
    with pytest.raises(ValidationError, match="không phải mã tỉnh"):
        v.validate_identity_number("003095001234")


def test_birth_date_not_in_the_future_nor_before_1900():
    today = timezone.localdate()
    assert v.validate_birth_date(today) == today
    with pytest.raises(ValidationError, match="tương lai"):
        v.validate_birth_date(
            datetime.date(2030, 1, 1) if today.year < 2030 else today + datetime.timedelta(1)
        )
    with pytest.raises(ValidationError, match="1900"):
        v.validate_birth_date(datetime.date(1899, 12, 31))


@pytest.mark.parametrize("value, expected", [("1", 1), (" 3 ", 3), ("+2", 2), (99, 99)])
def test_quantity_accepts_whole_numbers_in_bounds(value, expected):
    assert v.validate_quantity(value) == expected


@pytest.mark.parametrize(
    "value, message",
    [
        ("-5", "số nguyên dương"),
        ("1,5", "số nguyên dương"),
        ("2.0", "số nguyên dương"),
        ("abc", "số nguyên dương"),
        ("", "số nguyên dương"),
        ("٣", "số nguyên dương"),  # an Arabic-Indic digit: int() would take it
        ("0", "từ 1 đến 99"),
        ("100", "từ 1 đến 99"),
    ],
)
def test_quantity_refuses_negative_fractional_and_out_of_bounds(value, message):
    with pytest.raises(ValidationError) as exc:
        v.validate_quantity(value)
    assert message in exc.value.messages[0]


def test_email():
    assert v.validate_email_address(" an@example.vn ") == "an@example.vn"
    with pytest.raises(ValidationError, match="thư điện tử"):
        v.validate_email_address("an@")
