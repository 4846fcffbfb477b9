"""Identity numbers and contact data of accounts. The rules themselves live in ONE place,
``congso.core.validation`` (ADR 0147); this module names them for the accounts app and for the
migrations that reference ``cccd_validator`` and ``tax_code_validator``."""

from congso.core.validation import (  # noqa: F401 (re-exported)
    CCCD_PROVINCE_CODES,
    EARLIEST_BIRTH,
    EMAIL_MAX,
    PHONE_RE,
    cccd_birth,
    cccd_validator,
    normalise_cccd,
    normalise_phone,
    tax_check_digit,
    tax_code_validator,
    validate_birth_date,
    validate_cccd,
    validate_email_address,
    validate_identity_number,
    validate_phone,
    validate_quantity,
    validate_tax_code,
)
