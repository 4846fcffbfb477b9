"""The interface every payment gateway implements. congso speaks to gateways only through it.

A provider knows one gateway's protocol: how to build the signed redirect for an order, how to verify
what the gateway sends back (server-to-server notification and browser return), how to read it, and
how to answer the notification. It never touches the database: ``payments.services`` does.
"""

from __future__ import annotations

import datetime as dt
import enum
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlsplit


class IpnResult(enum.Enum):
    """What our handling of a notification concluded; each provider maps it to its own answer."""

    OK = "ok"
    INVALID_SIGNATURE = "invalid_signature"
    ORDER_NOT_FOUND = "order_not_found"
    INVALID_AMOUNT = "invalid_amount"
    ALREADY_CONFIRMED = "already_confirmed"
    ERROR = "error"


class InvalidMessage(ValueError):
    """The gateway's message is malformed or not for this merchant (after a valid signature)."""


@dataclass(frozen=True)
class Order:
    txn_ref: str
    amount: Decimal  # in đồng
    description: str
    return_url: str
    client_ip: str
    created_at: dt.datetime
    expires_at: dt.datetime
    locale: str = "vn"
    currency: str = "VND"


@dataclass(frozen=True)
class GatewayMessage:
    """A verified notification or return, in provider-neutral terms."""

    txn_ref: str
    amount: Decimal
    success: bool
    cancelled: bool
    response_code: str
    transaction_no: str = ""
    bank_code: str = ""
    paid_at: dt.datetime | None = None
    raw: dict = field(default_factory=dict)


class PaymentProvider(ABC):
    #: short name used in settings, URLs and ``FinancialObligation.payment_channel`` ("gateway:<name>")
    name: str = ""
    #: what the citizen sees
    label: str = ""

    def __init__(self, name: str, **options):
        self.name = name
        self.options = options

    @property
    def origin(self) -> str:
        """scheme://host[:port] of the gateway's pages (allowed as a form target by our CSP)."""
        parts = urlsplit(self.options.get("payment_url", ""))
        return (
            f"{parts.scheme}://{parts.netloc}" if parts.scheme in ("http", "https") and parts.netloc else ""
        )

    @abstractmethod
    def build_redirect(self, order: Order) -> str:
        """The signed URL of the gateway's payment page for ``order``."""

    @abstractmethod
    def verify(self, params: Mapping[str, str]) -> bool:
        """Is the signature on these parameters (a notification or a return) ours?"""

    @abstractmethod
    def parse(self, params: Mapping[str, str]) -> GatewayMessage:
        """Read verified parameters; raise InvalidMessage if they are malformed or for another merchant."""

    @abstractmethod
    def ipn_answer(self, result: IpnResult) -> tuple[str, str]:
        """The body and content type of the answer to a notification."""
