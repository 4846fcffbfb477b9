"""Benchmark citizen feedback (issue 17) on PostgreSQL: the public board's list and map, the JSON list,
Open311 ``requests.json``, and report submission with a 1 MB photo.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/congso_h17b CONGSO_VAR_DIR=/tmp/h17/var
    .venv/bin/congso demo --no-serve                                   # once: units, categories, routing
    .venv/bin/python bench/bench_feedback.py --reports 1000000 --only fill
    .venv/bin/python bench/bench_feedback.py --only explain            # EXPLAIN ANALYZE of every query
    CONGSO_FEEDBACK_TILE_URL=https://tile.example/{z}/{x}/{y}.png CONGSO_FEEDBACK_PER_IP=100000000 \\
        .venv/bin/congso serve --bind 127.0.0.1:8147                  # in another shell
    .venv/bin/python bench/bench_feedback.py --base http://127.0.0.1:8147 --only read --only submit

1. ``fill``: adds reports up to ``--reports`` in SQL (``bench/feedback_fill.py``: ``generate_series``, a
   million in a few minutes), spread over the province's communes, categories, statuses, two years, 85 %
   public, with varied Vietnamese words; then ``VACUUM ANALYZE``.
2. ``explain``: runs each query below once in-process, captures its SQL, and prints ``EXPLAIN (ANALYZE,
   BUFFERS)`` of every statement that reads ``feedback_report``: execution time and plan nodes
   (``--plans FILE``: the full plans).
3. ``read``: times each query R times (``--rounds``) from T threads (``--threads``), over HTTP with
   ``--base`` (the target: a real server), else in-process through Django's test client. Median and
   p95 per query, and the load average before and after each.
4. ``submit`` (``--base`` only): C clients (``--clients``) each post reports with a 0.96 MB JPEG through
   the page form ``/phan-anh/gui/`` (CSRF token from the form, "confirm" ticked), for S submissions in
   all: submissions per second, and the machine's CPU time per submission (``/proc/stat``: the server,
   PostgreSQL and this client together) with the throughput it allows on this machine's cores. The
   server needs a test-only allowance ``CONGSO_FEEDBACK_PER_IP`` (the per-IP limit is a setting); the
   content check and the EXIF stripping run as in production.
5. ``profile``: cProfile of S submissions in-process (``--submissions``), the top functions.
The machine is shared and noisy: read the load average printed with every figure.
"""

from __future__ import annotations

import argparse
import concurrent.futures as cf
import cProfile
import datetime as dt
import io
import os
import pstats
import re
import statistics
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def setup(db_url: str, *, migrate: bool) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "congso.settings")
    os.environ.setdefault("CONGSO_VAR_DIR", tempfile.mkdtemp(prefix="bench-feedback-"))
    os.environ["CONGSO_LOG_LEVEL"] = "WARNING"
    os.environ["DATABASE_URL"] = db_url
    import django

    django.setup()
    if migrate:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)


def load() -> str:
    return f"{os.getloadavg()[0]:.1f}"


def p95(values: list[float]) -> float:
    values = sorted(values)
    return values[max(0, int(len(values) * 0.95) - 1)]


def queries() -> list[tuple[str, str]]:
    """(label, path) of every read measured: board list (with its map when tiles are set), map API,
    JSON list, Open311."""
    from congso.directory.models import AdministrativeUnit
    from congso.feedback.selectors import board_province_code

    province = AdministrativeUnit.objects.filter(code=board_province_code(), level=1).order_by("-valid_from")[
        0
    ]
    rare = (
        AdministrativeUnit.objects.filter(parent=province, level=3, valid_to__isnull=True)
        .order_by("-pk")
        .values_list("code", flat=True)
        .first()
    )
    today = dt.date.today()
    last30 = f"start={today - dt.timedelta(days=30)}&end={today}"
    year = f"start={today - dt.timedelta(days=400)}&end={today - dt.timedelta(days=300)}"
    q = urllib.parse.quote
    return [
        ("board, unfiltered", "/phan-anh/"),
        ("board, page 50", "/phan-anh/?page=50"),
        ("board, category", "/phan-anh/?category=moi-truong"),
        ("board, category with a sub-category", "/phan-anh/?category=giao-thong"),
        ("board, busy ward", "/phan-anh/?unit=23575"),
        (f"board, small commune {rare}", f"/phan-anh/?unit={rare}"),
        ("board, commune + status", "/phan-anh/?unit=23764&status=answered"),
        ("board, status open", "/phan-anh/?status=open"),
        ("board, last 30 days", f"/phan-anh/?{last30}"),
        ("board, 100 days a year ago + category", f"/phan-anh/?{year}&category=dat-dai"),
        ("board, search `vỉa hè` (common)", f"/phan-anh/?q={q('vỉa hè')}"),
        ("board, search `hung vuong` (common)", f"/phan-anh/?q={q('hung vuong')}"),
        ("board, search `ia mo nong` (rare)", f"/phan-anh/?q={q('ia mo nong')}"),
        ("board, search `o ga` + ward", f"/phan-anh/?q={q('o ga')}&unit=23575"),
        ("board, search absent word", f"/phan-anh/?q={q('khong co tu nay')}"),
        ("map API, unfiltered", "/api/v1/feedback/map"),
        ("map API, category + last 30 days", f"/api/v1/feedback/map?category=moi-truong&{last30}"),
        ("map API, search `ia mo nong`", f"/api/v1/feedback/map?q={q('ia mo nong')}"),
        ("API list", "/api/v1/feedback/reports?limit=20"),
        ("API list, category", "/api/v1/feedback/reports?category=giao-thong&limit=20"),
        ("API list, search `vỉa hè`", f"/api/v1/feedback/reports?q={q('vỉa hè')}&limit=20"),
        ("Open311 requests.json (default)", "/open311/v2/requests.json"),
        ("Open311 requests.xml (default)", "/open311/v2/requests.xml"),
        ("Open311 requests.json?status=open", "/open311/v2/requests.json?status=open"),
        ("Open311 requests.json?service_code", "/open311/v2/requests.json?service_code=dat-dai"),
        (
            "Open311 requests.json, service_code + closed + dates",
            "/open311/v2/requests.json?service_code=moi-truong&status=closed"
            f"&start_date={today - dt.timedelta(days=500)}T00:00:00Z&end_date={today - dt.timedelta(days=420)}T00:00:00Z",
        ),
    ]


def explain(plans_file: str | None) -> None:
    from django.conf import settings
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from congso.feedback.selectors import WALK_PLANNER

    settings.CONGSO_FEEDBACK_TILE_URL = (
        settings.CONGSO_FEEDBACK_TILE_URL or "https://tile.example/{z}/{x}/{y}.png"
    )
    settings.ALLOWED_HOSTS = ["*"]
    client = Client()
    out = open(plans_file, "w") if plans_file else None  # noqa: SIM115 — closed below
    print(f"load average {load()}")
    for label, path in queries():
        client.get(path)  # warm
        with CaptureQueriesContext(connection) as ctx:
            t0 = time.perf_counter()
            resp = client.get(path)
            elapsed = (time.perf_counter() - t0) * 1000
        assert resp.status_code == 200, (path, resp.status_code)
        reads = [q["sql"] for q in ctx.captured_queries if "feedback_report" in q["sql"]]
        print(f"\n{label}: {elapsed:.1f} ms in process, {len(ctx.captured_queries)} statements")
        for sql in reads:
            with transaction.atomic(), connection.cursor() as c:
                if "row_number() OVER" in sql:  # the walk runs with its planner settings
                    for name, value in WALK_PLANNER.items():
                        c.execute("SELECT set_config(%s, %s, true)", [name, value])
                c.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
                plan = [r[0] for r in c.fetchall()]
            took = next((p for p in plan if p.startswith("Execution Time")), "")
            nodes = [
                re.sub(r"\s+\(cost=.*", "", p).strip(" ->")
                for p in plan
                if "(cost=" in p and not p.strip().startswith("SubPlan")
            ]
            print(f"  {took}  |  {' / '.join(nodes[:6])}")
            if out:
                out.write(f"-- {label}\n{sql}\n" + "\n".join(plan) + "\n\n")
    if out:
        out.close()


def read(args) -> None:
    items = queries()
    if args.base:

        def get(path):
            t0 = time.perf_counter()
            with urllib.request.urlopen(args.base + path, timeout=60) as r:  # noqa: S310 — a local URL
                r.read()
                assert r.status == 200, (path, r.status)
            return time.perf_counter() - t0

        for _label, path in items:  # warm every worker's connections and caches
            for _ in range(args.threads * 2):
                get(path)
    else:
        from django.conf import settings
        from django.test import Client

        settings.ALLOWED_HOSTS = ["*"]
        settings.CONGSO_FEEDBACK_TILE_URL = (
            settings.CONGSO_FEEDBACK_TILE_URL or "https://tile.example/{z}/{x}/{y}.png"
        )
        local = threading.local()

        def get(path):
            client = getattr(local, "client", None) or Client()
            local.client = client
            t0 = time.perf_counter()
            resp = client.get(path)
            assert resp.status_code == 200, (path, resp.status_code)
            return time.perf_counter() - t0

    where = f"over HTTP ({args.base})" if args.base else "in process"
    print(
        f"\n{args.rounds} requests per query from {args.threads} threads, {where}; "
        f"{time.strftime('%H:%M:%S', time.gmtime())} UTC"
    )
    # In process and on one thread, the CPU each request costs (this process, and its PostgreSQL server
    # process) tells what a quiet machine would answer, whatever else the shared machine runs.
    cpu = not args.base and args.threads == 1

    def backend_pid() -> int:  # of the pool's one thread: Django's connections are per thread
        from django.db import connection

        with connection.cursor() as c:
            c.execute("SELECT pg_backend_pid()")
            return c.fetchone()[0]

    print(
        "| query | median ms | p95 ms |"
        + (" CPU ms (Django + PostgreSQL) |" if cpu else "")
        + " load before → after |\n|---|---|---|"
        + ("---|" if cpu else "")
        + "---|"
    )
    every = []
    with cf.ThreadPoolExecutor(args.threads) as pool:
        backend = pool.submit(backend_pid).result() if cpu else 0
        for label, path in items:
            if not args.base:
                pool.submit(get, path).result()  # warm: templates, the first plan
            before = load()
            if cpu:
                app0, pg0 = time.process_time(), _proc_cpu(backend)
            times = list(pool.map(get, [path] * args.rounds))
            spent = ""
            if cpu:
                app = (time.process_time() - app0) / args.rounds * 1000
                pg = (_proc_cpu(backend) - pg0) / args.rounds * 1000
                spent = f" {app:.1f} + {pg:.1f} = {app + pg:.1f} |"
            every += times
            print(
                f"| {label} | {statistics.median(times) * 1000:.1f} | {p95(times) * 1000:.1f} |{spent}"
                f" {before} → {load()} |",
                flush=True,
            )
    print(f"all queries: median {statistics.median(every) * 1000:.1f} ms, p95 {p95(every) * 1000:.1f} ms")


def photo_1mb() -> bytes:
    """A 900×900 noisy JPEG of about 0.96 MB with EXIF (a GPS position and the camera), like a phone's."""
    from PIL import Image

    img = Image.effect_noise((900, 900), 80).convert("RGB")
    exif = Image.Exif()
    exif[0x0110] = "Galaxy A54"
    exif[0x8825] = {1: "N", 2: (13.0, 58.0, 30.0), 3: "E", 4: (108.0, 0.0, 15.0)}
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=97, exif=exif)
    return buf.getvalue()


def form(k: int) -> dict:
    return {
        "category": "giao-thong",
        "title": f"Cây đổ chắn ngang đường số {k}",
        "description": f"Cây xà cừ lớn đổ sau giông lốc, chắn hết lòng đường trước số {k * 7919 % 1000} Lê Lợi.",
        "unit": "23575",
        "address": "Lê Lợi, phường Pleiku",
        "lat": "13.9833",
        "lon": "108.0004",
        "is_public": "on",
        "confirm": "1",
    }


def cpu_busy() -> float:
    """Seconds of CPU time the whole machine has spent busy (every core), from /proc/stat."""
    with open("/proc/stat") as f:
        fields = [int(x) for x in f.readline().split()[1:]]
    idle = fields[3] + fields[4]
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def _proc_cpu(pid: int) -> float:
    """User + system CPU seconds of one process (its threads included), 0 once it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return 0.0


def _tree(pid: int) -> list[int]:
    """``pid`` and every process below it."""
    found = [pid]
    for task in Path(f"/proc/{pid}/task").glob("*"):
        children = (task / "children").read_text().split() if (task / "children").exists() else []
        for child in children:
            found += _tree(int(child))
    return found


def _backends() -> list[int]:
    """The PostgreSQL server processes serving this database (other than this one's)."""
    from django.db import connection

    with connection.cursor() as c:
        c.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return [row[0] for row in c.fetchall()]


def submit_http(args) -> None:
    import requests

    photo = photo_1mb()
    base = args.base
    print(
        f"\nphoto {len(photo) / 1e6:.2f} MB; {args.submissions} submissions from {args.clients} clients over HTTP"
    )

    def session():
        s = requests.Session()
        page = s.get(base + "/phan-anh/gui/", timeout=60)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        return s, token

    sessions = [session() for _ in range(args.clients)]
    counter = iter(range(args.submissions))
    lock = threading.Lock()
    times, failures = [], []

    def worker(s_token):
        s, token = s_token
        while True:
            with lock:
                k = next(counter, None)
            if k is None:
                return
            t0 = time.perf_counter()
            r = s.post(
                base + "/phan-anh/gui/",
                data={**form(k), "csrfmiddlewaretoken": token},
                files={"photos": ("anh.jpg", photo, "image/jpeg")},
                headers={"Referer": base + "/phan-anh/gui/"},
                allow_redirects=False,
                timeout=120,
            )
            elapsed = time.perf_counter() - t0
            with lock:
                if r.status_code == 302:
                    times.append(elapsed)
                else:
                    failures.append(r.status_code)

    server = _tree(args.server_pid) if args.server_pid else []
    backends = set(_backends())
    server0 = {pid: _proc_cpu(pid) for pid in server}
    pg0 = {pid: _proc_cpu(pid) for pid in backends}
    before, cpu0, own0 = load(), cpu_busy(), time.process_time()
    start = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(st,)) for st in sessions]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - start
    busy, own = cpu_busy() - cpu0, time.process_time() - own0
    n = len(times)
    cores = os.cpu_count() or 1
    print(
        f"submissions: {n / wall:.1f} per second ({n} in {wall:.1f} s, {len(failures)} failed {failures[:5]}); "
        f"median {statistics.median(times) * 1000:.0f} ms, p95 {p95(times) * 1000:.0f} ms; load {before} → {load()}"
    )
    print(
        f"CPU per submission: {busy / max(n, 1) * 1000:.0f} ms for the whole machine (every process, other "
        f"sessions' too), of which this client {own / max(n, 1) * 1000:.0f} ms"
    )
    if server:
        app = sum(_proc_cpu(pid) - cpu for pid, cpu in server0.items()) / max(n, 1)
        pg = sum(_proc_cpu(pid) - pg0.get(pid, 0.0) for pid in backends | set(_backends())) / max(n, 1)
        per = app + pg
        print(
            f"CPU per submission: server {app * 1000:.1f} ms + PostgreSQL {pg * 1000:.1f} ms = "
            f"{per * 1000:.1f} ms → at most {cores / per:.0f} per second on {cores} cores, with nothing else "
            f"running and no client on the machine"
        )


def profile(args) -> None:
    from django.conf import settings
    from django.core.cache import cache
    from django.test import Client

    settings.CONGSO_FEEDBACK_PER_IP = 10**9
    settings.ALLOWED_HOSTS = ["*"]
    cache.clear()
    photo = photo_1mb()
    client = Client()

    def one(k):
        f = io.BytesIO(photo)
        f.name = "anh.jpg"
        resp = client.post("/phan-anh/gui/", {**form(k), "photos": f})
        assert resp.status_code == 302, resp.status_code

    one(0)  # warm
    t0, c0 = time.perf_counter(), time.process_time()
    prof = cProfile.Profile()
    prof.enable()
    for k in range(1, args.submissions + 1):
        one(k)
    prof.disable()
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    print(
        f"\n{args.submissions} submissions in process under cProfile: {wall / args.submissions * 1000:.0f} ms "
        f"each, of which {cpu / args.submissions * 1000:.0f} ms CPU of this process; load {load()}"
    )
    stats = pstats.Stats(prof)
    stats.sort_stats("tottime").print_stats(18)
    stats.sort_stats("cumulative").print_stats(30)


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--reports", type=int, default=0, help="fill up to N reports first (SQL)")
    parser.add_argument("--rounds", type=int, default=60)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--base", default="", help="a running server, e.g. http://127.0.0.1:8147")
    parser.add_argument("--submissions", type=int, default=300)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument(
        "--server-pid", type=int, default=0, help="the server's main process: its CPU is counted"
    )
    parser.add_argument("--plans", default="", help="write the full plans of --only explain here")
    parser.add_argument("--only", choices=["fill", "explain", "read", "submit", "profile"], action="append")
    args = parser.parse_args()
    only = set(args.only or ["fill", "explain", "read"])
    db_url = os.environ.get("DATABASE_URL", "")
    if not db_url.startswith("postgres"):
        sys.exit("DATABASE_URL must name a PostgreSQL database of your own")
    setup(db_url, migrate="fill" in only)
    if "fill" in only and args.reports:
        from feedback_fill import fill

        started = time.perf_counter()
        added = fill(args.reports)
        print(f"added {added:,} reports in {time.perf_counter() - started:.0f} s")
    if "explain" in only:
        explain(args.plans or None)
    if "read" in only:
        read(args)
    if "submit" in only:
        if not args.base:
            sys.exit("--only submit measures over HTTP: give --base")
        submit_http(args)
    if "profile" in only:
        profile(args)


if __name__ == "__main__":
    main()
