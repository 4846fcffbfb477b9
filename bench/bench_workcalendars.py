"""Benchmark the work calendars (issue 19, part 1): the public week page, the iCalendar feed, the staff
week page with its conflict check, and ``selectors.busy`` (what meetings call when scheduling).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/congso_h1 \\
        .venv/bin/python bench/bench_workcalendars.py --leaders 200 --weeks 26 --rounds 20

1. Migrates, then fills the database (unless it already holds them) with one agency, L leaders each
   with a calendar, and W published weeks per calendar (the current week in the middle) of 10 entries
   each, every entry also attended by a second leader (so conflict checks have work to do).
2. Times, in-process through Django's test client (every middleware, view, template), the public week
   page, the .ics feed (16 weeks), the staff week page of a draft (with the conflict check) and
   ``selectors.busy`` for 50 leaders over one week: median and p95 over R rounds.
The machine is shared and noisy: read medians, and run it twice.
"""

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def setup(db_url):
    import bench_dossiers

    bench_dossiers.setup_django(db_url, tempfile.mkdtemp(prefix="bench-workcal-"))
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)


def fill(leaders: int, weeks: int):
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.utils import timezone

    from congso.directory.models import AdministrativeUnit, Agency, Membership, Role
    from congso.workcalendars import selectors
    from congso.workcalendars.models import Calendar, Entry, Status, Version, Week

    User = get_user_model()
    if Calendar.objects.filter(agency__code="BENCH.WC").count() >= leaders:
        return
    tz = timezone.get_current_timezone()
    with transaction.atomic():
        unit, _ = AdministrativeUnit.objects.get_or_create(
            code="99", valid_from="2025-07-01", defaults={"name": "Tỉnh thử", "kind": "province", "level": 1}
        )
        agency, _ = Agency.objects.get_or_create(
            code="BENCH.WC", defaults={"name": "UBND tỉnh thử", "kind": "peoples_committee", "unit": unit}
        )
        users = User.objects.bulk_create(
            [
                User(username=f"bench.lanhdao{i}", full_name=f"Lãnh đạo {i}", kind="official")
                for i in range(leaders)
            ]
        )
        Membership.objects.bulk_create(
            [Membership(user=u, agency=agency, role=Role.LEADER, valid_from="2025-07-01") for u in users]
        )
        cals = Calendar.objects.bulk_create(
            [Calendar(kind="leader", agency=agency, leader=u, position="Phó Chủ tịch") for u in users]
        )
        first = selectors.monday(timezone.localdate()) - dt.timedelta(weeks=weeks // 2)
        week_rows = Week.objects.bulk_create(
            [Week(calendar=c, start=first + dt.timedelta(weeks=w)) for c in cals for w in range(weeks)]
        )
        versions = Version.objects.bulk_create(
            [Version(week=w, number=1, status=Status.APPROVED, decided_at=timezone.now()) for w in week_rows]
        )
        for w, v in zip(week_rows, versions, strict=True):
            w.current, w.published, w.published_at = v, v, timezone.now()
        Week.objects.bulk_update(week_rows, ["current", "published", "published_at"], batch_size=2000)
        entries = []
        for w, v in zip(week_rows, versions, strict=True):
            for k in range(10):
                day = w.start + dt.timedelta(days=k % 5)
                hour = 8 if k < 5 else 14
                start = dt.datetime.combine(day, dt.time(hour), tzinfo=tz)
                entries.append(
                    Entry(
                        version=v,
                        day=day,
                        start_time=dt.time(hour),
                        end_time=dt.time(hour + 2),
                        starts_at=start,
                        ends_at=start + dt.timedelta(hours=2),
                        content=f"Họp giao ban {k}",
                        place="Phòng họp số 1",
                    )
                )
        Entry.objects.bulk_create(entries, batch_size=5000)
        through = Entry.attendees.through
        by_cal = {c.pk: i for i, c in enumerate(cals)}
        links = []
        for e in Entry.objects.filter(version__week__calendar__agency=agency).values(
            "pk", "version__week__calendar_id"
        ):
            other = users[(by_cal[e["version__week__calendar_id"]] + 1) % len(users)]
            links.append(through(entry_id=e["pk"], user_id=other.pk))
        through.objects.bulk_create(links, batch_size=5000)


def timed(fn, rounds):
    fn()
    samples = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t0) * 1000)
    samples.sort()
    return statistics.median(samples), samples[max(0, int(len(samples) * 0.95) - 1)]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--leaders", type=int, default=200)
    parser.add_argument("--weeks", type=int, default=26)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    setup(os.environ.get("DATABASE_URL"))
    fill(args.leaders, args.weeks)

    from django.test import Client
    from django.utils import timezone

    from congso.directory.models import Membership, Role
    from congso.directory.testing import login_verified
    from congso.workcalendars import selectors
    from congso.workcalendars.models import Calendar, Entry, Status

    cal = Calendar.objects.filter(agency__code="BENCH.WC").order_by("pk").first()
    this = selectors.monday(timezone.localdate())
    following = this + dt.timedelta(days=7)
    # the staff page reads the working version: make next week's a draft with its 10 entries
    week = cal.weeks.get(start=following)
    week.current.status = Status.DRAFT
    week.current.save(update_fields=["status"])
    from django.contrib.auth import get_user_model

    User = get_user_model()
    secretary, _ = User.objects.get_or_create(username="bench.vanthu", defaults={"kind": "official"})
    Membership.objects.get_or_create(
        user=secretary, agency=cal.agency, role=Role.CLERICAL, defaults={"valid_from": "2025-07-01"}
    )
    staff = Client()
    login_verified(staff, secretary)
    anon = Client()
    ids = list(Calendar.objects.filter(agency__code="BENCH.WC").values_list("leader_id", flat=True)[:50])
    first, last = selectors.week_bounds(this)
    cases = [
        (
            "public week page `/lich-cong-tac/<id>/`",
            lambda: anon.get(f"/lich-cong-tac/{cal.pk}/?tuan={this}"),
        ),
        (
            "iCalendar feed `/lich-cong-tac/<id>/lich.ics` (16 weeks)",
            lambda: anon.get(f"/lich-cong-tac/{cal.pk}/lich.ics"),
        ),
        (
            "public API week `/api/v1/work-calendars/public/calendars/<id>/weeks/<date>`",
            lambda: anon.get(f"/api/v1/work-calendars/public/calendars/{cal.pk}/weeks/{this}"),
        ),
        (
            "staff week page (draft, conflict check)",
            lambda: staff.get(f"/lich-cong-tac/soan/{cal.pk}/{following}/"),
        ),
        ("`selectors.busy` 50 leaders × 1 week", lambda: selectors.busy(ids, first, last)),
    ]
    for _label, fn in cases[:4]:
        response = fn()
        assert response.status_code == 200, (_label, response.status_code)
    entries = Entry.objects.filter(version__week__calendar__agency=cal.agency).count()
    print(f"{args.leaders} calendars, {entries} entries, {args.rounds} rounds")
    print("| request | median ms | p95 ms |\n|---|---|---|")
    for label, fn in cases:
        median, p95 = timed(fn, args.rounds)
        print(f"| {label} | {median:.1f} | {p95:.1f} |")


if __name__ == "__main__":
    main()
