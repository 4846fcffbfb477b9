"""The integration outbox (ADR 0154): write cost per event, delivery rate with two worker processes,
and catch-up after the receiver was down.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/congso .venv/bin/python bench/bench_outbox.py \
        [--events 20000] [--catchup 100000] [--dossiers 2000]

Runs against a throw-away database (``bench_outbox_<name>``, created and dropped here), a local
receiver (an HTTP/1.1 keep-alive server in this process) and two ``congso integration worker``
processes. Prints medians/p95 and rates; checks none lost and, per dossier, first arrivals in order.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "congso.settings")
os.environ.setdefault("CONGSO_AXES_ENABLED", "false")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


class Receiver:
    def __init__(self):
        self.got = []  # (aggregate id, sequence, key)
        self.lock = threading.Lock()
        self.down = False
        state = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                if state.down:
                    code = 503
                else:
                    data = json.loads(body)
                    with state.lock:
                        state.got.append((data["aggregate"]["id"], data["sequence"], data["id"]))
                    code = 200
                self.send_response(code)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks"


def workers(n, env):
    return [
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
                f"bench-{i}",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
        )
        for i in range(n)
    ]


def stop(procs):
    for p in procs:
        p.terminate()
    for p in procs:
        p.wait(60)


def wait_delivered(total, timeout=3600):
    from congso.integration.models import Delivery

    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        left = Delivery.objects.exclude(status="delivered").count()
        if left == 0:
            return time.perf_counter() - start
        time.sleep(0.1)
    raise SystemExit(f"not delivered after {timeout} s: {left} of {total} left")


def check(receiver, expected_keys, label):
    first = {}
    for aggregate, seq, key in receiver.got:
        first.setdefault(key, (aggregate, seq))
    lost = expected_keys - set(first)
    per = {}
    for aggregate, seq in first.values():
        per.setdefault(aggregate, []).append(seq)
    disorder = sum(1 for seqs in per.values() if seqs != sorted(seqs))
    repeats = len(receiver.got) - len(first)
    print(f"  {label}: lost {len(lost)}, dossiers out of order {disorder}, repeats (at least once) {repeats}")
    assert not lost and not disorder


def queue(n, dossiers, offset=0):
    from congso.integration import outbox

    with transaction.atomic():
        for i in range(n):
            code = f"H21.23575-270301-{(i % dossiers) + offset:05d}"
            outbox.publish("dossier.status_changed", "dossier", code, {"dossier": code, "i": i})


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=20000)
    parser.add_argument("--catchup", type=int, default=100000)
    parser.add_argument("--dossiers", type=int, default=2000)
    parser.add_argument("--write-samples", type=int, default=2000)
    args = parser.parse_args()

    setup_test_environment()
    db = connection.settings_dict
    old_name = db["NAME"]
    db.setdefault("TEST", {})["NAME"] = f"bench_outbox_{old_name}"
    connection.creation.create_test_db(verbosity=0, keepdb=False)
    receiver = Receiver()
    procs = []
    try:
        from congso.integration import outbox
        from congso.integration.models import Delivery, OutboxEvent, Subscriber

        Subscriber.objects.create(
            name="bench", url=receiver.url, secret="bench-secret-0123456789", event_types=["*"]
        )
        cause = Subscriber.objects.create(name="cause", url=receiver.url, secret="x" * 20, active=False)
        # 1. write cost: publish() inside a transaction (one subscriber), and the same transaction without it
        with_event, without = [], []
        for i in range(args.write_samples):
            start = time.perf_counter()
            with transaction.atomic():
                Subscriber.objects.filter(pk=cause.pk).update(name=f"cause {i}")  # the cause's own write
                outbox.publish("dossier.status_changed", "dossier", f"W{i % 100}", {"i": i})
            with_event.append(time.perf_counter() - start)
            start = time.perf_counter()
            with transaction.atomic():
                Subscriber.objects.filter(pk=cause.pk).update(name=f"cause {i}.")
            without.append(time.perf_counter() - start)
        added = [(a - b) * 1000 for a, b in zip(with_event, without, strict=True)]
        ms = [s * 1000 for s in with_event]
        print(
            f"write: transaction with one event median {statistics.median(ms):.3f} ms p95 {pct(ms, 95):.3f} ms; "
            f"added by the event median {statistics.median(added):.3f} ms p95 {pct(added, 95):.3f} ms "
            f"(n={args.write_samples})"
        )
        # the statement alone, inside one open transaction (what the cause waits for before its commit)
        inside = []
        with transaction.atomic():
            for i in range(args.write_samples):
                start = time.perf_counter()
                outbox.publish("dossier.status_changed", "dossier", f"X{i % 100}", {"i": i})
                inside.append((time.perf_counter() - start) * 1000)
        print(
            f"write: publish() inside an open transaction median {statistics.median(inside):.3f} ms "
            f"p95 {pct(inside, 95):.3f} ms (n={args.write_samples})"
        )
        OutboxEvent.objects.all().delete()

        env = {
            **os.environ,
            "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
            "CONGSO_WEBHOOK_ALLOW_PRIVATE": "true",
            "CONGSO_OUTBOX_RETRY_SECONDS": "1",
            "CONGSO_OUTBOX_RETRY_MAX_SECONDS": "4",
            "PYTHONPATH": str(ROOT),
        }
        env.pop("DJANGO_SETTINGS_MODULE", None)
        procs = workers(2, env)
        queue(1, 1, offset=99999)  # warm-up: both workers up and idle
        wait_delivered(1, timeout=300)

        # 2. delivery rate, 2 workers
        receiver.got.clear()
        t = time.perf_counter()
        queue(args.events, args.dossiers)
        print(f"queued {args.events} events of {args.dossiers} dossiers in {time.perf_counter() - t:.1f} s")
        keys = {
            str(k)
            for k in OutboxEvent.objects.filter(aggregate_id__startswith="H21")
            .exclude(aggregate_id__endswith="99999")
            .values_list("idempotency_key", flat=True)
        }
        took = wait_delivered(args.events)
        print(
            f"delivery: {args.events} events in {took:.1f} s = {args.events / took:.0f} events/s (2 workers)"
        )
        check(receiver, keys, "delivery")

        # 3. catch-up: the receiver answers 503 while events pile up, then comes back
        OutboxEvent.objects.all().delete()
        receiver.got.clear()
        receiver.down = True
        t = time.perf_counter()
        queue(args.catchup, args.dossiers, offset=10000)
        print(f"queued {args.catchup} events while the receiver was down, in {time.perf_counter() - t:.1f} s")
        deadline = time.perf_counter() + 60
        while not Delivery.objects.filter(attempts__gt=0).exists() and time.perf_counter() < deadline:
            time.sleep(0.1)
        time.sleep(2)  # the workers keep failing and backing off for a while
        failed = Delivery.objects.filter(attempts__gt=0).count()
        receiver.down = False
        keys = {str(k) for k in OutboxEvent.objects.values_list("idempotency_key", flat=True)}
        took = wait_delivered(args.catchup)
        print(
            f"catch-up: {args.catchup} events ({failed} had failed while down) delivered {took:.1f} s after the "
            f"receiver returned = {args.catchup / took:.0f} events/s"
        )
        check(receiver, keys, "catch-up")
    finally:
        stop(procs)
        receiver.server.shutdown()
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
