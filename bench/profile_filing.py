"""Profile one online filing in-process (issue 6): statements and CPU per filing, optionally cProfile.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/congso_bench_prof .venv/bin/python bench/profile_filing.py
    ... bench/profile_filing.py --sql            # also list the statements of one filing
    ... bench/profile_filing.py --profile out.prof   # cProfile of the timed filings (read with pstats)

Prepares the database like ``bench_portal.py`` (a commune offering the birth registration online,
citizens with bearer tokens), then POSTs ``/api/v1/portal/submissions`` (two 200 KB PDFs) through
Django's own handler — no server, no network — so that the CPU counted is this process's: the view,
the services and the database driver, not PostgreSQL's. Steadier than the HTTP benchmark for finding
what a change costs; compare two checkouts within one run. The database name must contain "bench".
"""

import argparse
import cProfile
import os
import secrets
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_dossiers import setup_django  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--filings", type=int, default=60)
    parser.add_argument("--sql", action="store_true")
    parser.add_argument("--profile", metavar="FILE")
    args = parser.parse_args()
    db_url = os.environ.get("DATABASE_URL")
    if db_url and "bench" not in db_url.rsplit("/", 1)[-1]:
        raise SystemExit("the database name must contain 'bench' (its data is replaced)")
    setup_django(db_url, tempfile.mkdtemp(prefix="congso-profile-"))

    import bench_portal
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    tokens = bench_portal.prepare(20, 2)
    bodies = bench_portal.submission_bodies(2)
    client = Client()

    def file_one(i):
        body, content_type = bodies[i % 2]
        response = client.generic(
            "POST",
            "/api/v1/portal/submissions",
            body,
            content_type=content_type,
            HTTP_AUTHORIZATION=f"Bearer {tokens[i % len(tokens)][1]}",
            HTTP_IDEMPOTENCY_KEY=secrets.token_hex(12),
        )
        if response.status_code != 201:
            raise SystemExit(f"filing refused: {response.status_code} {response.content[:300]!r}")

    for i in range(10):  # warm up: compiled queries, prepared statements, imports
        file_one(i)
    with CaptureQueriesContext(connection) as captured:
        file_one(10)
    print(f"database {connection.vendor}; statements per filing: {len(captured.captured_queries)}")
    if args.sql:
        for q in captured.captured_queries:
            print("  ", q["sql"][:160])
    cpu, wall = time.process_time(), time.perf_counter()
    for i in range(args.filings):
        file_one(100 + i)
    n = args.filings
    print(
        f"{n} filings: CPU {(time.process_time() - cpu) * 1000 / n:.1f} ms each (this process), "
        f"wall {(time.perf_counter() - wall) * 1000 / n:.1f} ms each"
    )
    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        for i in range(n):
            file_one(10_000 + i)
        profiler.disable()
        profiler.dump_stats(args.profile)
        print(f"cProfile of {n} more filings written to {args.profile}")


if __name__ == "__main__":
    main()
