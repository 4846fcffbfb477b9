"""Dossier fixtures (a Gia Lai ward, its staff, a citizen), a system administrator and a local webhook
receiver (a real HTTP server in a thread) that records every request and answers as told."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from congso.accounts.models import User
from congso.directory.models import Membership, Role
from congso.dossiers.tests.conftest import *  # noqa: F403


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.CONGSO_WEBHOOK_ALLOW_PRIVATE = True  # the receiver listens on 127.0.0.1


@pytest.fixture
def sysadmin(agencies):
    user = User.objects.create_user(
        "qt.hethong",
        password="Mat-khau-dai-2026!",
        full_name="Phạm Minh Tuấn",
        kind="official",
        email="qt.hethong@gialai.gov.vn",
    )
    Membership.objects.create(user=user, agency=agencies["justice"], role=Role.SYSADMIN, position="Quản trị")
    return user


class Receiver:
    """What the receiver got (headers, raw body, parsed JSON) and what it answers next: ``answers`` is a
    list of status codes used in turn (then ``default``)."""

    def __init__(self):
        self.requests: list[dict] = []
        self.answers: list[int] = []
        self.default = 200
        self.delay = 0.0  # seconds to wait before answering (a slow receiver)
        self.lock = threading.Lock()
        self.url = ""

    def status(self) -> int:
        with self.lock:
            return self.answers.pop(0) if self.answers else self.default

    def bodies(self) -> list[dict]:
        return [r["json"] for r in self.requests]


@pytest.fixture
def receiver():
    state = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 — the http.server API
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            code = state.status()
            if state.delay:
                time.sleep(state.delay)
            with state.lock:
                state.requests.append(
                    {"headers": dict(self.headers), "body": body, "json": json.loads(body), "status": code}
                )
            self.send_response(code)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/congso"
    yield state
    server.shutdown()
    server.server_close()
