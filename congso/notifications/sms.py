"""SMS through a pluggable provider, chosen by ``settings.CONGSO_SMS_BACKEND`` (a dotted path).

A backend is a class with ``name`` and ``send(to, text, reference) -> str`` returning the provider's
message id (or ""). It raises ``PermanentError`` for a refusal that retrying cannot fix (a 4xx: bad
number, bad key) and ``TemporaryError`` for one that may pass later (5xx, timeout, network).

Built in:
- ``ConsoleBackend``: writes the message to the log (development);
- ``FileBackend``: appends one JSON line per message to ``CONGSO_SMS_FILE_PATH`` (the demo default);
- ``LocmemBackend``: keeps messages in ``LocmemBackend.outbox`` (tests, like Django's mail.outbox);
- ``HttpBackend``: a generic JSON POST to ``CONGSO_SMS_HTTP_URL`` with an API-key header, a timeout,
  and retries with exponential backoff on 5xx and timeouts (never on 4xx).
"""

from __future__ import annotations

import json
import logging
import threading
import time
from pathlib import Path

import requests
from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

log = logging.getLogger("congso.notifications.sms")


class SmsError(Exception):
    pass


class PermanentError(SmsError):
    """The provider refused the message; sending it again unchanged will not help."""


class TemporaryError(SmsError):
    """The provider could not take the message now; it may be retried later."""


class BaseBackend:
    name = "base"

    def send(self, to: str, text: str, reference: str = "") -> str:
        raise NotImplementedError


class ConsoleBackend(BaseBackend):
    name = "console"

    def send(self, to, text, reference=""):
        log.info("SMS to %s: %s", to, text, extra={"sms_reference": reference})
        return ""


class FileBackend(BaseBackend):
    name = "file"
    _lock = threading.Lock()

    def send(self, to, text, reference=""):
        path = Path(getattr(settings, "CONGSO_SMS_FILE_PATH", Path(settings.VAR_DIR) / "sms" / "sms.jsonl"))
        path.parent.mkdir(parents=True, exist_ok=True)
        line = json.dumps(
            {"at": timezone.now().isoformat(), "to": to, "text": text, "reference": reference},
            ensure_ascii=False,
        )
        with self._lock, path.open("a", encoding="utf-8") as f:
            f.write(line + "\n")
        return ""


class LocmemBackend(BaseBackend):
    name = "locmem"
    outbox: list[dict] = []

    def send(self, to, text, reference=""):
        LocmemBackend.outbox.append({"to": to, "text": text, "reference": reference})
        return f"locmem-{len(LocmemBackend.outbox)}"


class HttpBackend(BaseBackend):
    """A generic HTTP SMS gateway: ``POST <url>`` with JSON ``{"to", "text", "sender", "reference"}``
    and the API key in a header. A 2xx answer is success; its JSON ``id`` (or ``message_id``), if any,
    is kept as the provider's reference."""

    name = "http"

    def __init__(self):
        self.url = settings.CONGSO_SMS_HTTP_URL
        self.api_key = settings.CONGSO_SMS_HTTP_API_KEY
        self.key_header = settings.CONGSO_SMS_HTTP_KEY_HEADER
        self.timeout = settings.CONGSO_SMS_HTTP_TIMEOUT
        self.retries = settings.CONGSO_SMS_HTTP_RETRIES
        self.backoff = settings.CONGSO_SMS_HTTP_BACKOFF
        self.sender = settings.CONGSO_SMS_SENDER

    def send(self, to, text, reference=""):
        if not self.url:
            raise PermanentError("CONGSO_SMS_HTTP_URL is not set")
        payload = {"to": to, "text": text, "sender": self.sender, "reference": reference}
        headers = {self.key_header: self.api_key} if self.api_key else {}
        error: SmsError | None = None
        for attempt in range(self.retries + 1):
            if attempt:
                time.sleep(self.backoff * 2 ** (attempt - 1))
            try:
                response = requests.post(self.url, json=payload, headers=headers, timeout=self.timeout)
            except requests.Timeout:
                error = TemporaryError(f"timeout after {self.timeout}s")
                continue
            except requests.RequestException as exc:
                error = TemporaryError(f"network error: {exc.__class__.__name__}")
                continue
            if 200 <= response.status_code < 300:
                try:
                    body = response.json()
                except ValueError:
                    body = {}
                ref = body.get("id") or body.get("message_id") or "" if isinstance(body, dict) else ""
                return str(ref)[:100]
            detail = f"HTTP {response.status_code}: {response.text[:200]}"
            if 400 <= response.status_code < 500:
                raise PermanentError(detail)
            error = TemporaryError(detail)
        raise error or TemporaryError("no answer")


def get_backend() -> BaseBackend:
    return import_string(settings.CONGSO_SMS_BACKEND)()
