"""Benchmark the public dossier lookup (issue 6: ≥ 1,000 lookups per second, p95 < 20 ms on PostgreSQL).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/congso_tracking_bench \
        REDIS_URL=redis://127.0.0.1:6379/7 .venv/bin/python bench/bench_lookup.py
    .venv/bin/python bench/bench_lookup.py              # SQLite in a temporary file, database cache

1. Fills the database with N dossiers (default 300,000; reuses bench_dossiers.fill: SQL set operations,
   60 agencies, every status) unless it already holds them. The database name must contain "bench".
2. Drives the whole Django stack in-process through raw WSGI calls (every middleware, URL resolution,
   the view or the API endpoint, the template, the rate-limit counters in the configured cache), from
   P worker processes for T seconds each, with random existing codes and their right check values
   (plus 10 % wrong ones). Rate limits are raised for the run (CONGSO_LOOKUP_PER_IP and
   CONGSO_LOOKUP_FAILS_PER_CODE) so that every request does the full work including the counters.
3. Prints requests per second (all processes together), the median and p95 latency per endpoint, and
   the CPU time the Django process spent per request (``time.process_time``: much less sensitive to
   other jobs on a shared machine than wall-clock figures; PostgreSQL's and Redis's own CPU is extra).
   The machine is shared and noisy: read medians, and run it twice.
"""

import argparse
import io
import multiprocessing as mp
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

ENDPOINTS = ("api", "page", "signed")


def setup(db_url, var_dir):
    os.environ["CONGSO_LOOKUP_PER_IP"] = "1000000000"
    os.environ["CONGSO_LOOKUP_FAILS_PER_CODE"] = "1000000000"
    import bench_dossiers

    bench_dossiers.setup_django(db_url, var_dir)


def code_and_check(k: int, wrong: bool = False) -> tuple[str, str]:
    """The code bench_dossiers.fill gave to dossier number k, and the last 4 digits of its phone."""
    code = f"H21.BENCH{k % 60:02d}-{k // 60:08d}"
    phone = f"0905{k}"
    return code, ("0000" if wrong or phone[-4:] == "0000" else phone[-4:])


def _environ(path, query=""):
    return {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "HTTP_HOST": "127.0.0.1:8000",
        "REMOTE_ADDR": "127.0.0.1",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }


def _worker(args):
    db_url, var_dir, endpoint, n, seconds, seed = args
    setup(db_url, var_dir)
    from urllib.parse import urlencode

    from django.core.handlers.wsgi import WSGIHandler

    from congso.tracking.services import lookup_token

    app = WSGIHandler()
    rng = random.Random(seed)
    statuses = {}

    def start_response(status, headers):
        statuses[status[:3]] = statuses.get(status[:3], 0) + 1

    def one():
        k = rng.randrange(n)
        code, check = code_and_check(k, wrong=rng.random() < 0.1)
        if endpoint == "api":
            env = _environ("/api/v1/dossiers/lookup", urlencode({"code": code, "check": check}))
        elif endpoint == "page":
            env = _environ("/ho-so/tra-cuu/", urlencode({"code": code, "check": check}))
        else:
            env = _environ(f"/ho-so/tra-cuu/{code}/{lookup_token(code)}/")
        t0 = time.perf_counter()
        result = app(env, start_response)
        b"".join(result)
        if hasattr(result, "close"):
            result.close()
        return time.perf_counter() - t0

    for _ in range(50):  # warm up: connections, templates, caches
        one()
    statuses.clear()
    samples = []
    cpu0 = time.process_time()
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        samples.append(one())
    statuses["cpu_ms"] = (time.process_time() - cpu0) * 1000
    return samples, statuses


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--dossiers", type=int, default=300_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--endpoints", default=",".join(ENDPOINTS))
    args = parser.parse_args()
    db_url = os.environ.get("DATABASE_URL")
    if db_url and "bench" not in db_url.rsplit("/", 1)[-1]:
        sys.exit("Refusing to run: the database name in DATABASE_URL must contain 'bench'.")
    var_dir = tempfile.mkdtemp(prefix="congso-bench-lookup-")
    setup(db_url, var_dir)
    import bench_dossiers
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    if "DatabaseCache" in settings.CACHES["default"]["BACKEND"]:
        call_command("createcachetable", verbosity=0)
    version, agencies, templates, _users = bench_dossiers.build_world()
    bench_dossiers.fill(args.dossiers, version, agencies, templates)
    connection.close()
    print(
        f"database: {connection.vendor}; cache: {settings.CACHES['default']['BACKEND'].rsplit('.', 1)[-1]}; "
        f"{args.workers} processes × {args.seconds:.0f} s per endpoint"
    )
    ctx = mp.get_context("spawn")
    for endpoint in args.endpoints.split(","):
        jobs = [(db_url, var_dir, endpoint, args.dossiers, args.seconds, i) for i in range(args.workers)]
        with ctx.Pool(args.workers) as pool:
            results = pool.map(_worker, jobs)
        samples = sorted(s for r, _st in results for s in r)
        statuses = {}
        for _r, st in results:
            for k, v in st.items():
                statuses[k] = statuses.get(k, 0) + v
        cpu = statuses.pop("cpu_ms") / len(samples)
        rate = len(samples) / args.seconds
        p95 = samples[int(len(samples) * 0.95) - 1] * 1000
        print(
            f"  {endpoint:7s} {rate:8.0f} req/s   median {statistics.median(samples) * 1000:6.2f} ms   "
            f"p95 {p95:6.2f} ms   Django CPU {cpu:5.2f} ms/req   statuses {dict(sorted(statuses.items()))}"
        )


if __name__ == "__main__":
    main()
