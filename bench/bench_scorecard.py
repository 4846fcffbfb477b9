"""Benchmark the service index pages (issue 16): the province's 766 page with the ranking of all its
units for a year, a unit's page, and a drill-down page of lost points.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/congso_h16a .venv/bin/python bench/bench_scorecard.py \
        [--dossiers 500000] [--repeats 30]

1. Builds a province (code 52) with 20 departments and 80 communes (each a People's Committee), 40
   procedures, and N dossiers (default 500,000: a reduced scale of the issue's 5,000,000 on this shared
   2-core machine) spread over the 100 agencies, the procedures and the 365 days of 2026 — with SQL
   set operations, like ``bench_dossiers.fill``: channels, statuses, late ones.
2. Builds the facts from the records with ``congso scorecard rebuild`` logic in SQL: one
   ``DossierFact`` per dossier, ``DailyFact`` grouped from them and ``MonthlyFact`` from those (the
   Python rebuild is checked by the tests; here only the figures' volume matters).
3. Times the real views through Django's test client (a system administrator signed in): the public
   page for the year, a commune's page for the year, and the drill-down of its late dossiers, next to
   the officials' workspace page for reference (the shared machine's speed varies a lot).
Prints median and p95 in ms.
"""

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DEPARTMENTS, COMMUNES, PROCEDURES = 20, 80, 40


def setup_django(var_dir: str):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "congso.settings")
    os.environ["CONGSO_VAR_DIR"] = var_dir
    os.environ["CONGSO_LOG_LEVEL"] = "WARNING"
    os.environ["CONGSO_AXES_ENABLED"] = "false"
    import django

    django.setup()


def build_world():
    from congso.accounts.models import User
    from congso.catalog.models import Procedure, ProcedureVersion
    from congso.directory.models import AdministrativeUnit, Agency, Membership, Role

    province, _ = AdministrativeUnit.objects.get_or_create(
        code="52", valid_from="2025-07-01", defaults={"name": "Tỉnh Gia Lai", "kind": "province", "level": 1}
    )
    pc, _ = Agency.objects.get_or_create(
        code="000.00.00.H21",
        defaults={"name": "Ủy ban nhân dân tỉnh Gia Lai", "kind": "peoples_committee", "unit": province},
    )
    agencies = []
    for i in range(DEPARTMENTS):
        a, _ = Agency.objects.get_or_create(
            code=f"000.00.{i + 40:02d}.H21",
            defaults={"name": f"Sở thử tải {i}", "kind": "department", "unit": province, "parent": pc},
        )
        agencies.append(a)
    for i in range(COMMUNES):
        unit, _ = AdministrativeUnit.objects.get_or_create(
            code=f"9{i:04d}",
            valid_from="2025-07-01",
            defaults={"name": f"Xã thử tải {i}", "kind": "commune", "level": 3, "parent": province},
        )
        a, _ = Agency.objects.get_or_create(
            code=f"H21.9{i:04d}",
            defaults={
                "name": f"UBND xã thử tải {i}",
                "kind": "peoples_committee",
                "unit": unit,
                "parent": pc,
            },
        )
        agencies.append(a)
    versions = []
    for i in range(PROCEDURES):
        p, _ = Procedure.objects.get_or_create(code=f"9.{i:06d}", defaults={"name": f"Thủ tục thử tải {i}"})
        v = p.current_version or ProcedureVersion.objects.create(
            procedure=p, number=1, content={"code": p.code, "name": p.name}, content_hash="c" * 64
        )
        if not p.current_version_id:
            p.current_version = v
            p.save()
        versions.append(v)
    admin, _ = User.objects.get_or_create(
        username="bench.quantri", defaults={"kind": "official", "full_name": "Quản trị thử tải"}
    )
    Membership.objects.get_or_create(user=admin, agency=pc, role=Role.SYSADMIN, include_subtree=True)
    return agencies, versions, admin


def fill(n: int, agencies, versions):
    from django.db import connection

    from congso.dossiers.models import Dossier

    have = Dossier.objects.filter(code__startswith="BENCH766-").count()
    if have >= n:
        print(f"database already holds {have:,} benchmark dossiers")
        return
    t0 = time.perf_counter()
    a_ids = "ARRAY[" + ",".join(str(a.pk) for a in agencies) + "]"
    v_ids = "ARRAY[" + ",".join(str(v.pk) for v in versions) + "]"
    batch = 100_000
    with connection.cursor() as cur:
        for start in range(have, n, batch):
            stop = min(n, start + batch)
            ts = "TIMESTAMPTZ '2026-01-01 08:00+07' + (k % 365) * INTERVAL '1 day' + (k % 480) * INTERVAL '1 minute'"
            cur.execute(
                f"""
                INSERT INTO dossiers_dossier (code, procedure_version_id, receiving_agency_id, current_agency_id,
                  channel, status, version, applicant_name, applicant_folded, applicant_id_number, applicant_phone,
                  applicant_email, applicant_address, on_behalf_of, co_applicants, queue_ticket_code, form_data,
                  submitted_at, received_at, allowance_value, allowance_unit, due_at, legal_due_at, finished_at,
                  is_late, holder_role, created_at, updated_at)
                SELECT 'BENCH766-' || lpad(k::text, 9, '0'), ({v_ids})[1 + k % {len(versions)}],
                  ({a_ids})[1 + (k / 7) % {len(agencies)}], ({a_ids})[1 + (k / 7) % {len(agencies)}],
                  1 + (k % 2), CASE WHEN k % 10 = 0 THEN 4 ELSE 10 END, 1, 'Nguyễn Văn Thử ' || k,
                  'nguyen van thu ' || k, '', '', '', '', '', '[]', '', '{{}}',
                  {ts}, {ts}, 5, 'working_days', {ts} + INTERVAL '7 days', {ts} + INTERVAL '7 days',
                  CASE WHEN k % 10 = 0 THEN NULL ELSE {ts} + (k % 9) * INTERVAL '1 day' END,
                  (k % 10 <> 0 AND k % 9 > 7), '', {ts}, {ts}
                FROM generate_series({start}, {stop - 1}) AS k
                """
            )
            print(f"  {stop:,} dossiers ({time.perf_counter() - t0:.0f} s)", flush=True)
        cur.execute("ANALYZE dossiers_dossier")
    print(f"filled {n - have:,} dossiers in {time.perf_counter() - t0:.1f} s")


def facts_in_sql():
    """The facts of the benchmark's dossiers, as ``facts.compute`` defines them for these records (no
    files, fees or ratings: those measures are 0), then ``DailyFact`` grouped from them."""
    from django.db import connection

    t0 = time.perf_counter()
    local = "(AT TIME ZONE 'Asia/Ho_Chi_Minh')"
    with connection.cursor() as cur:
        cur.execute(
            "SELECT (SELECT count(*) FROM scorecard_dossierfact),"
            " (SELECT count(*) FROM dossiers_dossier WHERE code LIKE 'BENCH766-%%'),"
            " (SELECT count(*) FROM scorecard_monthlyfact)"
        )
        kept, dossiers, months = cur.fetchone()
        if kept == dossiers and months:
            print(f"facts of the {dossiers:,} dossiers already built")
            return
        cur.execute("TRUNCATE scorecard_monthlyfact, scorecard_dailyfact, scorecard_dossierfact")
        cur.execute(
            f"""
            INSERT INTO scorecard_dossierfact (dossier_id, agency_id, procedure_id, received_day, finished_day,
              online, full_online, digitised, fee_bearing, paid_online, timed, on_time, e_result, rated,
              satisfied, handling_ok)
            SELECT d.id, d.receiving_agency_id, v.procedure_id, (d.submitted_at {local})::date,
              CASE WHEN d.status IN (9, 10) THEN (d.finished_at {local})::date END,
              d.channel = 2, false, (d.id % 5 <> 0), false, false,
              d.status IN (9, 10), d.status IN (9, 10) AND NOT d.is_late, false, false, false,
              d.status IN (9, 10) AND NOT d.is_late
            FROM dossiers_dossier d JOIN catalog_procedureversion v ON v.id = d.procedure_version_id
            WHERE d.code LIKE 'BENCH766-%%'
            """.replace("(AT TIME ZONE 'Asia/Ho_Chi_Minh')", "AT TIME ZONE 'Asia/Ho_Chi_Minh'")
        )
        cur.execute(
            """
            INSERT INTO scorecard_dailyfact (day, agency_id, procedure_id, received, online, full_online, digitised,
              fee_bearing, paid_online, finished, timed, on_time, e_result, rated, satisfied, handling_ok)
            SELECT day, agency_id, procedure_id, sum(received), sum(online), 0, sum(digitised), 0, 0,
              sum(finished), sum(timed), sum(on_time), 0, 0, 0, sum(handling_ok)
            FROM (
              SELECT received_day AS day, agency_id, procedure_id, 1 AS received, online::int AS online,
                digitised::int AS digitised, 0 AS finished, 0 AS timed, 0 AS on_time, 0 AS handling_ok
              FROM scorecard_dossierfact
              UNION ALL
              SELECT finished_day, agency_id, procedure_id, 0, 0, 0, 1, timed::int, on_time::int, handling_ok::int
              FROM scorecard_dossierfact WHERE finished_day IS NOT NULL
            ) c GROUP BY day, agency_id, procedure_id
            """
        )
        measures = (
            "received, online, full_online, digitised, fee_bearing, paid_online, finished, timed, on_time, "
            "e_result, rated, satisfied, handling_ok"
        )
        sums = ", ".join(f"sum({m})" for m in measures.split(", "))
        cur.execute(
            f"""
            INSERT INTO scorecard_monthlyfact (month, agency_id, procedure_id, {measures})
            SELECT date_trunc('month', day)::date, agency_id, procedure_id, {sums}
            FROM scorecard_dailyfact GROUP BY 1, 2, 3
            """
        )
        for table in ("scorecard_dossierfact", "scorecard_dailyfact", "scorecard_monthlyfact"):
            cur.execute(f"ANALYZE {table}")
        cur.execute("SELECT count(*) FROM scorecard_dailyfact")
        rows = cur.fetchone()[0]
        cur.execute("SELECT count(*) FROM scorecard_monthlyfact")
        months = cur.fetchone()[0]
    print(f"facts: {rows:,} daily rows, {months:,} monthly rows in {time.perf_counter() - t0:.1f} s")


def timed(client, url: str, repeats: int) -> tuple[float, float]:
    times = []
    for _ in range(repeats + 2):
        t0 = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    times = sorted(times[2:])
    return statistics.median(times), times[max(0, int(len(times) * 0.95) - 1)]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--dossiers", type=int, default=500_000)
    parser.add_argument("--repeats", type=int, default=30)
    args = parser.parse_args()
    var_dir = tempfile.mkdtemp(prefix="congso-bench-scorecard-")
    setup_django(var_dir)
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from congso.directory.testing import login_verified

    if connection.vendor != "postgresql":
        sys.exit("bench_scorecard runs on PostgreSQL (DATABASE_URL=postgres://…)")
    call_command("migrate", verbosity=0, stdout=io.StringIO())
    agencies, versions, admin = build_world()
    fill(args.dossiers, agencies, versions)
    facts_in_sql()
    client = Client(HTTP_HOST="localhost")
    login_verified(client, admin)
    commune = agencies[DEPARTMENTS + 3]
    year = "ky=year&ngay=2026-06-01"
    pages = {
        "reference: the workspace page /lam-viec/": "/lam-viec/",
        "province 766 page + ranking (year)": f"/chi-so-phuc-vu/?{year}",
        "unit page (a commune, year)": f"/chi-so-phuc-vu/agency/{commune.code}/?{year}",
        "province page, custom range (days at both ends)": "/chi-so-phuc-vu/?ky=custom&tu=2026-01-15&den=2026-12-15",
        "unit page (a commune, a month)": f"/chi-so-phuc-vu/agency/{commune.code}/?ky=month&ngay=2026-06-01",
        "drill-down: late dossiers (year)": f"/chi-so-phuc-vu/agency/{commune.code}/on_time/?{year}",
        "drill-down, page 5": f"/chi-so-phuc-vu/agency/{commune.code}/on_time/?{year}&trang=5",
    }
    print(
        f"\n{args.dossiers:,} dossiers, {len(agencies)} units; median / p95 in ms over {args.repeats} requests:"
    )
    for label, url in pages.items():
        median, p95 = timed(client, url, args.repeats)
        print(f"  {label:40s} median {median:7.1f}   p95 {p95:7.1f}")


if __name__ == "__main__":
    main()
