"""Benchmark the one-stop back office (issue 5).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/congso_bench .venv/bin/python bench/bench_dossiers.py
    .venv/bin/python bench/bench_dossiers.py            # SQLite in a temporary file

1. Fills the database with N dossiers (default 1,000,000 on PostgreSQL, 200,000 on SQLite) spread over
   60 agencies, all statuses and steps, with SQL set operations (not the ORM, for speed).
2. Inbox: an officer's, a leader's and a clerk's inbox pages (the real view through Django's test client,
   including the count, the first page and the template), repeated; prints median and p95 in ms.
3. Counter receipts: W worker processes each receive dossiers with two 200 KB PDF attachments through
   ``services.receive`` (content checks, code sequence, timeline, audit, files) for T seconds; prints
   receipts per second, the worker processes' CPU time per receipt and the SQL statements of one receipt.
   ``--only receipts`` skips steps 1 and 2; ``--online`` also times online submissions (channel 2).
   ``--agencies A`` spreads the processes over A agencies (default: one agency per process, as counter
   clerks at different communes; receipts at one agency are serialised on its code counter, so
   ``--agencies 1`` measures that worst case). ``BENCH_WITHOUT=congso.scorecard`` runs the receipts
   with that app's hook subscribers removed (the cost of the scorecard's facts on the write path);
   ``--compare congso.scorecard --pairs 5`` alternates with and without it in one run and prints the
   medians and the overhead.
"""

import argparse
import io
import multiprocessing as mp
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def machine_speed() -> str:
    """How fast this machine runs Python right now: the same machine gave the same loop 0.5 s one hour
    and 0.8 s the next. Printed with every figure, so figures can be compared across runs."""
    started = time.perf_counter()
    total = 0
    for i in range(5_000_000):
        total += i
    return f"machine speed probe: a 5,000,000-step Python loop takes {time.perf_counter() - started:.2f} s"


def setup_django(db_url: str | None, var_dir: str):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "congso.settings")
    os.environ["CONGSO_VAR_DIR"] = var_dir
    os.environ["CONGSO_LOG_LEVEL"] = "WARNING"
    os.environ["CONGSO_AXES_ENABLED"] = "false"
    if db_url:
        os.environ["DATABASE_URL"] = db_url
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{var_dir}/bench.sqlite3"
    import django

    django.setup()


def pdf_200k(seed: int) -> bytes:
    """A one-page PDF of about 200 KB (an embedded scan-like image stream), like a scanned form."""
    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject, NumberObject

    writer = PdfWriter()
    page = writer.add_blank_page(width=595, height=842)
    data = (bytes(range(256)) * 800)[: 200_000 - 2_000]
    data = bytes((b + seed) % 256 for b in data[:64]) + data[64:]
    image = DecodedStreamObject()
    image.set_data(data)
    image.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Image"),
            NameObject("/Width"): NumberObject(396),
            NameObject("/Height"): NumberObject(500),
            NameObject("/ColorSpace"): NameObject("/DeviceGray"),
            NameObject("/BitsPerComponent"): NumberObject(8),
        }
    )
    ref = writer._add_object(image)
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/XObject"): DictionaryObject({NameObject("/Im0"): ref})}
    )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def build_world():
    from congso.accounts.models import User
    from congso.catalog.models import Procedure, ProcedureVersion
    from congso.directory.models import AdministrativeUnit, Agency, Membership, Role
    from congso.dossiers.processes import template_for

    province, _ = AdministrativeUnit.objects.get_or_create(
        code="52", valid_from="2025-07-01", defaults={"name": "Tỉnh Gia Lai", "kind": "province", "level": 1}
    )
    procedure, created = Procedure.objects.get_or_create(
        code="1.001193", defaults={"name": "Thủ tục đăng ký khai sinh"}
    )
    if created or not procedure.current_version_id:
        content = {
            "code": "1.001193",
            "name": procedure.name,
            "components": [{"name": "Tờ khai"}, {"name": "Giấy chứng sinh"}],
            "channels": [{"channel": "in_person", "time": {"value": 3, "unit": "working_days"}}],
        }
        v = ProcedureVersion.objects.create(
            procedure=procedure, number=1, content=content, content_hash="b" * 64
        )
        procedure.current_version = v
        procedure.save()
    agencies = []
    for i in range(60):
        code = f"H21.BENCH{i:02d}"
        ag, _ = Agency.objects.get_or_create(
            code=code,
            defaults={"name": f"UBND xã thử tải {i}", "kind": "peoples_committee", "unit": province},
        )
        agencies.append(ag)
    users = {}
    for role in (Role.CLERK, Role.OFFICER, Role.LEADER, Role.CLERICAL):
        user, _ = User.objects.get_or_create(
            username=f"bench.{role}", defaults={"kind": "official", "full_name": f"Cán bộ {role}"}
        )
        Membership.objects.get_or_create(user=user, agency=agencies[0], role=role)
        users[role] = user
    # one counter clerk at each of the first 16 agencies (receipts spread over agencies)
    users["clerks"] = [users[Role.CLERK]]
    for i, agency in enumerate(agencies[1:16], start=1):
        user, _ = User.objects.get_or_create(
            username=f"bench.clerk{i:02d}", defaults={"kind": "official", "full_name": f"Cán bộ một cửa {i}"}
        )
        Membership.objects.get_or_create(user=user, agency=agency, role=Role.CLERK)
        users["clerks"].append(user)
    templates = [template_for(ag, procedure) for ag in agencies]
    return procedure.current_version, agencies, templates, users


def fill(n: int, version, agencies, templates):
    from django.db import connection

    from congso.dossiers.models import Dossier

    have = Dossier.objects.count()
    if have >= n:
        print(f"database already holds {have:,} dossiers")
        return
    steps = {t.agency_id: list(t.steps.order_by("position").values_list("pk", "role")) for t in templates}
    vendor = connection.vendor
    t0 = time.perf_counter()
    batch = 100_000 if vendor == "postgresql" else 20_000
    start = have
    with connection.cursor() as cur:
        while start < n:
            stop = min(n, start + batch)
            for a_index, ag in enumerate(agencies):
                s = steps[ag.pk]
                first = start + ((a_index - start) % 60)  # first k >= start with k % 60 == a_index
                # dossiers number k in [start, stop) with k % 60 == a_index go to agency a_index
                case_step = " ".join(f"WHEN {i} THEN {pk}" for i, (pk, _r) in enumerate(s))
                case_role = " ".join(f"WHEN {i} THEN '{role}'" for i, (_pk, role) in enumerate(s))
                if vendor == "postgresql":
                    series = f"generate_series({first}, {stop - 1}, 60) AS k"
                    ts = "TIMESTAMPTZ '2025-07-01 08:00+07' + (k % 500) * INTERVAL '1 day' + (k % 480) * INTERVAL '1 minute'"
                    code = f"'{ag.code}-' || lpad((k / 60)::text, 8, '0')"
                    mod = "%"
                else:
                    series = (
                        f"(WITH RECURSIVE g(k) AS (SELECT {first} UNION ALL SELECT k + 60 FROM g "
                        f"WHERE k + 60 < {stop}) SELECT k FROM g)"
                    )
                    ts = "datetime('2025-07-01 01:00', '+' || (k % 500) || ' days', '+' || (k % 480) || ' minutes')"
                    code = f"'{ag.code}-' || substr('00000000' || (k / 60), -8, 8)"
                    mod = "%"
                status = (
                    f"(CASE k {mod} 20 WHEN 0 THEN 1 WHEN 1 THEN 5 WHEN 2 THEN 6 WHEN 3 THEN 3 WHEN 4 THEN 7 WHEN 5 THEN 8 "
                    f"WHEN 6 THEN 9 WHEN 7 THEN 2 ELSE (CASE WHEN k {mod} 3 = 0 THEN 4 ELSE 10 END) END)"
                )
                sql = f"""
                INSERT INTO dossiers_dossier (code, procedure_version_id, receiving_agency_id, current_agency_id, channel,
                  status, version, applicant_name, applicant_folded, applicant_id_number, applicant_phone, applicant_email,
                  applicant_address, on_behalf_of, form_data, submitted_at, received_at, allowance_value, allowance_unit,
                  due_at, legal_due_at, is_late, template_id, current_step_id, holder_role, created_at, updated_at)
                SELECT {code}, {version.pk}, {ag.pk}, {ag.pk}, 1 + (k {mod} 3), {status}, 1,
                  'Nguyễn Văn Thử ' || k, 'nguyen van thu ' || k, lpad((k {mod} 1000000000)::text, 12, '0'), '0905' || k, '',
                  '', '', '{{}}', {ts}, {ts}, 3, 'working_days',
                  {ts}, {ts}, (k {mod} 7 = 0), {templates[a_index].pk},
                  (CASE k {mod} {len(s)} {case_step} END), (CASE k {mod} {len(s)} {case_role} END), {ts}, {ts}
                FROM {series}
                """
                if vendor != "postgresql":
                    sql = sql.replace(
                        "lpad((k % 1000000000)::text, 12, '0')", "substr('000000000000' || k, -12, 12)"
                    )
                    sql = sql.replace(f"FROM {series}", f"FROM {series} AS s")
                cur.execute(sql)
            start = stop
            print(f"  {start:,} dossiers ({time.perf_counter() - t0:.0f} s)", flush=True)
    if vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("ANALYZE dossiers_dossier")
    print(f"filled {n - have:,} dossiers in {time.perf_counter() - t0:.1f} s")


def bench_inbox(users, repeats: int):
    from django.test import Client

    results = {}
    for role, box in (
        ("officer", "handle"),
        ("leader", "sign"),
        ("clerk", "return"),
        ("officer", "overdue"),
        ("clerk", "all"),
    ):
        from congso.directory.testing import login_verified

        client = Client()
        login_verified(client, users[role])  # officials pass TOTP, as in production
        url = f"/mot-cua/?box={box}"
        response = client.get(url)
        assert response.status_code == 200, response.status_code
        times = []
        for i in range(repeats):
            page = 1 + (i % 5)
            t0 = time.perf_counter()
            response = client.get(f"{url}&page={page}")
            times.append((time.perf_counter() - t0) * 1000)
            assert response.status_code == 200
        times.sort()
        results[f"{role}:{box}"] = (statistics.median(times), times[int(len(times) * 0.95) - 1])
    return results


def _unsubscribe(prefix: str) -> None:
    """``BENCH_WITHOUT=congso.scorecard``: the named app's subscribers leave every hook, to measure the
    write path without them (the scorecard's facts, issue 16: overhead < 10 %)."""
    if not prefix:
        return
    from congso.core.hooks import Event, all_hooks

    for hook in all_hooks().values():
        if isinstance(hook, Event):
            for fn in hook.subscribers:
                if fn.__module__.startswith(prefix):
                    hook.unsubscribe(fn)


def _receipt_worker(args):
    db_url, var_dir, seconds, worker, agency_pk, version_pk, clerk_pk, online, without = args
    setup_django(db_url, var_dir)
    _unsubscribe(without)
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from congso.accounts.models import User
    from congso.catalog.models import ProcedureVersion
    from congso.directory.models import Agency
    from congso.dossiers import services
    from congso.dossiers.models import Channel

    agency, version, clerk = (
        Agency.objects.get(pk=agency_pk),
        ProcedureVersion.objects.get(pk=version_pk),
        User.objects.get(pk=clerk_pk),
    )
    files = [pdf_200k(worker * 2), pdf_200k(worker * 2 + 1)]

    def receive(n):
        services.receive(
            actor=clerk,
            agency=agency,
            procedure_version=version,
            channel=Channel.ONLINE if online else Channel.IN_PERSON,
            applicant=services.Applicant(name=f"Trần Thị Tải {worker}-{n}", phone="0914000000"),
            uploads=[
                services.Upload("Tờ khai", files[0], "to-khai.pdf"),
                services.Upload("Giấy chứng sinh", files[1], "gcs.pdf"),
            ],
            accept_now=not online,
        )

    receive(-1)  # warm up (imports, caches)
    with CaptureQueriesContext(connection) as queries:
        receive(-2)
    # How long each receipt holds its agency's code counter (locked from the upsert until commit): receipts
    # at one agency are serialised on that row, so this bounds their rate whatever the CPU count.
    held = []

    def watch_counter(execute, sql, params, many, context):
        if "dossiercodesequence" in sql:
            locked = time.perf_counter()
            transaction.on_commit(lambda: held.append(time.perf_counter() - locked))
        return execute(sql, params, many, context)

    count, t_end = 0, time.perf_counter() + seconds
    t0, cpu0 = time.perf_counter(), time.process_time()
    with connection.execute_wrapper(watch_counter):
        while time.perf_counter() < t_end:
            receive(count)
            count += 1
    elapsed, cpu = time.perf_counter() - t0, time.process_time() - cpu0
    connection.close()
    return count, elapsed, cpu, len(queries.captured_queries), held


def bench_receipts(
    db_url, var_dir, workers: int, seconds: float, agencies, version, clerks, online=False, without=None
):
    """Returns (receipts, seconds, CPU ms of the Python process per receipt, SQL statements per receipt,
    median ms the agency's code counter stays locked per receipt). ``without``: an app whose hook
    subscribers the workers remove (default: ``BENCH_WITHOUT``)."""
    without = os.environ.get("BENCH_WITHOUT", "") if without is None else without
    ctx = mp.get_context("spawn")
    with ctx.Pool(workers) as pool:
        results = pool.map(
            _receipt_worker,
            [
                (
                    db_url,
                    var_dir,
                    seconds,
                    w,
                    agencies[w % len(agencies)].pk,
                    version.pk,
                    clerks[w % len(agencies)].pk,
                    online,
                    without,
                )
                for w in range(workers)
            ],
        )
    total = sum(r[0] for r in results)
    elapsed = max(r[1] for r in results)
    cpu_ms = 1000 * sum(r[2] for r in results) / max(total, 1)
    held = [h for r in results for h in r[4]]
    return total, elapsed, cpu_ms, results[0][3], 1000 * statistics.median(held) if held else 0.0


def compare(args, db_url, var_dir, agencies, version, clerks) -> None:
    """Receipts with and without ``args.compare``'s subscribers, alternated (with first, then without,
    ``args.pairs`` times) so a change in the machine's load falls on both sides; prints every run, the
    medians and the overhead of the app on the write path."""
    print(
        f"\ncounter receipts, two 200 KB PDFs each, {args.workers} processes × {args.seconds:.0f} s at "
        f"{len(agencies)} agencies; with and without {args.compare}, alternated, {args.pairs} pairs:"
    )
    rates: dict[str, list[float]] = {"with": [], "without": []}
    cpus: dict[str, list[float]] = {"with": [], "without": []}
    for i in range(args.pairs):
        for side, without in (("with", ""), ("without", args.compare)):
            total, elapsed, cpu_ms, statements, _held = bench_receipts(
                db_url, var_dir, args.workers, args.seconds, agencies, version, clerks, without=without
            )
            rates[side].append(total / elapsed)
            cpus[side].append(cpu_ms)
            print(
                f"  pair {i + 1} {side:7s}: {total / elapsed:6.1f} per second; {cpu_ms:5.1f} ms CPU (Python) "
                f"and {statements} SQL statements each; load {os.getloadavg()[0]:.2f}",
                flush=True,
            )
    w, wo = statistics.median(rates["with"]), statistics.median(rates["without"])
    ratios = [a / b for a, b in zip(rates["with"], rates["without"], strict=True)]
    print(
        f"  median: with {w:.1f}/s, without {wo:.1f}/s; throughput cost {100 * (1 - w / wo):.1f} % "
        f"(median of the pairs' ratios: {100 * (1 - statistics.median(ratios)):.1f} %); CPU per receipt "
        f"{statistics.median(cpus['with']):.1f} ms with, {statistics.median(cpus['without']):.1f} ms without"
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--dossiers", type=int, default=None)
    parser.add_argument("--repeats", type=int, default=60)
    # 3: on 2 cores, 3 processes keep both busy while one waits on the database; 4 were slower (measured)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument(
        "--agencies",
        type=int,
        default=None,
        help="receipts go to this many agencies (default: one per process; at most 16)",
    )
    parser.add_argument(
        "--only",
        choices=["all", "inbox", "receipts"],
        default="all",
        help="receipts: skip filling the database and the inbox pages",
    )
    parser.add_argument(
        "--online", action="store_true", help="also time online submissions (channel 2, not accepted)"
    )
    parser.add_argument(
        "--compare",
        metavar="APP",
        default="",
        help="alternate receipts with and without APP's hook subscribers (e.g. congso.scorecard), "
        "--pairs times, and print the medians and the overhead",
    )
    parser.add_argument("--pairs", type=int, default=5)
    args = parser.parse_args()
    db_url = os.environ.get("DATABASE_URL")
    var_dir = tempfile.mkdtemp(prefix="congso-bench-")
    setup_django(db_url, var_dir)
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    n = args.dossiers or (1_000_000 if connection.vendor == "postgresql" else 200_000)
    print(f"database: {connection.vendor}; target {n:,} dossiers; {machine_speed()}")
    version, agencies, templates, users = build_world()
    if args.only != "receipts":
        fill(n, version, agencies, templates)
        print("\ninbox pages (view + count + first pages + template), ms:")
        for key, (median, p95) in bench_inbox(users, args.repeats).items():
            print(f"  {key:16s} median {median:6.1f}   p95 {p95:6.1f}")
    if args.only == "inbox":
        return
    spread = max(1, min(16, args.agencies or args.workers))
    if args.compare:
        compare(args, db_url, var_dir, agencies[:spread], version, users["clerks"])
        return
    kinds = [("counter receipts (accepted at once)", False)] + (
        [("online submissions", True)] if args.online else []
    )
    for label, online in kinds:
        print(
            f"\n{label}, two 200 KB PDFs each, {args.workers} processes × {args.seconds:.0f} s "
            f"at {spread} agenc{'y' if spread == 1 else 'ies'}:"
        )
        total, elapsed, cpu_ms, statements, held_ms = bench_receipts(
            db_url, var_dir, args.workers, args.seconds, agencies[:spread], version, users["clerks"], online
        )
        print(
            f"  {total} in {elapsed:.1f} s = {total / elapsed:.1f} per second; "
            f"{cpu_ms:.1f} ms CPU (Python) and {statements} SQL statements each; "
            f"code counter locked {held_ms:.1f} ms (median)"
        )


if __name__ == "__main__":
    main()
