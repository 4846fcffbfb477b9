"""Benchmark of the working-day calendar (congso/calendar/engine.py).

    .venv/bin/python bench/bench_core_calendar.py

Uses a throw-away SQLite database (unless DATABASE_URL is set) migrated on the fly. Prints medians
and p95 of: building one (province, year) from scratch, one deadline, one status, and an inbox of
5,000 dossiers' statuses computed with one calendar object (due moments computed or stored).
"""

import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "congso.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

from congso.calendar import cache  # noqa: E402
from congso.calendar import engine as calendar  # noqa: E402

call_command("migrate", verbosity=0)
VN = calendar.get_calendar().tz


def timed(func, repeat):
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        samples.append(time.perf_counter() - start)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


def fmt(seconds):
    return f"{seconds * 1e6:9.1f} µs" if seconds < 1e-3 else f"{seconds * 1e3:9.2f} ms"


def cold_year():
    cache.invalidate()
    calendar.get_calendar().is_working_day(dt.date(2027, 6, 1))


rng = random.Random(2027)
received = [
    dt.datetime(2026, 1, 1, tzinfo=VN) + dt.timedelta(minutes=rng.randrange(0, 730 * 24 * 60))
    for _ in range(5000)
]
allowances = [calendar.days(rng.choice([1, 3, 5, 10, 15, 20, 30])) for _ in received]
now = dt.datetime(2027, 2, 12, 10, 0, tzinfo=VN)

cal = calendar.get_calendar()
for year in (2026, 2027, 2028):
    cal.is_working_day(dt.date(year, 1, 2))
i = iter(range(10**9))


def one_due():
    k = next(i) % len(received)
    cal.due_at(received[k], allowances[k])


def one_status_module_level():
    k = next(i) % len(received)
    calendar.status_at(calendar.due_at(received[k], allowances[k]), now)


def one_due_with_pause():
    k = next(i) % len(received)
    r = received[k]
    cal.due_at(r, allowances[k], [(r + dt.timedelta(days=1), r + dt.timedelta(days=4))])


def inbox():
    c = calendar.get_calendar()
    for r, a in zip(received, allowances, strict=True):
        c.status_at(c.due_at(r, a), now)


dues = [cal.due_at(r, a) for r, a in zip(received, allowances, strict=True)]


def inbox_stored_dues():
    c = calendar.get_calendar()
    for due in dues:
        c.status_at(due, now)


rows = [
    ("build one (province, year) from scratch", timed(cold_year, 30)),
    ("due_at, warm cache", timed(one_due, 5000)),
    ("due_at with one pause, warm cache", timed(one_due_with_pause, 5000)),
    ("status_at(due_at(...)) via module functions", timed(one_status_module_level, 5000)),
    ("inbox: 5,000 due + status with one calendar", timed(inbox, 7)),
    ("inbox: 5,000 statuses of stored due moments", timed(inbox_stored_dues, 7)),
]
print(f"{'operation':<48} {'median':>12} {'p95':>12}")
for name, (median, p95) in rows:
    print(f"{name:<48} {fmt(median):>12} {fmt(p95):>12}")
