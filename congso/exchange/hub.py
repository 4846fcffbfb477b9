"""A local edXML exchange hub (trục liên thông văn bản), for development and tests. Its own process:

    congso exchange_hub --port 8002

Standard-library WSGI (like the payment sandbox), state in memory. Agencies speak JSON and edXML:

- ``POST /api/packets`` (body: a signed edXML envelope, a document or a status message) → 202
  ``{"message_id", "recipients", "duplicate"}``. The hub routes by the envelope's header: a document
  to each ``To`` organ, a status message to the organ in its ``ResponseFor``. It keeps one copy per
  message id, so a sender's retry is answered ``duplicate: true`` and not delivered again. Malformed
  XML and XML attacks are refused with 400 ``{"error", "reason"}``; it does not check signatures
  (receivers do).
- ``GET /api/organs/<organ id>/pending?limit=20[&lease=60]`` → ``{"deliveries": [{"delivery_id",
  "message_id", "kind", "from", "size"}]}``: what waits for that organ, oldest first, until
  acknowledged; each envelope is then fetched as it was submitted (below). With ``lease`` (seconds, at
  most 3600), each delivery handed out is held for that poller for that long, as a message queue's
  visibility timeout does: several receiving processes of one organ poll side by side and get different
  deliveries; one not acknowledged in time is handed out again.
- ``GET /api/deliveries/<delivery id>/envelope`` → the signed edXML envelope (``application/xml``), the
  bytes the sender submitted (base64 in JSON would cost both sides about 2 ms a 400 KB packet; ADR 0189).
- ``POST /api/deliveries/<delivery id>/ack`` (JSON ``{"result": "accepted" | "refused" | "duplicate",
  "reason", "message"}``) removes the delivery; a refusal is kept with its reason for the sender.
- ``POST /api/deliveries/ack`` (JSON ``{"acks": [{"delivery_id", "result", "reason", "message"}, …]}``,
  at most 200): the same for a poll's whole batch in one request → ``{"acks": [...]}``, one answer per
  item in order (an unknown or invalid one answers ``error`` and ``reason`` without stopping the others).
- ``GET /api/messages/<message id>`` → the message's route and every acknowledgement (why it was refused).

Faults, injected by tests and developers: ``POST /_hub/faults`` (JSON ``{"down": true}``: every ``/api/``
call answers 503; ``{"duplicate": n}``: the next n deliveries are handed out twice; ``{"forge": n}``: the
next n documents are altered in transit, so their signature no longer matches). ``GET /_hub/log``,
``GET /healthz``.
"""

from __future__ import annotations

import itertools
import json
import re
import socketserver
import sys
import threading
import time
from urllib.parse import parse_qsl
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from .edxml import PacketError, peek_route

_PENDING = re.compile(r"^/api/organs/([A-Za-z0-9.\-_]{1,64})/pending$")
_ACK = re.compile(r"^/api/deliveries/(\d{1,12})/ack$")
_ENVELOPE = re.compile(r"^/api/deliveries/(\d{1,12})/envelope$")
_UNLISTED = ("to", "leased_until", "envelope")  # kept by the hub, not listed by ``pending``
_MESSAGE = re.compile(r"^/api/messages/([0-9a-fA-F\-]{36})$")
_SUBJECT = re.compile(rb"(<edXML:Subject>)(.)", re.S)


class Hub:
    def __init__(self, *, max_bytes: int = 50 * 1024 * 1024):
        self.max_bytes = max_bytes
        self.lock = threading.Lock()
        self.messages: dict[str, dict] = {}
        self.queues: dict[str, list[dict]] = {}
        self.deliveries: dict[int, dict] = {}
        self.acks: list[dict] = []
        self.faults = {"down": False, "duplicate": 0, "forge": 0}
        self.ids = itertools.count(1)

    # --- operations -----------------------------------------------------------------------------

    def submit(self, body: bytes) -> tuple[int, dict]:
        try:
            kind, message_id, sender, recipients = peek_route(body)
        except PacketError as exc:
            return 400, {"error": str(exc), "reason": exc.reason}
        if not message_id or not sender or not all(recipients):
            return 400, {"error": "Gói tin thiếu MessageId, From hoặc To.", "reason": "malformed"}
        with self.lock:
            if message_id in self.messages:
                known = self.messages[message_id]
                return 200, {"message_id": message_id, "recipients": known["to"], "duplicate": True}
            if kind == "packet" and self.faults["forge"] > 0:
                self.faults["forge"] -= 1
                body = _SUBJECT.sub(lambda m: m.group(1) + (b"X" if m.group(2) != b"X" else b"Y"), body, 1)
            self.messages[message_id] = {"kind": kind, "from": sender, "to": recipients, "acks": []}
            for organ in recipients:
                self._enqueue(organ, message_id, kind, sender, body)
        return 202, {"message_id": message_id, "recipients": recipients, "duplicate": False}

    def _enqueue(self, organ, message_id, kind, sender, body):
        delivery = {
            "delivery_id": next(self.ids),
            "message_id": message_id,
            "kind": kind,
            "from": sender,
            "to": organ,
            "size": len(body),
            "envelope": body,
        }
        self.deliveries[delivery["delivery_id"]] = delivery
        self.queues.setdefault(organ, []).append(delivery)

    def pending(self, organ: str, limit: int = 20, lease: float | None = None) -> dict:
        limit = max(1, min(limit, 200))
        with self.lock:
            queue = self.queues.get(organ, [])
            if lease is None:
                out = list(queue[:limit])
            else:
                now = time.monotonic()
                out = [d for d in queue if d.get("leased_until", 0) <= now][:limit]
                for d in out:
                    d["leased_until"] = now + max(0.0, min(lease, 3600.0))
            if out and self.faults["duplicate"] > 0:
                # The same message handed out again under a second delivery id (a hub retry after a
                # lost acknowledgement): the receiver must record it once.
                first = out[0]
                self.faults["duplicate"] -= 1
                twin = dict(first, delivery_id=next(self.ids))
                self.deliveries[twin["delivery_id"]] = twin
                queue.insert(1, twin)
                out.insert(1, twin)
        return {"deliveries": [{k: v for k, v in d.items() if k not in _UNLISTED} for d in out]}

    def envelope(self, delivery_id: int) -> bytes | None:
        """The envelope of a delivery not yet acknowledged, or None."""
        with self.lock:
            delivery = self.deliveries.get(delivery_id)
            return delivery["envelope"] if delivery is not None else None

    def ack(self, delivery_id: int, data: dict) -> tuple[int, dict]:
        result = data.get("result")
        if result not in ("accepted", "refused", "duplicate"):
            return 400, {"error": "result phải là accepted, refused hoặc duplicate.", "reason": "invalid"}
        with self.lock:
            delivery = self.deliveries.pop(delivery_id, None)
            if delivery is None:
                return 404, {"error": "Không có lượt chuyển này (đã xác nhận?).", "reason": "unknown"}
            queue = self.queues.get(delivery["to"], [])
            self.queues[delivery["to"]] = [d for d in queue if d["delivery_id"] != delivery_id]
            entry = {
                "delivery_id": delivery_id,
                "message_id": delivery["message_id"],
                "organ": delivery["to"],
                "result": result,
                "reason": str(data.get("reason") or "")[:60],
                "message": str(data.get("message") or "")[:1000],
            }
            self.acks.append(entry)
            message = self.messages.get(delivery["message_id"])
            if message is not None:
                message["acks"].append(entry)
        return 200, entry

    def ack_many(self, data: dict) -> tuple[int, dict]:
        items = data.get("acks") if isinstance(data, dict) else None
        if not isinstance(items, list) or not 1 <= len(items) <= 200:
            return 400, {"error": "acks phải là danh sách từ 1 đến 200 xác nhận.", "reason": "invalid"}
        answers = []
        for item in items:
            if not isinstance(item, dict) or not isinstance(item.get("delivery_id"), int):
                answers.append({"error": "Thiếu delivery_id.", "reason": "invalid"})
                continue
            _status, entry = self.ack(item["delivery_id"], item)
            answers.append(entry if _status == 200 else {"delivery_id": item["delivery_id"], **entry})
        return 200, {"acks": answers}

    def message(self, message_id: str) -> tuple[int, dict]:
        with self.lock:
            message = self.messages.get(message_id)
            if message is None:
                return 404, {"error": "Không có gói tin này.", "reason": "unknown"}
            return 200, {"message_id": message_id, **message}

    # --- WSGI -----------------------------------------------------------------------------------

    def __call__(self, environ, start_response):
        method = environ["REQUEST_METHOD"]
        path = environ.get("PATH_INFO", "")
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > self.max_bytes:
            return self.json(start_response, 413, {"error": "Gói tin quá lớn.", "reason": "too_large"})
        body = environ["wsgi.input"].read(length) if length else b""
        try:
            if path == "/healthz":
                return self.json(start_response, 200, {"ok": True, "down": self.faults["down"]})
            if path == "/_hub/faults" and method == "POST":
                data = json.loads(body or b"{}")
                with self.lock:
                    for key in ("down",):
                        if key in data:
                            self.faults[key] = bool(data[key])
                    for key in ("duplicate", "forge"):
                        if key in data:
                            self.faults[key] = max(0, int(data[key]))
                    return self.json(start_response, 200, dict(self.faults))
            if path == "/_hub/log":
                with self.lock:
                    return self.json(
                        start_response,
                        200,
                        {"messages": self.messages, "acks": self.acks, "faults": self.faults},
                    )
            if path.startswith("/api/") and self.faults["down"]:
                return self.json(
                    start_response, 503, {"error": "Trục liên thông tạm ngừng.", "reason": "down"}
                )
            if path == "/api/packets" and method == "POST":
                return self.json(start_response, *self.submit(body))
            if (m := _PENDING.match(path)) and method == "GET":
                query = dict(parse_qsl(environ.get("QUERY_STRING", "")))
                lease = float(query["lease"]) if query.get("lease") else None
                return self.json(
                    start_response, 200, self.pending(m.group(1), int(query.get("limit") or 20), lease)
                )
            if (m := _ENVELOPE.match(path)) and method == "GET":
                envelope = self.envelope(int(m.group(1)))
                if envelope is None:
                    return self.json(
                        start_response,
                        404,
                        {"error": "Không có lượt chuyển này (đã xác nhận?).", "reason": "unknown"},
                    )
                start_response(
                    "200 OK", [("Content-Type", "application/xml"), ("Content-Length", str(len(envelope)))]
                )
                return [envelope]
            if path == "/api/deliveries/ack" and method == "POST":
                return self.json(start_response, *self.ack_many(json.loads(body or b"{}")))
            if (m := _ACK.match(path)) and method == "POST":
                return self.json(start_response, *self.ack(int(m.group(1)), json.loads(body or b"{}")))
            if (m := _MESSAGE.match(path)) and method == "GET":
                return self.json(start_response, *self.message(m.group(1).lower()))
        except (ValueError, TypeError) as exc:
            return self.json(
                start_response, 400, {"error": f"Yêu cầu không hợp lệ: {exc}", "reason": "invalid"}
            )
        return self.json(start_response, 404, {"error": "Không có địa chỉ này.", "reason": "not_found"})

    def json(self, start_response, status: int, data):
        phrases = {
            200: "OK",
            202: "Accepted",
            400: "Bad Request",
            404: "Not Found",
            413: "Too Large",
            503: "Down",
        }
        body = json.dumps(data, ensure_ascii=False).encode()
        start_response(f"{status} {phrases.get(status, 'Status')}", [("Content-Type", "application/json")])
        return [body]


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 — stdlib signature
        sys.stderr.write("exchange hub: " + (format % args) + "\n")


class ThreadingWSGIServer(socketserver.ThreadingMixIn, WSGIServer):
    daemon_threads = True
    allow_reuse_address = True


def make_hub_server(host: str, port: int, hub: Hub | None = None):
    """A server (not yet serving) for ``hub``; tests run ``serve_forever`` in a thread."""
    return make_server(
        host, port, hub or Hub(), server_class=ThreadingWSGIServer, handler_class=_QuietHandler
    )


def serve(*, host: str, port: int, max_bytes: int) -> None:
    with make_hub_server(host, port, Hub(max_bytes=max_bytes)) as server:
        print(f"Trục liên thông văn bản thử nghiệm (edXML): http://{host}:{port}/api/packets", flush=True)
        server.serve_forever()
