"""Benchmark of the procedure catalogue: full import time, and search latency over ≥ 10,000 procedures.

    .venv/bin/python bench/bench_catalog_search.py                      # SQLite (a fresh temporary database)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/congso_bench .venv/bin/python bench/bench_catalog_search.py
    … bench/bench_catalog_search.py --import-only --jobs 2   # only the import and re-import, 2 worker processes

Steps: migrate a fresh database; import the real records (../shared/data/tthc when present — 1,135 — else the
271 shipped in congso/catalog/data) and time it; add generated local variants (code suffix, commune named in
the title) until there are at least --total procedures; then run a mix of real queries (with and without
diacritics, with typos, with filters), in-process through ``congso.catalog.search.search`` — the function the
HTML page and the API call — and print median and p95 per kind and overall. Not a test: nothing asserts.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_dossiers import machine_speed  # noqa: E402

QUERIES = {
    "unaccented": [
        "dang ky khai sinh",
        "chung thuc ban sao",
        "cap giay phep lai xe",
        "dang ky ket hon",
        "cap ho chieu",
        "dang ky thuong tru",
        "giay phep xay dung",
        "cap lai the can cuoc",
        "trich luc ho tich",
        "cong chung hop dong",
    ],
    "accented": [
        "đăng ký khai sinh",
        "chứng thực chữ ký",
        "đăng ký khai tử",
        "cấp giấy phép kinh doanh",
        "thay đổi cải chính hộ tịch",
    ],
    "typo/order": [
        "dang ki khai sinh",
        "dnag ky ket hon",
        "khai sinh dang ky",
        "chung thuc ban sa",
        "giay phep lai xee",
    ],
    "filtered": [
        ("dang ky", {"level": "commune"}),
        ("giay phep", {"level": "province"}),
        ("", {"field": "Hộ tịch"}),
        ("khai sinh", {"online": "partial"}),
    ],
    "filtered+typo": [
        ("dang ki khai sinh", {"level": "commune"}),
        ("giay phep lai xee", {"level": "province"}),
        ("cap giay phep", {"online": "full", "level": "province"}),
    ],
    "page": [  # later pages of large result sets
        ("dang ky", {"offset": 40}),
        ("chung thuc", {"offset": 200}),
        ("cap giay phep", {"offset": 20}),
    ],
}


def setup(database_url: str | None):
    if not database_url:
        tmp = tempfile.mkdtemp(prefix="congso-bench-")
        os.environ["CONGSO_VAR_DIR"] = tmp
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "congso.settings")
    os.environ.setdefault("CONGSO_LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.core.management import call_command

    if database_url:
        from django.db import connection

        if "bench" not in connection.settings_dict["NAME"]:
            sys.exit(
                "Refusing to wipe a database whose name does not contain 'bench'. Use e.g. congso_bench."
            )
        with connection.cursor() as cursor:  # start from an empty catalogue
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)


def generate(total: int) -> int:
    """Local variants of the real procedures (as provinces publish them: code suffix, place in the name)."""
    from django.db import transaction

    from congso.catalog.importer import _Importer, content_hash
    from congso.catalog.models import Procedure, ProcedureVersion, SearchDocument

    places = ["phường Pleiku", "xã Ia Grai", "phường Quy Nhơn", "xã Chư Păh", "phường An Khê", "xã Đak Đoa"]
    base = list(Procedure.objects.select_related("current_version").exclude(current_version=None))
    importer = _Importer()
    needed = total - len(base)
    made = 0
    with transaction.atomic():
        round_ = 0
        while made < needed:
            round_ += 1
            procedures, contents = [], []
            for original in base:
                if made >= needed:
                    break
                content = dict(original.current_version.content)
                content["code"] = f"{original.code}.H{20 + round_:02d}"
                content["name"] = f"{content['name']} (thực hiện tại {places[made % len(places)]})"
                procedure = Procedure(code=content["code"])
                importer._apply(procedure, content)
                procedures.append(procedure)
                contents.append(content)
                made += 1
            Procedure.objects.bulk_create(procedures, batch_size=500)
            saved = {p.code: p for p in Procedure.objects.filter(code__in=[c["code"] for c in contents])}
            SearchDocument.objects.bulk_create(
                [
                    SearchDocument(
                        procedure=saved[p.code], name_folded=p._name_folded, search_text=p._search_text
                    )
                    for p in procedures
                ],
                batch_size=500,
            )
            versions = ProcedureVersion.objects.bulk_create(
                [
                    ProcedureVersion(
                        procedure=saved[c["code"]],
                        number=1,
                        content=c,
                        content_hash=content_hash(c),
                        source="bench",
                    )
                    for c in contents
                ],
                batch_size=500,
            )
            for version in versions:
                Procedure.objects.filter(pk=version.procedure_id).update(current_version=version)
    return made


def percentile(values, q):
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--total", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument(
        "--data", default=None, help="folder of records (default: ../shared or the shipped data)"
    )
    parser.add_argument(
        "--jobs", type=int, default=1, help="worker processes of the import (PostgreSQL; 1 = serial)"
    )
    parser.add_argument("--import-only", action="store_true", help="stop after the import and re-import")
    args = parser.parse_args()
    database_url = os.environ.get("DATABASE_URL")
    setup(database_url)

    from django.db import connection

    from congso.catalog.models import Procedure
    from congso.catalog.parallel_import import import_paths
    from congso.catalog.search import rebuild_vocabulary, search

    shared = ROOT.parent / "shared" / "data" / "tthc" / "records"
    shipped = ROOT / "congso" / "catalog" / "data" / "tthc" / "records"
    data = Path(args.data) if args.data else (shared if shared.exists() else shipped)
    print(f"database: {connection.vendor}; records: {data}; {machine_speed()}")

    started, cpu = time.perf_counter(), time.process_time()
    report = import_paths([data], jobs=args.jobs)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    print(
        f"import: {report.created} created, {report.failed} failed in {elapsed:.1f} s wall, "
        f"{cpu:.1f} s CPU of this process{' (not of its workers)' if args.jobs > 1 else ''} "
        f"({elapsed / max(1, report.created) * 1000:.1f} ms per record; jobs={args.jobs})"
    )
    started = time.perf_counter()
    report = import_paths([data], jobs=args.jobs)
    print(f"re-import (all unchanged: {report.unchanged}) in {time.perf_counter() - started:.1f} s")
    print(f"  load average at the end of the import: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    if args.import_only:
        return

    made = generate(args.total)
    rebuild_vocabulary()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    count = Procedure.objects.filter(is_active=True).count()
    print(f"procedures: {count} ({made} generated variants)")

    cases = []
    for kind, queries in QUERIES.items():
        for item in queries:
            query, filters = item if isinstance(item, tuple) else (item, {})
            cases.append((kind, query, filters))
    for _kind, query, filters in cases:  # warm-up: caches, vocabulary, query plans
        search(query, **filters)
    timings: dict[str, list[float]] = {}
    cpu_times: list[float] = []
    hits = {}
    for _ in range(args.repeat):
        for kind, query, filters in cases:
            c0, t0 = time.process_time(), time.perf_counter()
            result = search(query, **filters)
            timings.setdefault(kind, []).append((time.perf_counter() - t0) * 1000)
            cpu_times.append((time.process_time() - c0) * 1000)
            hits[(query, str(filters))] = result.total
    every = [t for values in timings.values() for t in values]
    print(f"\nsearch latency over {count} procedures, {args.repeat} rounds of {len(cases)} queries (ms):")
    print(f"  {'kind':<14} {'n':>5} {'median':>8} {'p95':>8} {'max':>8}")
    for kind, values in [*timings.items(), ("overall", every)]:
        print(
            f"  {kind:<14} {len(values):>5} {statistics.median(values):>8.1f} "
            f"{percentile(values, 95):>8.1f} {max(values):>8.1f}"
        )
    print(
        f"  CPU time of this process per query: median {statistics.median(cpu_times):.1f}, "
        f"p95 {percentile(cpu_times, 95):.1f} (SQLite runs in-process; PostgreSQL's own CPU is not included)"
    )
    print(f"  load average at the end of the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(
        "\nmatches per query:",
        ", ".join(f"{q or '(filters)'}={n}" for (q, _), n in list(hits.items())[:8]),
        "…",
    )


if __name__ == "__main__":
    main()
