"""Queue tickets: how long taking a number and calling the next one take, alone and under contention.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/congso .venv/bin/python bench/bench_counters_queue.py

Runs against a throw-away test database (created and dropped here). Prints medians and p95 in ms.
"""

import os
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "congso.settings")
os.environ.setdefault("CONGSO_AXES_ENABLED", "false")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def report(name, samples):
    ms = [s * 1000 for s in samples]
    print(f"{name:<52} n={len(ms):<4} median={statistics.median(ms):7.2f} ms  p95={pct(ms, 95):7.2f} ms")


def threaded(n, work):
    barrier = threading.Barrier(n)
    samples = []
    lock = threading.Lock()

    def run(i):
        barrier.wait()
        start = time.perf_counter()
        work(i)
        took = time.perf_counter() - start
        with lock:
            samples.append(took)
        connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return samples


def main():
    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, keepdb=False)
    try:
        from congso.accounts.models import User
        from congso.counters import services as svc
        from congso.counters.models import Counter, TicketService
        from congso.directory.models import AdministrativeUnit, Agency, Membership, Role

        unit = AdministrativeUnit.objects.create(code="52", name="Tỉnh Gia Lai", kind="province", level=1)
        centre = Agency.objects.create(
            code="000.00.31.H21", name="Trung tâm PVHCC tỉnh Gia Lai", kind="service_centre", unit=unit
        )
        service = TicketService.objects.create(centre=centre, prefix="A", name="Hộ tịch – chứng thực")
        clerk = User.objects.create(username="quay.bench", kind="official")
        Membership.objects.create(user=clerk, agency=centre, role=Role.CLERK, valid_from="2025-07-01")
        counters = []
        for number in range(1, 9):
            counter = Counter.objects.create(centre=centre, number=number)
            counter.services.set([service])
            counters.append(counter)

        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as taken:
            svc.take_ticket(service.pk)
        with CaptureQueriesContext(connection) as called:
            first = svc.call_next(clerk, counters[0].pk)
        svc.act(clerk, first.pk, "finish")
        print(f"SQL statements: take a number {len(taken)}, call next {len(called)} (incl. audit entry)")

        samples = []
        for _ in range(200):
            start = time.perf_counter()
            svc.take_ticket(service.pk)
            samples.append(time.perf_counter() - start)
        report("take a number, one at a time", samples)

        samples = []
        for _round in range(10):
            samples += threaded(8, lambda i: svc.take_ticket(service.pk))
        report("take a number, 8 kiosks at once (same service)", samples)

        samples = []
        for _ in range(100):
            start = time.perf_counter()
            ticket = svc.call_next(clerk, counters[0].pk)
            samples.append(time.perf_counter() - start)
            svc.act(clerk, ticket.pk, "finish")
        report("call next (queue of ~280 waiting), one counter", samples)

        samples = []
        for _ in range(10):
            samples += threaded(8, lambda i: svc.call_next(clerk, counters[i].pk))
            for counter in counters:
                counter.refresh_from_db()
                svc.act(clerk, counter.last_called_id, "finish")
        report("call next, 8 counters at once", samples)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
