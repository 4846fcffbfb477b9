"""Done when (issue 20): 10,000 dossier events go to the national portal sandbox — its own process —
while it injects each of its faults (timeouts, 5xx answers, duplicate acknowledgements, out-of-order
replies) and a worker is killed with kill -9. The sandbox ends with exactly the right final status for
every dossier, and its log shows every idempotency key applied exactly once. A dossier filed in the
sandbox then appears in the local one-stop with its code (PostgreSQL, real processes; ~1 minute)."""

import json
import os
import random
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest
from django.db import connection, transaction

from congso.dossiers.models import Dossier
from congso.integration import outbox
from congso.integration.models import Delivery, OutboxEvent
from congso.integration.national.messages import national_status

from .national_helpers import SECRET, connect_to
from .test_kill_worker import DEADLINE, ROOT, wait_for

# ~1 minute on a quiet machine; a loaded CI runner (8 jobs on 2 cores) needs longer than the default
pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True), pytest.mark.timeout(900)]
DOSSIERS, STEPS = 1000, 10  # 10,000 events
FAULTS = "timeout=0.01,error=0.03,duplicate_ack=0.03,out_of_order=0.03"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url):
    with urllib.request.urlopen(url, timeout=30) as answer:  # noqa: S310 — the local sandbox
        return json.loads(answer.read())


def post(url, data):
    request = urllib.request.Request(  # noqa: S310
        url, data=json.dumps(data).encode(), headers={"Content-Type": "application/json"}, method="POST"
    )
    with urllib.request.urlopen(request, timeout=60) as answer:  # noqa: S310
        return json.loads(answer.read())


def start_worker(name):
    """A worker process with the national timeout and no dead letters (every fault is transient)."""
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "CONGSO_WEBHOOK_ALLOW_PRIVATE": "true",
        "CONGSO_OUTBOX_LEASE_SECONDS": "5",
        "CONGSO_OUTBOX_RETRY_SECONDS": "0.05",
        "CONGSO_OUTBOX_RETRY_MAX_SECONDS": "1",
        "CONGSO_OUTBOX_MAX_ATTEMPTS": "1000",
        "CONGSO_NATIONAL_TIMEOUT_SECONDS": "0.5",
        "PYTHONPATH": str(ROOT),
    }
    if db.get("PASSWORD"):
        env["DATABASE_URL"] = env["DATABASE_URL"].replace(f"{db['USER']}@", f"{db['USER']}:{db['PASSWORD']}@")
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.Popen(
        [sys.executable, "-m", "congso.cli", "integration", "worker"]
        + ["--threads", "8", "--batch", "200", "--idle", "0.05", "--name", name],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


@pytest.fixture
def sandbox_process(live_server):
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "congso.integration.national.sandbox",
            "--port",
            str(port),
            "--secret",
            SECRET,
            "--inbound-url",
            f"{live_server.url}/api/v1/integration/national/inbound",
            "--faults",
            FAULTS,
            "--hang",
            "1.0",
            "--seed",
            "20",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"

    def up():
        try:
            return get(url + "/healthz")["ok"]
        except OSError:
            return False

    wait_for(up, "the sandbox to listen")
    yield url
    process.terminate()
    process.wait(30)


def test_ten_thousand_events_through_faults_and_a_killed_worker(sandbox_process, agencies, procedure_version):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL=postgres://…): several processes share the database")
    connect_to(sandbox_process)
    rng = random.Random(20)
    expected = {}
    with transaction.atomic():
        for _step in range(STEPS):
            for n in range(DOSSIERS):
                code = f"H21.23575-270301-{n:04d}"
                status = rng.choice((1, 2, 3, 4, 5, 6, 7, 8, 9, 10))
                outbox.publish(
                    "dossier.status_changed",
                    "dossier",
                    code,
                    {"dossier": code, "to_status": status, "national_status": national_status(status)},
                )
                expected[code] = national_status(status)
    assert OutboxEvent.objects.count() == Delivery.objects.count() == DOSSIERS * STEPS

    first = start_worker("worker-1")
    try:
        wait_for(lambda: len(get(sandbox_process + "/_sandbox/log")["applied"]) >= 2000, "the first worker")
        first.send_signal(signal.SIGKILL)
        first.wait(30)
    finally:
        if first.poll() is None:
            first.kill()
    assert first.returncode == -signal.SIGKILL
    assert Delivery.objects.exclude(status=Delivery.Status.DELIVERED).exists()

    others = [start_worker("worker-2"), start_worker("worker-3")]
    try:
        started = time.monotonic()
        wait_for(
            lambda: not Delivery.objects.exclude(status=Delivery.Status.DELIVERED).exists(),
            "the other workers to finish",
            timeout=max(DEADLINE, 600),
        )
        print(f"delivered in {time.monotonic() - started:.1f} s after the kill")  # noqa: T201
    finally:
        for w in others:
            w.send_signal(signal.SIGTERM)
        for w in others:
            try:
                w.wait(60)
            except subprocess.TimeoutExpired:
                w.kill()

    log = get(sandbox_process + "/_sandbox/log")
    keys = {str(k) for k in OutboxEvent.objects.values_list("idempotency_key", flat=True)}
    assert set(log["applied"]) == keys  # every key applied, and no other
    assert all(entry["applied"] == 1 for entry in log["applied"].values())
    assert {code: d["status"] for code, d in log["dossiers"].items()} == expected
    assert all(log["faults"][name] > 0 for name in ("timeout", "error", "duplicate_ack", "out_of_order"))
    assert sum(entry["received"] for entry in log["applied"].values()) > len(keys)  # duplicates arrived

    # inbound: a dossier filed on the "national portal" appears in the local one-stop with its code
    applicant = {"name": "Trần Thị Bình", "id_number": "052195004321", "phone": "0905111222"}
    filed = post(
        sandbox_process + "/_sandbox/file",
        {"procedure": "1.001193", "agency": "H21.23575", "applicant": applicant},
    )
    assert filed["status"] == 202 and filed["answer"]["status"] == "received", filed
    dossier = Dossier.objects.get(code=filed["code"])
    assert dossier.receiving_agency == agencies["ward"] and dossier.status == 1
    assert dossier.applicant_name == "Trần Thị Bình"
    replay = post(sandbox_process + "/_sandbox/resend", {"message_id": filed["message_id"]})
    assert replay["status"] == 409
    forged = post(sandbox_process + "/_sandbox/resend", {"message_id": filed["message_id"], "forge": True})
    assert forged["status"] == 401
    assert Dossier.objects.filter(code=filed["code"]).count() == 1
