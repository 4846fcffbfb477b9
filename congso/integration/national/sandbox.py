"""A local sandbox of the National Public Service Portal (DVCQG), for development and tests. Runs as
its own process (ADR 0168):

    congso integration sandbox --port 8003 --secret … --inbound-url http://127.0.0.1:8000/api/v1/integration/national/inbound \\
        --faults timeout=0.02,error=0.03,duplicate_ack=0.03,out_of_order=0.03 --seed 7

Standard library only. It speaks the message shapes of ``messages.py``:

- ``POST /ngsp/v1/dossiers/sync`` (signed): a dossier's status or result. Each message id is applied
  once (a repeat is answered "duplicate"); a status older than the dossier's last applied one (a lower
  ``sequence``) is kept in its history but does not change its status. The reply lists acknowledgements:
  ``{"acks": [{"message_id", "outcome", "sequence"}]}``.
- ``POST /ngsp/v1/dossiers/status`` (signed, ``{"codes": [...]}``): the portal's record of those
  dossiers, for reconciliation.

Fault injection, per run (``--faults`` or ``POST /_sandbox/faults``), each a probability per message:

- ``timeout``: the reply is held ``--hang`` seconds (longer than the sender waits); the message is
  applied before or after the wait, at random;
- ``error``: a 500/502/503 answer; in half of the cases the message was applied first;
- ``duplicate_ack``: the message is applied and the reply acknowledges it twice, with a repeat of an
  earlier acknowledgement first;
- ``out_of_order``: the reply carries another message's acknowledgement (replies crossed); this
  message's own acknowledgement is missing, whether or not it was applied.

Test hooks: ``GET /_sandbox/log`` (every applied message id with how many times it was received and
applied, the final status of every dossier, the faults injected); ``POST /_sandbox/file`` files a
dossier on the "national portal" and sends it, signed, to ``--inbound-url``; ``POST /_sandbox/resend``
sends an earlier filing again, unchanged (a replay), and ``forge: true`` signs with a wrong secret;
``POST /_sandbox/reset`` forgets everything; ``POST /_sandbox/set-status`` changes a dossier's status on
the portal side only (a difference for the reconciliation to find).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from . import messages

FAULTS = ("timeout", "error", "duplicate_ack", "out_of_order")


def parse_faults(text: str) -> dict[str, float]:
    """``timeout=0.02,error=0.03`` → {"timeout": 0.02, "error": 0.03}; unknown names are refused."""
    faults: dict[str, float] = {}
    for part in (text or "").split(","):
        if not part.strip():
            continue
        name, _, value = part.partition("=")
        name = name.strip()
        if name not in FAULTS:
            raise ValueError(f"unknown fault {name!r}; known: {', '.join(FAULTS)}")
        faults[name] = float(value or 0)
    return faults


class Portal:
    """The sandbox's state: applied message ids, dossiers, filings sent out, faults injected."""

    def __init__(self, *, secret: str, inbound_url: str = "", faults=None, hang: float = 2.0, seed=None):
        self.secret = secret
        self.inbound_url = inbound_url
        self.faults = dict(faults or {})
        self.hang = hang
        self.random = random.Random(seed)  # noqa: S311 — fault injection, not a secret
        self.lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        self.applied: dict[str, dict] = {}  # message id → what it was, times received and applied
        self.dossiers: dict[str, dict] = {}  # code → status, sequence, history, results
        self.filed: dict[str, dict] = {}  # message id → a filing sent to the local one-stop
        self.injected = dict.fromkeys(FAULTS, 0)
        self.refused = 0
        self.last_ack: dict | None = None
        self.sequence = 0

    # --- the portal's side of the sync ---------------------------------------------------------

    def apply(self, message: dict) -> dict:
        """Apply one message once; returns its acknowledgement."""
        key = str(message.get("message_id") or "")
        with self.lock:
            seen = self.applied.get(key)
            if seen is not None:
                seen["received"] += 1
                return {"message_id": key, "outcome": "duplicate", "sequence": seen["sequence"]}
            kind = message.get("type")
            sequence = int(message.get("sequence") or 0)
            record = {"type": kind, "sequence": sequence, "received": 1, "applied": 1, "dossier": None}
            self.applied[key] = record
            if kind in ("status", "result"):
                data = message.get("dossier") or {}
                code = str(data.get("code") or "")
                record["dossier"] = code
                dossier = self.dossiers.setdefault(
                    code, {"status": None, "sequence": 0, "history": [], "results": []}
                )
                for name in ("procedure", "receiving_agency", "channel", "received_at"):
                    if data.get(name) not in (None, ""):
                        dossier[name] = data[name]
                if kind == "status":
                    dossier["history"].append([sequence, data.get("status")])
                    if sequence > dossier["sequence"]:  # an older status never overwrites a newer one
                        dossier["sequence"] = sequence
                        dossier["status"] = data.get("status")
                        for name in ("processing_agency", "due_at", "finished_at", "at"):
                            if data.get(name) not in (None, ""):
                                dossier[name] = data[name]
                else:
                    dossier["results"].append(message.get("result") or {})
            ack = {"message_id": key, "outcome": "applied", "sequence": sequence}
            return ack

    def fault(self) -> str | None:
        with self.lock:
            roll = self.random.random()
            edge = 0.0
            for name in FAULTS:
                edge += self.faults.get(name, 0.0)
                if roll < edge:
                    self.injected[name] += 1
                    return name
        return None

    def sync(self, message: dict) -> tuple[int, dict | None]:
        """(HTTP status, reply body or None for no reply at all) for one sync message."""
        fault = self.fault()
        if fault == "timeout":
            before = self.random.random() < 0.5
            if before:
                self.apply(message)
            time.sleep(self.hang)
            if not before:
                self.apply(message)
            return 0, None
        if fault == "error":
            if self.random.random() < 0.5:
                self.apply(message)
            return self.random.choice((500, 502, 503)), {"error": "Hệ thống đang bận, thử lại sau."}
        if fault == "out_of_order":
            if self.random.random() < 0.5:
                self.apply(message)
            other = self.last_ack or {"message_id": str(uuid.uuid4()), "outcome": "applied", "sequence": 0}
            return 200, {"acks": [other]}
        ack = self.apply(message)
        previous, self.last_ack = self.last_ack, ack
        if fault == "duplicate_ack":
            return 200, {"acks": [previous or ack, ack, ack]}
        return 200, {"acks": [ack]}

    def statuses(self, codes) -> dict:
        with self.lock:
            return {
                code: {"status": self.dossiers[code]["status"], "sequence": self.dossiers[code]["sequence"]}
                for code in codes
                if code in self.dossiers
            }

    def log(self) -> dict:
        with self.lock:
            return {
                "applied": self.applied,
                "dossiers": {
                    code: {k: v for k, v in d.items() if k != "history"} | {"history": d["history"][-20:]}
                    for code, d in self.dossiers.items()
                },
                "faults": self.injected,
                "refused": self.refused,
                "filed": {
                    k: {"code": v["dossier"]["code"], "answers": v["answers"]} for k, v in self.filed.items()
                },
            }

    # --- dossiers filed on the portal (inbound to the local one-stop) --------------------------

    def file(self, data: dict) -> dict:
        """File a dossier "on the national portal" and send it to the local one-stop."""
        agency = str(data.get("agency") or "")
        now = dt.datetime.now(dt.UTC)
        with self.lock:
            self.sequence += 1
            code = data.get("code") or f"{agency}-{now:%y%m%d}-QG{self.sequence:04d}"
        message = {
            "message_id": str(uuid.uuid4()),
            "type": "dossier.filed",
            "sent_at": now.isoformat(),
            "dossier": {
                "code": code,
                "procedure": str(data.get("procedure") or ""),
                "agency": agency,
                "channel": 2,
                "submitted_at": now.isoformat(),
                "applicant": data.get("applicant") or {},
                "form": data.get("form") or {},
            },
        }
        with self.lock:
            self.filed[message["message_id"]] = {
                "dossier": message["dossier"],
                "message": message,
                "answers": [],
            }
            self.dossiers.setdefault(code, {"status": 1, "sequence": 0, "history": [[0, 1]], "results": []})
        return self.send_filing(message["message_id"], forge=bool(data.get("forge")))

    def send_filing(self, message_id: str, *, forge: bool = False) -> dict:
        entry = self.filed.get(message_id)
        if entry is None:
            return {"error": "unknown message_id"}
        body = json.dumps(entry["message"], ensure_ascii=False).encode()
        headers = messages.signed_headers(("forged-" if forge else "") + self.secret, message_id, body)
        request = urllib.request.Request(self.inbound_url, data=body, headers=headers, method="POST")  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 — configured URL
                status, text = response.status, response.read().decode()
        except urllib.error.HTTPError as exc:
            status, text = exc.code, exc.read().decode(errors="replace")
        except (urllib.error.URLError, OSError) as exc:
            status, text = 0, str(exc)
        try:
            answer = json.loads(text)
        except ValueError:
            answer = {"text": text[:500]}
        with self.lock:
            entry["answers"].append({"status": status, "answer": answer})
        return {
            "code": entry["dossier"]["code"],
            "message_id": message_id,
            "status": status,
            "answer": answer,
        }


def make_handler(portal: Portal):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive: the sender's pool reuses its connections
        # headers and body leave in one write (flushed after each request): two small writes on a
        # keep-alive connection wait ~40 ms for the peer's delayed ACK (Nagle)
        wbufsize = 65536

        def _body(self) -> bytes:
            return self.rfile.read(int(self.headers.get("Content-Length") or 0))

        def _reply(self, status: int, data) -> None:
            body = json.dumps(data, ensure_ascii=False).encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except OSError:  # the sender gave up waiting (a timeout fault)
                self.close_connection = True

        def _signed(self, body: bytes) -> dict | None:
            problem = messages.verify(portal.secret, self.headers, body)
            if problem is None:
                try:
                    return json.loads(body)
                except ValueError:
                    problem = "JSON không hợp lệ."
            with portal.lock:
                portal.refused += 1
            self._reply(401, {"error": problem})
            return None

        def do_POST(self):  # noqa: N802 — the http.server API
            body = self._body()
            path = self.path.split("?", 1)[0]
            if path == messages.SYNC_PATH:
                message = self._signed(body)
                if message is None:
                    return
                status, reply = portal.sync(message)
                if reply is None:  # a timeout: the sender stopped waiting; close without an answer
                    self.close_connection = True
                    return
                return self._reply(status, reply)
            if path == messages.STATUS_PATH:
                data = self._signed(body)
                if data is not None:
                    self._reply(200, {"dossiers": portal.statuses(data.get("codes") or [])})
                return
            data = json.loads(body or b"{}")
            if path == "/_sandbox/faults":
                try:
                    portal.faults = parse_faults(data.get("faults", ""))
                except ValueError as exc:
                    return self._reply(400, {"error": str(exc)})
                portal.hang = float(data.get("hang", portal.hang))
                return self._reply(200, {"faults": portal.faults, "hang": portal.hang})
            if path == "/_sandbox/file":
                return self._reply(200, portal.file(data))
            if path == "/_sandbox/resend":
                return self._reply(
                    200, portal.send_filing(str(data.get("message_id")), forge=bool(data.get("forge")))
                )
            if path == "/_sandbox/set-status":
                with portal.lock:
                    record = portal.dossiers.setdefault(
                        str(data.get("code")), {"status": None, "sequence": 0, "history": [], "results": []}
                    )
                    record["status"] = data.get("status")
                return self._reply(200, {"ok": True})
            if path == "/_sandbox/reset":
                with portal.lock:
                    portal.reset()
                return self._reply(200, {"ok": True})
            self._reply(404, {"error": "not found"})

        def do_GET(self):  # noqa: N802
            path = self.path.split("?", 1)[0]
            if path == "/_sandbox/log":
                return self._reply(200, portal.log())
            if path == "/healthz":
                return self._reply(200, {"ok": True})
            self._reply(404, {"error": "not found"})

        def log_message(self, format, *args):  # noqa: A002 — stdlib signature
            pass

    return Handler


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128


def serve(
    *, host: str, port: int, secret: str, inbound_url: str, faults: str = "", hang: float = 2.0, seed=None
):
    portal = Portal(secret=secret, inbound_url=inbound_url, faults=parse_faults(faults), hang=hang, seed=seed)
    with Server((host, port), make_handler(portal)) as server:
        print(
            f"Cổng Dịch vụ công quốc gia thử nghiệm: http://{host}:{server.server_address[1]} "
            f"(hồ sơ nộp → {inbound_url or '—'}; lỗi giả lập: {portal.faults or 'không'})",
            flush=True,
        )
        server.serve_forever()


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description="National Public Service Portal sandbox")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8003)
    parser.add_argument("--secret", required=True)
    parser.add_argument("--inbound-url", default="")
    parser.add_argument("--faults", default="")
    parser.add_argument("--hang", type=float, default=2.0)
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args(argv)
    serve(**vars(args))


if __name__ == "__main__":
    sys.exit(main())
