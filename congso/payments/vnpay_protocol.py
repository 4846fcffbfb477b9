"""VNPAY payment URL protocol, version 2.1.0: the signing rules, shared by our provider and the sandbox.

Pure standard library (no Django), so the sandbox gateway can run as a separate small process.

Signing (HMAC-SHA512, hex): take every ``vnp_*`` parameter except ``vnp_SecureHash`` and
``vnp_SecureHashType`` with a non-empty value, sort by name, URL-encode names and values as
``application/x-www-form-urlencoded`` (space → ``+``), join as ``name=value`` with ``&``, and sign
that string with the merchant's hash secret. The payment URL is that same query string plus
``&vnp_SecureHash=<hex>``. Notifications (IPN) and the browser's return carry the same kind of
signature over the parameters the gateway sends.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from collections.abc import Mapping
from urllib.parse import quote_plus

VERSION = "2.1.0"
HASH_PARAMS = ("vnp_SecureHash", "vnp_SecureHashType")
VN_TZ = dt.timezone(dt.timedelta(hours=7), "GMT+7")
DATE_FORMAT = "%Y%m%d%H%M%S"

# vnp_ResponseCode values we act on (the gateway documents more failure codes; all non-00 are failures).
RESPONSE_SUCCESS = "00"
RESPONSE_EXPIRED = "11"  # the customer did not pay before vnp_ExpireDate
RESPONSE_CANCELLED = "24"  # the customer cancelled the transaction
TRANSACTION_SUCCESS = "00"
TRANSACTION_FAILED = "02"

# The merchant's JSON answer to an IPN call.
IPN_ANSWERS = {
    "00": "Confirm Success",
    "01": "Order not found",
    "02": "Order already confirmed",
    "04": "Invalid amount",
    "97": "Invalid signature",
    "99": "Unknown error",
}


def signed_items(params: Mapping[str, object]) -> list[tuple[str, str]]:
    return sorted(
        (str(k), str(v))
        for k, v in params.items()
        if str(k).startswith("vnp_") and k not in HASH_PARAMS and v is not None and str(v) != ""
    )


def canonical(params: Mapping[str, object]) -> str:
    """The string that is signed, which is also the payment URL's query string."""
    return "&".join(f"{quote_plus(k)}={quote_plus(v)}" for k, v in signed_items(params))


def sign(params: Mapping[str, object], secret: str) -> str:
    return hmac.new(secret.encode(), canonical(params).encode(), hashlib.sha512).hexdigest()


def verify(params: Mapping[str, object], secret: str) -> bool:
    given = str(params.get("vnp_SecureHash") or "").lower()
    if not given or not secret:
        return False
    return hmac.compare_digest(given, sign(params, secret))


def signed_query(params: Mapping[str, object], secret: str) -> str:
    return f"{canonical(params)}&vnp_SecureHash={sign(params, secret)}"


def format_date(moment: dt.datetime) -> str:
    return moment.astimezone(VN_TZ).strftime(DATE_FORMAT)


def parse_date(value: str) -> dt.datetime | None:
    try:
        return dt.datetime.strptime(value, DATE_FORMAT).replace(tzinfo=VN_TZ)
    except (TypeError, ValueError):
        return None
