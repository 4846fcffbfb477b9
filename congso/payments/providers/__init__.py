"""Payment providers by name, from ``settings.CONGSO_PAYMENT_PROVIDERS``:

    CONGSO_PAYMENT_PROVIDERS = {
        "vnpay": {"BACKEND": "congso.payments.providers.vnpay.VnpayProvider", "OPTIONS": {...}},
    }

Adding a gateway = one ``PaymentProvider`` subclass and one entry in that setting.
"""

from django.conf import settings
from django.utils.module_loading import import_string

from .base import GatewayMessage, InvalidMessage, IpnResult, Order, PaymentProvider

__all__ = [
    "GatewayMessage",
    "InvalidMessage",
    "IpnResult",
    "Order",
    "PaymentProvider",
    "default_name",
    "get_provider",
    "names",
]


def names() -> list[str]:
    return list(getattr(settings, "CONGSO_PAYMENT_PROVIDERS", {}))


def default_name() -> str:
    return getattr(settings, "CONGSO_PAYMENT_DEFAULT_PROVIDER", "") or (names() or [""])[0]


def get_provider(name: str) -> PaymentProvider | None:
    """The configured provider called ``name``, or None."""
    config = getattr(settings, "CONGSO_PAYMENT_PROVIDERS", {}).get(name)
    if not config:
        return None
    return import_string(config["BACKEND"])(name, **config.get("OPTIONS", {}))
