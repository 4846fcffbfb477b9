"""Benchmark the operations-centre dashboard (issue 16, ADR 0162): the page, the polled fragment and a
list behind a tile, for the province's IOC viewer (every unit in scope).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/congso_hdash .venv/bin/python bench/bench_dashboard.py \
        [--dossiers 100000] [--repeats 20]

Reuses ``bench_scorecard``'s province (20 departments, 80 communes, 40 procedures), its dossiers spread
over 2026 and its facts built in SQL; adds an IOC viewer over the province's People's Committee (with
its sub-tree) and times the real views through Django's test client. Prints median and p95 in ms.
"""

import argparse
import io
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_scorecard as base  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--dossiers", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=20)
    args = parser.parse_args()
    base.setup_django(tempfile.mkdtemp(prefix="congso-bench-dashboard-"))
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from congso.accounts.models import User
    from congso.directory.models import Agency, Membership, Role
    from congso.directory.testing import login_verified

    if connection.vendor != "postgresql":
        sys.exit("bench_dashboard runs on PostgreSQL (DATABASE_URL=postgres://…)")
    call_command("migrate", verbosity=0, stdout=io.StringIO())
    agencies, versions, _admin = base.build_world()
    base.fill(args.dossiers, agencies, versions)
    base.facts_in_sql()
    ioc, _ = User.objects.get_or_create(
        username="bench.ioc", defaults={"kind": "official", "full_name": "Trung tâm điều hành thử tải"}
    )
    pc = Agency.objects.get(code="000.00.00.H21")
    Membership.objects.get_or_create(user=ioc, agency=pc, role=Role.IOC_VIEWER, include_subtree=True)
    client = Client(HTTP_HOST="localhost")
    login_verified(client, ioc)
    month, year = "ky=month&ngay=2026-12-01", "ky=year&ngay=2026-06-01"
    pages = {
        "reference: the workspace page /lam-viec/": "/lam-viec/",
        "dashboard, a month (tiles, 12-month trends, 100 units)": f"/dieu-hanh/?{month}",
        "dashboard, a year": f"/dieu-hanh/?{year}",
        "polled fragment (tiles), a month": f"/dieu-hanh/cap-nhat/?{month}",
        "list behind the on-time tile, a year": f"/dieu-hanh/ho-so/late/?{year}",
        "list behind the overdue tile": f"/dieu-hanh/ho-so/overdue/?{month}",
    }
    print(
        f"\n{args.dossiers:,} dossiers, {len(agencies)} units; median / p95 in ms over {args.repeats} requests:"
    )
    for label, url in pages.items():
        median, p95 = base.timed(client, url, args.repeats)
        print(f"  {label:56s} median {median:7.1f}   p95 {p95:7.1f}")


if __name__ == "__main__":
    main()
