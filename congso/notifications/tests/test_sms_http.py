"""The HTTP SMS provider against a real local HTTP server: retries on 5xx and timeouts, never on 4xx,
and the outbox records the outcome (sent, failed and retried later, given up)."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import time_machine
from django.utils import timezone

from congso.dossiers import services
from congso.dossiers.models import Channel
from congso.dossiers.services import Applicant
from congso.notifications import sms
from congso.notifications.models import Notification
from congso.notifications.services import retry_due, send

pytestmark = pytest.mark.django_db


class Gateway:
    """A scripted SMS gateway: answers each POST with the next (status, body) or sleeps on "slow"."""

    def __init__(self):
        self.script: list = []
        self.requests: list[dict] = []
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                gateway.requests.append({"body": body, "key": self.headers.get("X-API-Key")})
                step = gateway.script.pop(0) if gateway.script else (200, {"id": "ok"})
                if step == "slow":
                    time.sleep(1.0)
                    step = (200, {"id": "late"})
                status, payload = step
                data = json.dumps(payload).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/sms/send"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def gateway(settings):
    g = Gateway()
    settings.CONGSO_SMS_BACKEND = "congso.notifications.sms.HttpBackend"
    settings.CONGSO_SMS_HTTP_URL = g.url
    settings.CONGSO_SMS_HTTP_API_KEY = "khoa-thu-nghiem-123"
    settings.CONGSO_SMS_HTTP_TIMEOUT = 0.3
    settings.CONGSO_SMS_HTTP_RETRIES = 2
    settings.CONGSO_SMS_HTTP_BACKOFF = 0.01
    yield g
    g.close()


@pytest.fixture
def sms_row(staff, agencies, procedure_version):
    """An accepted dossier whose applicant has only a phone: one queued SMS (on_commit not run)."""
    d = services.receive(
        actor=staff["clerk"],
        agency=agencies["ward"],
        procedure_version=procedure_version,
        channel=Channel.IN_PERSON,
        applicant=Applicant(name="Nguyễn Thị Hạnh", phone="0935111222"),
        accept_now=True,
    )
    return Notification.objects.get(dossier=d, channel="sms")


def test_5xx_then_success_is_retried_within_the_job(gateway, sms_row):
    gateway.script = [(503, {"error": "busy"}), (200, {"id": "msg-7781"})]
    n = send(sms_row.pk)
    assert (n.status, n.attempts, n.provider, n.provider_ref) == ("sent", 1, "sms:http", "msg-7781")
    assert len(gateway.requests) == 2
    first = gateway.requests[0]
    assert first["key"] == "khoa-thu-nghiem-123"
    assert first["body"]["to"] == "0935111222" and first["body"]["sender"] == "DVC GIALAI"
    assert first["body"]["reference"] == str(sms_row.pk) and "tiep nhan" in first["body"]["text"]


def test_4xx_is_not_retried_and_is_marked_failed(gateway, sms_row):
    gateway.script = [(400, {"error": "invalid number"})]
    n = send(sms_row.pk)
    assert len(gateway.requests) == 1
    assert (n.status, n.attempts, n.next_attempt_at) == ("failed", 1, None)
    assert "HTTP 400" in n.last_error and "invalid number" in n.last_error
    assert "khoa-thu-nghiem" not in n.last_error
    assert retry_due(inline=True) == 0  # a refusal waits for an administrator


def test_timeouts_are_retried_then_rescheduled(gateway, sms_row):
    gateway.script = ["slow", "slow", "slow"]
    n = send(sms_row.pk)
    assert len(gateway.requests) == 3
    assert n.status == "failed" and n.attempts == 1 and "timeout" in n.last_error
    assert n.next_attempt_at > timezone.now()


def test_failed_send_is_retried_later_and_given_up_after_the_limit(settings, gateway, sms_row):
    settings.CONGSO_SMS_HTTP_RETRIES = 0
    settings.CONGSO_NOTIFY_MAX_ATTEMPTS = 3
    gateway.script = [(500, {}), (502, {}), (200, {"id": "finally"})]
    n = send(sms_row.pk)
    assert n.status == "failed" and n.next_attempt_at
    assert retry_due(inline=True) == 0  # not due yet
    with time_machine.travel(n.next_attempt_at, tick=False):
        assert retry_due(inline=True) == 1
    n.refresh_from_db()
    assert (n.status, n.attempts) == ("failed", 2)
    with time_machine.travel(n.next_attempt_at, tick=False):
        retry_due(inline=True)
    n.refresh_from_db()
    assert (n.status, n.attempts, n.provider_ref) == ("sent", 3, "finally")

    gateway.script = [(500, {})] * 3
    again = Notification.objects.create(channel="sms", address="0935111222", event="received", body="Thu lai")
    send(again.pk)
    for _ in range(2):
        again.refresh_from_db()
        with time_machine.travel(again.next_attempt_at, tick=False):
            send(again.pk)
    again.refresh_from_db()
    assert (again.status, again.attempts, again.next_attempt_at) == ("given_up", 3, None)


def test_unreachable_gateway_is_a_temporary_failure(settings, sms_row):
    settings.CONGSO_SMS_BACKEND = "congso.notifications.sms.HttpBackend"
    settings.CONGSO_SMS_HTTP_URL = "http://127.0.0.1:9/nowhere"
    settings.CONGSO_SMS_HTTP_RETRIES = 0
    n = send(sms_row.pk)
    assert n.status == "failed" and n.next_attempt_at and "network error" in n.last_error


def test_backend_raises_the_right_errors_directly(gateway):
    backend = sms.HttpBackend()
    gateway.script = [(401, {"error": "bad key"})]
    with pytest.raises(sms.PermanentError):
        backend.send("0935111222", "Thu")
    gateway.script = [(500, {})] * 3
    with pytest.raises(sms.TemporaryError):
        backend.send("0935111222", "Thu")
    assert len(gateway.requests) == 4


def test_file_and_console_backends(settings, tmp_path, caplog, sms_row):
    settings.CONGSO_SMS_BACKEND = "congso.notifications.sms.FileBackend"
    settings.CONGSO_SMS_FILE_PATH = str(tmp_path / "sms" / "sms.jsonl")
    n = send(sms_row.pk)
    assert n.status == "sent" and n.provider == "sms:file"
    (line,) = (tmp_path / "sms" / "sms.jsonl").read_text(encoding="utf-8").splitlines()
    assert json.loads(line)["to"] == "0935111222"

    settings.CONGSO_SMS_BACKEND = "congso.notifications.sms.ConsoleBackend"
    again = Notification.objects.create(
        channel="sms", address="0935111222", event="received", body="Thu console"
    )
    with caplog.at_level("INFO", logger="congso.notifications.sms"):
        assert send(again.pk).provider == "sms:console"
    assert "Thu console" in caplog.text
