"""The national portal sandbox in a thread (for fast tests) and a signed inbound message."""

import json
import threading
import time
import uuid

from congso.integration.national import messages, sandbox
from congso.integration.national.connection import connect

SECRET = "khoa-dung-chung-cong-quoc-gia-2026"


class SandboxThread:
    def __init__(self, **kw):
        self.portal = sandbox.Portal(secret=SECRET, **kw)
        self.server = sandbox.Server(("127.0.0.1", 0), sandbox.make_handler(self.portal))
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def filing(code="H21.23575-270301-QG0001", procedure="1.001193", agency="H21.23575", **extra) -> dict:
    return {
        "message_id": str(uuid.uuid4()),
        "type": "dossier.filed",
        "sent_at": "2027-03-01T08:00:00+07:00",
        "dossier": {
            "code": code,
            "procedure": procedure,
            "agency": agency,
            "channel": 2,
            "submitted_at": "2027-03-01T08:00:00+07:00",
            "applicant": {
                "name": "Trần Thị Bình",
                "id_number": "052195004321",
                "phone": "0905111222",
                "email": "binh.tran@example.vn",
                "address": "Tổ 5, phường Pleiku, tỉnh Gia Lai",
            },
            "form": {"ho_ten_tre": "Trần Minh Khang"},
        }
        | extra,
    }


def signed(message: dict, secret: str = SECRET, timestamp: str | None = None) -> tuple[bytes, dict]:
    body = json.dumps(message, ensure_ascii=False).encode()
    headers = messages.signed_headers(secret, message["message_id"], body, timestamp or str(int(time.time())))
    return body, {"HTTP_" + k.upper().replace("-", "_"): v for k, v in headers.items() if k != "Content-Type"}


def connect_to(url: str):
    return connect(None, url=url, secret=SECRET)
