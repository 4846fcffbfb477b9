"""Benchmark access to information (issue 21, ADR 0167) on PostgreSQL: the public home and an agency's
page with their statistics over N requests, the public statistics API, an official's inbox (deadline
flags computed on the working calendar), and filing through the API.

    createdb -h 127.0.0.1 -U postgres congso_h5_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/congso_h5_bench \\
        .venv/bin/python bench/bench_inforequests.py --requests 100000 --rounds 20 --submissions 50

1. Migrates, then fills the database with N requests (default 100,000) addressed to the province and
   three communes, in every state, spread over two years, by ``bulk_create``, unless it holds them.
2. Times, in-process through Django's test client (every middleware, view, template), each page and
   endpoint: median and p95 over R rounds.
3. Files S requests through ``POST /api/v1/info-requests/requests`` (validated, deadline computed,
   audited, notice queued): requests per second in one process.
The machine is shared and noisy: read medians, and run it twice.
"""

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

STATES = ["answered"] * 5 + ["refused", "processing", "received", "extended"]


def setup(db_url):
    import bench_dossiers

    bench_dossiers.setup_django(db_url, tempfile.mkdtemp(prefix="bench-inforequests-"))
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)


def world():
    from congso.accounts.models import User
    from congso.directory import demo_codes as dc
    from congso.directory.models import AdministrativeUnit, Agency, Membership, Role

    K = AdministrativeUnit.Kind
    two_tier = dt.date(2025, 7, 1)
    province, _ = AdministrativeUnit.objects.get_or_create(
        code="52", valid_from=two_tier, defaults={"name": "Gia Lai", "kind": K.PROVINCE, "level": 1}
    )
    pc, _ = Agency.objects.get_or_create(
        code=dc.PROVINCE_PC,
        defaults={"name": "Ủy ban nhân dân tỉnh Gia Lai", "kind": "peoples_committee", "unit": province},
    )
    agencies = [pc]
    for code, name in list(dc.COMMUNE_UNITS.items())[:3]:
        unit, _ = AdministrativeUnit.objects.get_or_create(
            code=code,
            valid_from=two_tier,
            defaults={"name": name, "kind": K.WARD, "level": 3, "parent": province},
        )
        a, _ = Agency.objects.get_or_create(
            code=dc.commune_pc(code),
            defaults={
                "name": f"Ủy ban nhân dân {name}",
                "kind": "peoples_committee",
                "unit": unit,
                "parent": pc,
            },
        )
        agencies.append(a)
    officer, created = User.objects.get_or_create(
        username="bench.ttcanbo", defaults={"full_name": "Cán bộ đầu mối", "kind": User.Kind.OFFICIAL}
    )
    if created:
        officer.set_password("x")
        officer.save()
    Membership.objects.get_or_create(
        user=officer, agency=agencies[1], role=Role.OFFICER, defaults={"valid_from": two_tier}
    )
    return agencies, officer


def fill(n, agencies):
    from django.db import connection, transaction
    from django.utils import timezone

    from congso.inforequests.models import InfoRequest, RefusalGround

    have = InfoRequest.objects.count()
    if have >= n:
        print(f"{have} requests already there")
        return
    ground = RefusalGround.objects.first()
    now = timezone.now()
    start = time.perf_counter()
    batch = []
    for k in range(have, n):
        received = now - dt.timedelta(minutes=k * 525_600 * 2 // max(n, 1))
        status = STATES[k % len(STATES)]
        due = received + dt.timedelta(days=14)
        closed = received + dt.timedelta(days=(k % 20) + 1) if status in ("answered", "refused") else None
        batch.append(
            InfoRequest(
                code=f"TB{k:010d}",
                agency=agencies[k % len(agencies)],
                name="Nguyễn Văn An",
                address="25 Hùng Vương, Gia Lai",
                id_number="064090001234",
                email="an@example.vn",
                information="Kế hoạch sử dụng đất năm 2026.",
                purpose="Tìm hiểu quy hoạch.",
                form="electronic",
                means="online",
                status=status,
                received_at=received,
                due_at=due,
                closed_at=closed,
                extended_at=received + dt.timedelta(days=5) if status == "extended" else None,
                ground=ground if status == "refused" else None,
                answer="Đã cung cấp." if status == "answered" else "",
            )
        )
        if len(batch) == 5000:
            with transaction.atomic():
                InfoRequest.objects.bulk_create(batch)
            batch = []
    if batch:
        InfoRequest.objects.bulk_create(batch)
    with connection.cursor() as c:
        c.execute("ANALYZE inforequests_inforequest")
    print(f"filled {n - have} requests in {time.perf_counter() - start:.0f} s")


def timed(client, url, rounds):
    times = []
    for _ in range(rounds):
        t = time.perf_counter()
        resp = client.get(url)
        times.append((time.perf_counter() - t) * 1000)
        assert resp.status_code == 200, (url, resp.status_code)
    times.sort()
    return statistics.median(times), times[max(0, int(len(times) * 0.95) - 1)]


def submissions(count, agency) -> float:
    from django.conf import settings
    from django.core.cache import cache
    from django.test import Client

    settings.CONGSO_INFOREQUESTS_PER_IP = 10**9
    cache.clear()
    client = Client()
    body = {
        "agency": agency.code,
        "name": "Trần Thị Bích",
        "address": "12 Trần Phú, Gia Lai",
        "id_number": "064185004321",
        "email": "bich@example.vn",
        "information": "Danh sách hộ được hỗ trợ sau bão năm 2025.",
        "purpose": "Kiểm tra việc hỗ trợ.",
        "form": "electronic",
        "means": "online",
    }
    start = time.perf_counter()
    for _ in range(count):
        resp = client.post("/api/v1/info-requests/requests", body, content_type="application/json")
        assert resp.status_code == 201, resp.content
    return count / (time.perf_counter() - start)


def main():
    import os

    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--submissions", type=int, default=50)
    args = parser.parse_args()
    setup(os.environ.get("DATABASE_URL"))
    from django.test import Client

    agencies, officer = world()
    fill(args.requests, agencies)
    anon = Client()
    staff = Client()
    from congso.directory.testing import login_verified

    login_verified(staff, officer)
    ward = agencies[1].code
    rows = [
        ("public home (statistics of the year)", anon, "/tiep-can-thong-tin/"),
        ("agency page (list + its statistics)", anon, f"/tiep-can-thong-tin/co-quan/{ward}/"),
        ("API statistics, whole province", anon, "/api/v1/info-requests/stats"),
        (
            "API statistics, one agency, one year",
            anon,
            f"/api/v1/info-requests/stats?agency={ward}&start=2026-01-01&end=2026-12-31",
        ),
        ("official's inbox (open, 50 a page, deadline flags)", staff, "/tiep-can-thong-tin/xu-ly/"),
    ]
    print(f"| page ({args.rounds} rounds, {args.requests:,} requests) | median ms | p95 ms |")
    print("|---|---|---|")
    for label, client, url in rows:
        timed(client, url, 2)  # warm
        median, p95 = timed(client, url, args.rounds)
        print(f"| {label} | {median:.1f} | {p95:.1f} |")
    rate = submissions(args.submissions, agencies[1])
    print(f"filing through the API: {rate:.1f} requests per second (one process)")


if __name__ == "__main__":
    main()
