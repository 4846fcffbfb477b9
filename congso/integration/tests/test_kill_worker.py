"""A worker killed with kill -9 in the middle of delivery loses nothing (PostgreSQL, real processes).

Two hundred events of twenty dossiers are queued; a worker process delivers them to a slow receiver and
is killed with SIGKILL while requests are in flight. A second worker takes the dead one's leases once
they expire and finishes: every event is delivered, every idempotency key reached the receiver, and the
first arrival of each dossier's events is in their order (repeats are allowed: at least once).
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from congso.integration import outbox
from congso.integration.models import Delivery, OutboxEvent

from .helpers import subscriber

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[3]
DEADLINE = float(os.environ.get("CONGSO_TEST_STARTUP_SECONDS", "120"))


def wait_for(predicate, what, timeout=DEADLINE):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def start_worker(name):
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "CONGSO_WEBHOOK_ALLOW_PRIVATE": "true",
        "CONGSO_OUTBOX_LEASE_SECONDS": "3",
        "CONGSO_OUTBOX_RETRY_SECONDS": "0.1",
        "PYTHONPATH": str(ROOT),
    }
    if db.get("PASSWORD"):
        env["DATABASE_URL"] = env["DATABASE_URL"].replace(f"{db['USER']}@", f"{db['USER']}:{db['PASSWORD']}@")
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "congso.cli",
            "integration",
            "worker",
            "--threads",
            "4",
            "--batch",
            "10",
            "--idle",
            "0.1",
            "--name",
            name,
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def test_kill_9_mid_delivery_loses_nothing(receiver):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL=postgres://…): two processes share the database")
    subscriber(receiver.url)
    codes = [f"H21.23575-270301-{n:04d}" for n in range(20)]
    for step in range(10):
        for code in codes:
            outbox.publish("dossier.status_changed", "dossier", code, {"dossier": code, "step": step})
    receiver.delay = 0.05  # requests are in flight when the kill comes

    first = start_worker("worker-1")
    try:
        wait_for(lambda: len(receiver.requests) >= 40, "the first worker to deliver")
        first.send_signal(signal.SIGKILL)
        first.wait(30)
    finally:
        if first.poll() is None:
            first.kill()
    assert first.returncode == -signal.SIGKILL
    undelivered = Delivery.objects.exclude(status=Delivery.Status.DELIVERED).count()
    assert undelivered > 0, "the kill came too late to prove anything"
    assert Delivery.objects.filter(leased_until__isnull=False).exists()  # the dead worker's leases

    second = start_worker("worker-2")
    try:
        wait_for(
            lambda: not Delivery.objects.exclude(status=Delivery.Status.DELIVERED).exists(),
            "the second worker to finish",
        )
        second.send_signal(signal.SIGTERM)
        assert second.wait(60) == 0, second.stderr.read().decode()[-2000:]
    finally:
        if second.poll() is None:
            second.kill()

    keys = {str(k) for k in OutboxEvent.objects.values_list("idempotency_key", flat=True)}
    received = [r["json"] for r in receiver.requests]
    assert {r["id"] for r in received} == keys  # none lost
    for code in codes:
        seen, order = set(), []
        for r in received:
            if r["aggregate"]["id"] == code and r["id"] not in seen:
                seen.add(r["id"])
                order.append(r["sequence"])
        assert order == list(range(1, 11)), (code, order)  # first arrivals in order
