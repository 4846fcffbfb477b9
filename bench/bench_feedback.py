"""Benchmark citizen feedback (issue 17) on PostgreSQL: the public board's list queries, the JSON list,
Open311 ``requests.json``, and report submission with a 1 MB photo.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/congso_h17 \\
        .venv/bin/python bench/bench_feedback.py --reports 200000 --rounds 30

1. Migrates, then fills the database with N public reports (default 200,000; the issue's target is
   1,000,000) in 3 communes, 7 categories and every status, by ``bulk_create`` in batches, unless it
   already holds them.
2. Times, in-process through Django's test client (every middleware, URL resolution, view, template),
   the board unfiltered and filtered (category, commune, status, unaccented search, dates), the JSON
   API list and Open311 ``requests.json`` (90 days, at most 1,000 rows): median and p95 over R rounds.
3. Submits S reports with a 1 MB JPEG through the page (one process): reports per second.
The machine is shared and noisy: read medians, and run it twice.
"""

import argparse
import datetime as dt
import io
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

TITLES = [
    ("giao-thong", "Ổ gà trên đường Hùng Vương", "Ổ gà sâu giữa làn xe máy, nguy hiểm ban đêm."),
    ("moi-truong", "Rác thải tập kết trái phép", "Rác sinh hoạt đổ thành đống, bốc mùi nhiều ngày."),
    ("trat-tu-do-thi", "Lấn chiếm vỉa hè", "Bàn ghế quán cà phê bày kín vỉa hè đường Trần Phú."),
    ("an-ninh", "Tụ tập đua xe ban đêm", "Thanh niên nẹt pô, đua xe các tối cuối tuần."),
    ("thu-tuc-hanh-chinh", "Yêu cầu giấy tờ ngoài quy định", "Cán bộ yêu cầu thêm giấy xác nhận cư trú."),
    ("dat-dai", "Tranh chấp ranh giới đất", "Hộ bên cạnh xây tường lấn sang đất nhà tôi."),
    ("ha-tang-duong", "Sụt lún mặt đường", "Mặt đường sụt lún sau mưa lớn, xe tải đi qua rất nguy hiểm."),
]


def setup(db_url):
    import bench_dossiers

    bench_dossiers.setup_django(db_url, tempfile.mkdtemp(prefix="bench-feedback-"))
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)  # the rate limits' counters without Redis


def fill(n: int) -> None:
    from django.db import transaction
    from django.utils import timezone

    from congso.core.text import fold
    from congso.directory import demo_codes as dc
    from congso.directory.models import AdministrativeUnit, Agency
    from congso.feedback.models import Category, Report, RoutingRule, Status
    from congso.feedback.testing import CATEGORIES

    K = AdministrativeUnit.Kind
    two_tier = dt.date(2025, 7, 1)
    province, _ = AdministrativeUnit.objects.get_or_create(
        code="52", valid_from=two_tier, defaults={"name": "Gia Lai", "kind": K.PROVINCE, "level": 1}
    )
    units = []
    for code, name in dc.COMMUNE_UNITS.items():
        u, _ = AdministrativeUnit.objects.get_or_create(
            code=code,
            valid_from=two_tier,
            defaults={"name": name, "kind": K.WARD, "level": 3, "parent": province},
        )
        units.append(u)
    pc, _ = Agency.objects.get_or_create(
        code=dc.PROVINCE_PC,
        defaults={"name": "Ủy ban nhân dân tỉnh Gia Lai", "kind": "peoples_committee", "unit": province},
    )
    cats = {}
    for code, name, parent, days, kw in CATEGORIES:
        cats[code], _ = Category.objects.get_or_create(
            code=code,
            defaults={"name": name, "parent": cats.get(parent), "answer_days": days, "keywords": kw},
        )
        RoutingRule.objects.get_or_create(
            category=cats[code], province=province, unit=None, defaults={"agency": pc}
        )
    have = Report.objects.count()
    if have >= n:
        print(f"{have} reports already there")
        return
    statuses = (
        [Status.PROCESSING] * 3
        + [Status.ANSWERED] * 4
        + [Status.CLOSED] * 2
        + [Status.DRAFTED, Status.RECEIVED]
    )
    now = timezone.now()
    rng = random.Random(17)
    batch = []
    start = time.perf_counter()
    for k in range(have, n):
        code, title, text = TITLES[k % len(TITLES)]
        received = now - dt.timedelta(minutes=k * 525_600 * 2 // max(n, 1))  # spread over two years
        status = statuses[k % len(statuses)]
        r = Report(
            code=f"PB{k:010d}",
            category=cats[code],
            title=f"{title} ({k})",
            description=text,
            province=province,
            unit=units[k % 3],
            address=f"{k % 300} Hùng Vương",
            lat=13.9 + rng.random() / 10,
            lon=108.0 + rng.random() / 10,
            is_public=k % 10 != 0,
            status=status,
            agency=pc,
            reporter_name="Nguyễn Văn An",
            received_at=received,
            clock_start=received,
            due_at=received + dt.timedelta(days=21),
            answered_at=received + dt.timedelta(days=10)
            if status in (Status.ANSWERED, Status.CLOSED)
            else None,
            answer="Đơn vị đã xử lý." if status in (Status.ANSWERED, Status.CLOSED) else "",
        )
        r.text_folded = fold(f"{title} ({k}) {text} {r.address}")
        batch.append(r)
        if len(batch) == 5000:
            with transaction.atomic():
                Report.objects.bulk_create(batch)
            batch = []
    if batch:
        Report.objects.bulk_create(batch)
    from django.db import connection

    with connection.cursor() as c:
        c.execute("ANALYZE feedback_report")
    print(f"filled {n - have} reports in {time.perf_counter() - start:.0f} s")


def timed(client, url, rounds):
    times = []
    for _ in range(rounds):
        t = time.perf_counter()
        resp = client.get(url)
        times.append((time.perf_counter() - t) * 1000)
        assert resp.status_code == 200, (url, resp.status_code)
    times.sort()
    return statistics.median(times), times[max(0, int(len(times) * 0.95) - 1)]


def submissions(count: int) -> float:
    from django.core.cache import cache
    from django.test import Client
    from PIL import Image

    from congso.feedback.models import Report

    img = Image.effect_noise((900, 900), 80).convert("RGB")
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=97)
    photo = buf.getvalue()
    print(f"photo: {len(photo) / 1e6:.2f} MB")
    os.environ.setdefault("CONGSO_FEEDBACK_PER_IP", "1000000")
    from django.conf import settings

    settings.CONGSO_FEEDBACK_PER_IP = 10**9
    settings.CONGSO_FEEDBACK_MAX_PHOTO_BYTES = 2 * 1024 * 1024
    cache.clear()
    client = Client()
    before = Report.objects.count()
    start = time.perf_counter()
    for k in range(count):
        f = io.BytesIO(photo)
        f.name = "anh.jpg"
        resp = client.post(
            "/phan-anh/gui/",
            {
                "category": "giao-thong",
                "title": f"Cây đổ chắn ngang đường số {k}",
                "description": f"Cây xà cừ lớn đổ sau giông lốc, chắn hết lòng đường {k * 7919} Lê Lợi.",
                "unit": "23575",
                "address": "Lê Lợi",
                "is_public": "on",
                "confirm": "1",
                "photos": f,
            },
        )
        assert resp.status_code == 302, resp.status_code
    elapsed = time.perf_counter() - start
    assert Report.objects.count() == before + count
    return count / elapsed


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=200_000)
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--submissions", type=int, default=30)
    args = parser.parse_args()
    db_url = os.environ.get("DATABASE_URL")
    if not db_url or not db_url.startswith("postgres"):
        sys.exit("DATABASE_URL must name a PostgreSQL database of your own")
    setup(db_url)
    fill(args.reports)
    from django.test import Client

    client = Client()
    today = dt.date.today()
    urls = [
        ("board, unfiltered", "/phan-anh/"),
        ("board, category", "/phan-anh/?category=moi-truong"),
        ("board, commune + status", "/phan-anh/?unit=23764&status=answered"),
        ("board, unaccented search", "/phan-anh/?q=vỉa hè"),
        ("board, last 30 days", f"/phan-anh/?start={today - dt.timedelta(days=30)}&end={today}"),
        ("API list", "/api/v1/feedback/reports?limit=20"),
        ("API list, category", "/api/v1/feedback/reports?category=giao-thong&limit=20"),
        ("Open311 requests.json (90 days, ≤1,000)", "/open311/v2/requests.json"),
        ("Open311 requests.json?status=open", "/open311/v2/requests.json?status=open"),
    ]
    print(f"| query ({args.rounds} rounds) | median ms | p95 ms |\n|---|---|---|")
    for label, url in urls:
        timed(client, url, 2)  # warm
        med, p95 = timed(client, url, args.rounds)
        print(f"| {label} | {med:.1f} | {p95:.1f} |")
    print(f"submissions with a 1 MB photo, one process: {submissions(args.submissions):.1f} per second")


if __name__ == "__main__":
    main()
