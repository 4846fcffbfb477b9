"""The message shapes exchanged with the National Public Service Portal (ADR 0168).

The portal's real interface is not public: these shapes are congso's own, built from what the
reference says the portal receives (national status codes, dossier code, dates, agency codes, results
for the citizen's data store). Only this module and ``sandbox.py`` know them; changing to the real
interface means changing the adapter, not the outbox nor the apps that publish events.

Signature (both directions): headers ``Ngsp-Timestamp`` (Unix seconds), ``Ngsp-Message-Id`` and
``Ngsp-Signature: v1=<hex>``, ``<hex>`` = HMAC-SHA256 with the shared secret over ``<timestamp>.`` and
the raw body. A receiver refuses a bad signature, a timestamp more than ``TOLERANCE`` seconds away and
a message id it has already taken.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time

# local status → national status: only "not accepted" differs (3 is sent as 11)
NATIONAL_STATUS = {3: 11}
SYNC_PATH = "/ngsp/v1/dossiers/sync"
STATUS_PATH = "/ngsp/v1/dossiers/status"
TOLERANCE = 300
# the outbox events the portal receives, and the message type each becomes
EVENT_MESSAGE_TYPES = {
    "dossier.received": "status",
    "dossier.status_changed": "status",
    "dossier.result_issued": "result",
}


def national_status(local: int | None) -> int | None:
    return None if local is None else NATIONAL_STATUS.get(int(local), int(local))


def sign(secret: str, timestamp: str, body: bytes) -> str:
    return "v1=" + hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


def signed_headers(secret: str, message_id: str, body: bytes, timestamp: str | None = None) -> dict:
    timestamp = timestamp or str(int(time.time()))
    return {
        "Content-Type": "application/json; charset=utf-8",
        "Ngsp-Timestamp": timestamp,
        "Ngsp-Message-Id": message_id,
        "Ngsp-Signature": sign(secret, timestamp, body),
    }


def verify(secret: str, headers, body: bytes, now: float | None = None) -> str | None:
    """None when the message is signed with ``secret`` and recent; otherwise why not (Vietnamese)."""
    timestamp = str(headers.get("Ngsp-Timestamp") or "")
    signature = str(headers.get("Ngsp-Signature") or "")
    if not secret:
        return "Chưa cấu hình khoá dùng chung với Cổng Dịch vụ công quốc gia."
    if not timestamp.isdigit() or not signature:
        return "Thiếu chữ ký hoặc thời điểm ký."
    if abs((now or time.time()) - int(timestamp)) > TOLERANCE:
        return "Thời điểm ký quá xa hiện tại."
    if not hmac.compare_digest(sign(secret, timestamp, body), signature):
        return "Chữ ký không hợp lệ."
    return None


def dump(data: dict) -> bytes:
    # (imported here: the sandbox process uses this module without Django's settings)
    from django.core.serializers.json import DjangoJSONEncoder

    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":")).encode()


def sync_message(event) -> dict | None:
    """The portal's message for one outbox event of a dossier; None for events it does not take."""
    kind = EVENT_MESSAGE_TYPES.get(event.event_type)
    if kind is None:
        return None
    data = event.payload or {}
    dossier = {
        "code": event.aggregate_id,
        "status": data.get("national_status", national_status(data.get("to_status"))),
        "local_status": data.get("to_status"),
        "action": data.get("action", ""),
        "procedure": data.get("procedure"),
        "channel": data.get("channel"),
        "receiving_agency": data.get("receiving_agency"),
        "processing_agency": data.get("agency"),
        "received_at": data.get("received_at"),
        "due_at": data.get("due_at"),
        "finished_at": data.get("finished_at"),
        "at": data.get("at") or event.created_at,
    }
    message = {
        "message_id": str(event.idempotency_key),
        "type": kind,
        "sequence": event.sequence,
        "dossier": {k: v for k, v in dossier.items() if v not in (None, "")},
    }
    if kind == "result":
        result = data.get("result") or {}
        message["result"] = {
            "number": result.get("number", ""),
            "title": result.get("title", ""),
            "issued_at": result.get("issued_at"),
            "for_data_store": bool(data.get("for_data_store", True)),
        }
    return message
