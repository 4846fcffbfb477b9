"""National Public Service Portal push (ADR 0168): dossier status events delivered by two
``congso integration worker`` processes to the national portal sandbox (its own process), without
faults and with every fault injected.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/congso .venv/bin/python bench/bench_national.py \
        [--events 10000] [--dossiers 1000] [--faults timeout=0.01,error=0.03,duplicate_ack=0.03,out_of_order=0.03]

Runs against a throw-away database (``bench_national_<name>``, created and dropped here). Prints the
delivery rate and checks the sandbox's log: every idempotency key applied once, and the final status of
every dossier that of its last event.
"""

import argparse
import json
import os
import random
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "congso.settings")
os.environ.setdefault("CONGSO_AXES_ENABLED", "false")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

SECRET = "bench-national-secret-0123456789"


def get(url, data=None):
    request = urllib.request.Request(  # noqa: S310 — the local sandbox
        url,
        data=json.dumps(data).encode() if data is not None else None,
        headers={"Content-Type": "application/json"},
        method="POST" if data is not None else "GET",
    )
    with urllib.request.urlopen(request, timeout=60) as answer:  # noqa: S310
        return json.loads(answer.read())


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_delivered(timeout=3600):
    from congso.integration.models import Delivery

    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        if not Delivery.objects.exclude(status="delivered").exists():
            return time.perf_counter() - start
        time.sleep(0.1)
    raise SystemExit(f"not delivered after {timeout} s")


def queue(n, dossiers, rng, offset=0):
    from congso.integration import outbox
    from congso.integration.national.messages import national_status

    expected = {}
    with transaction.atomic():
        for i in range(n):
            code = f"H21.23575-270301-{(i % dossiers) + offset:05d}"
            status = rng.randint(1, 10)
            outbox.publish(
                "dossier.status_changed",
                "dossier",
                code,
                {"dossier": code, "to_status": status, "national_status": national_status(status)},
            )
            expected[code] = national_status(status)
    return expected


def check(url, expected, label):
    from congso.integration.models import OutboxEvent

    log = get(url + "/_sandbox/log")
    keys = {str(k) for k in OutboxEvent.objects.values_list("idempotency_key", flat=True)}
    once = all(a["applied"] == 1 for a in log["applied"].values())
    statuses = {code: log["dossiers"].get(code, {}).get("status") for code in expected}
    wrong = sum(1 for code in expected if statuses[code] != expected[code])
    repeats = sum(a["received"] for a in log["applied"].values()) - len(log["applied"])
    print(
        f"  {label}: keys missing {len(keys - set(log['applied']))}, applied more than once {not once}, "
        f"wrong final status {wrong}, repeats received {repeats}, faults {log['faults']}"
    )
    assert keys <= set(log["applied"]) and once and not wrong


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=10000)
    parser.add_argument("--dossiers", type=int, default=1000)
    parser.add_argument("--faults", default="timeout=0.01,error=0.03,duplicate_ack=0.03,out_of_order=0.03")
    args = parser.parse_args()

    setup_test_environment()
    db = connection.settings_dict
    old_name = db["NAME"]
    db.setdefault("TEST", {})["NAME"] = f"bench_national_{old_name}"
    connection.creation.create_test_db(verbosity=0, keepdb=False)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    sandbox = subprocess.Popen(
        [sys.executable, "-m", "congso.integration.national.sandbox", "--port", str(port)]
        + ["--secret", SECRET, "--hang", "1.0", "--seed", "1"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    procs = []
    try:
        from congso.integration.models import OutboxEvent
        from congso.integration.national.connection import connect

        for _ in range(100):
            try:
                get(url + "/healthz")
                break
            except OSError:
                time.sleep(0.1)
        connect(None, url=url, secret=SECRET)
        wenv = {
            **env,
            "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
            "CONGSO_WEBHOOK_ALLOW_PRIVATE": "true",
            "CONGSO_OUTBOX_RETRY_SECONDS": "0.1",
            "CONGSO_OUTBOX_RETRY_MAX_SECONDS": "2",
            "CONGSO_OUTBOX_MAX_ATTEMPTS": "1000",
            "CONGSO_NATIONAL_TIMEOUT_SECONDS": "0.5",
        }
        procs = [
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "congso.cli",
                    "integration",
                    "worker",
                    "--idle",
                    "0.05",
                    "--name",
                    f"b{i}",
                ],
                cwd=ROOT,
                env=wenv,
                stdout=subprocess.DEVNULL,
            )
            for i in range(2)
        ]
        rng = random.Random(1)
        queue(1, 1, rng, offset=99999)  # warm-up: both workers up and idle
        wait_delivered(300)
        for label, faults in (("no faults", ""), ("every fault", args.faults)):
            OutboxEvent.objects.all().delete()
            get(url + "/_sandbox/reset", {})
            get(url + "/_sandbox/faults", {"faults": faults})
            t = time.perf_counter()
            expected = queue(args.events, args.dossiers, rng)
            print(
                f"{label}: queued {args.events} events of {args.dossiers} dossiers in {time.perf_counter() - t:.1f} s"
            )
            took = wait_delivered()
            print(
                f"  pushed {args.events} events in {took:.1f} s = {args.events / took:.0f} events/s (2 workers)"
            )
            check(url, expected, label)
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            p.wait(60)
        sandbox.terminate()
        sandbox.wait(30)
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
