import datetime

import pytest
from django.core.exceptions import ValidationError

from congso.accounts import validators
from congso.accounts.validators import cccd_birth, validate_cccd, validate_tax_code
from congso.core import validation


@pytest.mark.parametrize("number", ["064090001234", "079203001234", "001 301 007 788", "052.195.004.321"])
def test_valid_cccd(number):
    assert len(validate_cccd(number)) == 12


def test_cccd_encodes_gender_and_year():
    assert cccd_birth("064090001234") == ("nam", 1990)
    assert cccd_birth("064301007788") == ("nữ", 2001)
    assert validate_cccd("064090001234", datetime.date(1990, 5, 12)) == "064090001234"


@pytest.mark.parametrize(
    "number, message",
    [
        ("06409000123", "đúng 12 chữ số"),
        ("06409000123A", "đúng 12 chữ số"),
        ("003090001234", "không phải mã tỉnh"),  # 003 is not a province code
        ("099090001234", "không phải mã tỉnh"),
        ("064490001234", "ở tương lai"),  # digit 4 = born 2100s
        ("064299001234", "ở tương lai"),  # 2099
    ],
)
def test_invalid_cccd(number, message):
    with pytest.raises(ValidationError) as exc:
        validate_cccd(number)
    assert message in exc.value.messages[0]


def test_cccd_year_must_match_date_of_birth():
    with pytest.raises(ValidationError, match="không khớp"):
        validate_cccd("064090001234", datetime.date(1991, 1, 1))


@pytest.mark.parametrize(
    "code, expected",
    [
        ("0100233488", "0100233488"),
        ("5901234563", "5901234563"),
        ("0314409058-002", "0314409058-002"),
        ("0314409058002", "0314409058-002"),
    ],
)
def test_valid_tax_codes(code, expected):
    assert validate_tax_code(code) == expected


@pytest.mark.parametrize(
    "code, message",
    [
        ("0100233487", "chữ số kiểm tra"),
        ("5901234564", "chữ số kiểm tra"),
        ("590123456", "10 chữ số"),
        ("0314409058-02", "10 chữ số"),
        ("0314409058-000", "không hợp lệ"),
        ("MST5901234563", "10 chữ số"),
    ],
)
def test_invalid_tax_codes(code, message):
    with pytest.raises(ValidationError) as exc:
        validate_tax_code(code)
    assert message in exc.value.messages[0]


def test_the_rules_are_those_of_core_validation():
    """One place for the rules (ADR 0147): accounts names core.validation's functions, no copy."""
    assert validators.validate_phone is validation.validate_phone
    assert validators.validate_cccd is validation.validate_cccd
    assert validators.validate_birth_date is validation.validate_birth_date
