"""Webhook deliveries: the body, the signature, the address check (SSRF) and the HTTP call (ADR 0154).

Signature scheme (documented for receivers in the API description, ``SIGNATURE_DOC``):

- headers ``Congso-Timestamp`` (Unix seconds), ``Congso-Delivery-Id`` (one per event and subscriber,
  the same on every retry), ``Congso-Idempotency-Key`` (one per event: the receiver applies each key
  once), ``Congso-Event`` (the event type) and ``Congso-Signature: v1=<hex>``;
- ``<hex>`` = HMAC-SHA256 with the subscriber's secret over ``<timestamp>.`` followed by the raw body
  bytes. A receiver recomputes it, compares in constant time and refuses timestamps older than 5 minutes.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import socket
import threading
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

import urllib3
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.translation import gettext as _

from congso.core.errors import ServiceError

SIGNATURE_DOC = '''
## Webhooks: verifying a delivery

congso POSTs each event as JSON to the subscriber's URL and expects a 2xx answer; anything else (or no
answer within the timeout) is retried with exponential backoff and jitter, then kept as a dead letter
that an administrator replays. Delivery is at least once and in order per aggregate (every event of one
dossier in order): apply each `Congso-Idempotency-Key` once.

Headers: `Congso-Timestamp` (Unix seconds), `Congso-Delivery-Id`, `Congso-Idempotency-Key`,
`Congso-Event`, `Congso-Signature: v1=<hex>` where `<hex>` is HMAC-SHA256 with the subscriber's secret
over the timestamp, a dot, and the raw body bytes.

```python
import hashlib
import hmac
import time


def verify(secret: str, headers: dict, body: bytes, tolerance: int = 300) -> bool:
    """True when the delivery comes from congso: signature valid and timestamp recent."""
    timestamp = headers["Congso-Timestamp"]
    if abs(time.time() - int(timestamp)) > tolerance:
        return False
    signed = timestamp.encode() + b"." + body
    expected = "v1=" + hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, headers["Congso-Signature"])
```
'''


def verification_snippet() -> str:
    """The Python code block of ``SIGNATURE_DOC`` (the test runs exactly it)."""
    return SIGNATURE_DOC.split("```python\n", 1)[1].split("```", 1)[0]


class UnsafeAddress(ServiceError):
    """A webhook URL that points inside the platform's own network (SSRF)."""


def sign(secret: str, timestamp: str, body: bytes) -> str:
    return "v1=" + hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


def allow_private() -> bool:
    return bool(getattr(settings, "CONGSO_WEBHOOK_ALLOW_PRIVATE", False))


def check_url(url: str, *, resolve: bool = True) -> None:
    """Refuse a URL that is not http(s) or whose host is (or resolves to) a private, loopback,
    link-local, reserved or multicast address, unless ``CONGSO_WEBHOOK_ALLOW_PRIVATE`` (development)."""
    parts = urlsplit(url or "")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UnsafeAddress(_("Địa chỉ nhận phải là URL http:// hoặc https:// đầy đủ."), field="url")
    if parts.username or parts.password:
        raise UnsafeAddress(_("Địa chỉ nhận không được chứa tên đăng nhập hay mật khẩu."), field="url")
    if allow_private():
        return
    host = parts.hostname
    try:
        addresses = [ipaddress.ip_address(host)]
    except ValueError:
        if host.lower() in ("localhost",) or host.lower().endswith(".localhost"):
            addresses = [ipaddress.ip_address("127.0.0.1")]
        elif not resolve:
            return
        else:
            try:
                infos = socket.getaddrinfo(host, parts.port or None, proto=socket.IPPROTO_TCP)
            except (OSError, UnicodeError):
                raise UnsafeAddress(
                    _("Không phân giải được tên miền %(host)s.") % {"host": host}, field="url"
                ) from None
            addresses = [ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos]
    for address in addresses:
        if getattr(address, "ipv4_mapped", None):
            address = address.ipv4_mapped
        if not address.is_global or address.is_multicast:
            raise UnsafeAddress(
                _(
                    "Địa chỉ %(host)s là địa chỉ nội bộ (mạng riêng, loopback hoặc dành riêng); "
                    "không được gửi sự kiện tới đó."
                )
                % {"host": host},
                field="url",
            )


def body_of(event, delivery_uuid) -> bytes:
    return json.dumps(
        {
            "id": str(event.idempotency_key),
            "delivery_id": str(delivery_uuid),
            "type": event.event_type,
            "aggregate": {"type": event.aggregate_type, "id": event.aggregate_id},
            "sequence": event.sequence,
            "occurred_at": event.created_at,
            "data": event.payload,
        },
        cls=DjangoJSONEncoder,
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode()


@dataclass
class Outcome:
    ok: bool
    status_code: int | None
    error: str
    duration_ms: int


_pool = None
_pool_lock = threading.Lock()


def _http() -> urllib3.PoolManager:
    """One keep-alive connection pool for the process (thread-safe; the workers send streams in
    parallel). urllib3 directly: less CPU per call than requests, and no proxy from the environment,
    so the address checked is the one called."""
    global _pool
    if _pool is None:
        with _pool_lock:
            if _pool is None:
                _pool = urllib3.PoolManager(num_pools=50, maxsize=16, retries=False)
    return _pool


def send(subscriber, event, delivery_uuid) -> Outcome:
    """POST one signed delivery; a 2xx answer is success, anything else an error to retry."""
    started = time.monotonic()
    try:
        check_url(subscriber.url)
    except UnsafeAddress as exc:
        return Outcome(False, None, exc.message, 0)
    body = body_of(event, delivery_uuid)
    timestamp = str(int(time.time()))
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": "congso-webhooks/1",
        "Congso-Timestamp": timestamp,
        "Congso-Delivery-Id": str(delivery_uuid),
        "Congso-Idempotency-Key": str(event.idempotency_key),
        "Congso-Event": event.event_type,
        "Congso-Signature": sign(subscriber.secret, timestamp, body),
    }
    timeout = float(getattr(settings, "CONGSO_WEBHOOK_TIMEOUT_SECONDS", 10))
    try:
        answer = _http().request(
            "POST",
            subscriber.url,
            body=body,
            headers=headers,
            timeout=urllib3.Timeout(connect=timeout, read=timeout),
            redirect=False,
            retries=False,
        )
    except (urllib3.exceptions.HTTPError, OSError, ValueError) as exc:
        return Outcome(False, None, f"{type(exc).__name__}: {exc}"[:500], _ms(started))
    if 200 <= answer.status < 300:
        return Outcome(True, answer.status, "", _ms(started))
    text = answer.data[:300].decode("utf-8", errors="replace")
    return Outcome(False, answer.status, f"HTTP {answer.status}: {text}", _ms(started))


def _ms(started: float) -> int:
    return int((time.monotonic() - started) * 1000)
