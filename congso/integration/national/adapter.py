"""The outbox's sender for the National Public Service Portal (ADR 0168).

The worker calls ``send`` instead of ``webhooks.send`` for the subscriber of kind ``national``: same
ordering per dossier, leases, retries and dead letters. A delivery counts as done only when the portal
answers 2xx AND its reply acknowledges this message's id (``acks``); a reply that acknowledges other
messages only (a repeated or crossed acknowledgement) is a failure to retry. The portal applies each
message id once, so a retry of a message it already took is answered "duplicate" and completes.
"""

from __future__ import annotations

import json
import time

import urllib3
from django.conf import settings

from .. import webhooks
from . import messages


def timeout() -> float:
    return float(getattr(settings, "CONGSO_NATIONAL_TIMEOUT_SECONDS", 10.0))


def _url(subscriber, path: str) -> str:
    return subscriber.url.rstrip("/") + path


def _post(subscriber, path: str, message_id: str, body: bytes):
    return webhooks._http().request(
        "POST",
        _url(subscriber, path),
        body=body,
        headers={
            **messages.signed_headers(subscriber.secret, message_id, body),
            "User-Agent": "congso-ngsp/1",
        },
        timeout=urllib3.Timeout(connect=timeout(), read=timeout()),
        redirect=False,
        retries=False,
    )


def send(subscriber, event, delivery_uuid) -> webhooks.Outcome:
    started = time.monotonic()
    if event.event_type == "integration.ping":
        message = {"message_id": str(event.idempotency_key), "type": "ping", "sequence": event.sequence}
    else:
        message = messages.sync_message(event)
    if message is None:  # an event the portal does not take (e.g. a note): nothing to send
        return webhooks.Outcome(True, None, "", 0)
    try:
        webhooks.check_url(subscriber.url)
    except webhooks.UnsafeAddress as exc:
        return webhooks.Outcome(False, None, exc.message, 0)
    body = messages.dump(message)
    try:
        answer = _post(subscriber, messages.SYNC_PATH, message["message_id"], body)
    except (urllib3.exceptions.HTTPError, OSError, ValueError) as exc:
        return webhooks.Outcome(False, None, f"{type(exc).__name__}: {exc}"[:500], _ms(started))
    if not 200 <= answer.status < 300:
        text = answer.data[:300].decode("utf-8", errors="replace")
        return webhooks.Outcome(False, answer.status, f"HTTP {answer.status}: {text}", _ms(started))
    try:
        acks = json.loads(answer.data or b"{}").get("acks") or []
        acked = any(isinstance(a, dict) and a.get("message_id") == message["message_id"] for a in acks)
    except (ValueError, AttributeError):
        acked = False
    if not acked:
        others = ", ".join(str(a.get("message_id"))[:36] for a in acks if isinstance(a, dict))[:200]
        return webhooks.Outcome(
            False,
            answer.status,
            f"HTTP {answer.status}: không có xác nhận cho thông điệp này (xác nhận nhận được: {others or '—'})",
            _ms(started),
        )
    return webhooks.Outcome(True, answer.status, "", _ms(started))


def statuses(subscriber, codes: list[str]) -> dict[str, dict]:
    """The portal's current record of these dossiers: code → {"status", "sequence"}; absent codes are
    unknown to the portal. Raises urllib3/OSError/ValueError when the portal does not answer well."""
    body = messages.dump({"codes": codes})
    answer = _post(subscriber, messages.STATUS_PATH, f"status-{time.time_ns()}", body)
    if answer.status != 200:
        raise ValueError(f"HTTP {answer.status}: {answer.data[:200].decode('utf-8', errors='replace')}")
    data = json.loads(answer.data)
    return data.get("dossiers") or {}


def _ms(started: float) -> int:
    return int((time.monotonic() - started) * 1000)
