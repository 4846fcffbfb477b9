"""Benchmark of official documents: search with permission filters over many documents, and concurrent
numbering in one register.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/congso_h18s .venv/bin/python bench/bench_documents.py \
        --documents 1000000 --rounds 5

Steps: migrate; make (or find again) the search world of ``--documents`` documents: twelve agencies
under one province office, their văn thư, leaders and officers, and the documents themselves, written
by PostgreSQL with ``generate_series`` (``documents_corpus.py``: subjects from pieces with common and
rare words, 60% incoming, 1% secret, handlers assigned, secret readers named, recipients of released
documents). A second run with the same ``--documents`` finds the world by its agency codes and does not
fill again. Then, per round, every query for every user, "before": the plain query
(``selectors.search_plain``, what search did before ADR 0183) on the schema before it (its three
indexes dropped and the foreign key's index on ``created_by`` back, in a transaction rolled back), and
"after": ``selectors.search`` (the walk or the index); both must return the same rows. Prints median and
p95 per user and query kind, and the load average.

``--numbering-rounds N``: also N rounds of 50 threads taking a number at once in one register
(``services.take_number``), checking the 50 numbers are consecutive.
Not a test: nothing asserts but the consecutive numbers and the identical results.
"""

import argparse
import os
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import documents_corpus as corpus  # noqa: E402
from bench_dossiers import machine_speed  # noqa: E402

# (label, query): common to absent, measured in the world of 1,000,000 documents (share of all documents)
QUERIES = [
    ("common", "chuyen doi so"),  # 13%
    ("common", "phòng chống"),  # 8%
    ("common", "văn thư lưu trữ"),  # 3%
    ("medium", "ho tich"),  # 2%
    ("medium", "tết nguyên đán"),  # 1.8%
    ("medium", "ngân sách"),  # 2.5%
    ("rare", "cửa khẩu lệ thanh"),  # 0.6%
    ("rare", "kbang"),  # 0.4%
    ("rare", "xã hra"),  # 0.3%
    ("rare", "lien xa ia grai"),  # 0.04%: a project road
    ("absent", "đường sắt tốc độ cao"),  # none
    ("absent", "sân bay quốc tế"),  # none
]


def setup(database_url: str | None):
    if not database_url:
        sys.exit("This benchmark runs on PostgreSQL: set DATABASE_URL (your own database).")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "congso.settings")
    os.environ.setdefault("CONGSO_LOG_LEVEL", "WARNING")
    os.environ.setdefault("CONGSO_VAR_DIR", "/tmp/congso-bench-documents")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)


def world(n: int) -> dict:
    """The agencies, people and registers of the world of ``n`` documents (made once, found again)."""
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from congso.directory.models import AdministrativeUnit, Agency, Membership, Role
    from congso.documents.models import Register

    tag = f"BS{n}"
    User = get_user_model()
    with transaction.atomic():
        unit, _ = AdministrativeUnit.objects.get_or_create(
            code="52", valid_from="2025-07-01", defaults={"name": "Gia Lai", "kind": "province", "level": 1}
        )
        province, created = Agency.objects.get_or_create(
            code=f"{tag}-00",
            defaults={"name": "Ủy ban nhân dân tỉnh (thử tải)", "kind": "peoples_committee", "unit": unit},
        )
        agencies = []
        for i, name in enumerate(corpus.AGENCY_NAMES, start=1):
            a, _ = Agency.objects.get_or_create(
                code=f"{tag}-{i:02}",
                defaults={"name": name, "kind": "department", "unit": unit, "parent": province},
            )
            agencies.append(a)

        def person(username, full_name, agency, role, subtree=False):
            user = User.objects.filter(username=username).first()
            if user is None:
                user = User.objects.create_user(username, full_name=full_name, kind="official")
                Membership.objects.create(
                    user=user, agency=agency, role=role, include_subtree=subtree, valid_from="2025-07-01"
                )
            return user

        w = {
            "agencies": [a.pk for a in agencies],
            "notations": [],
            "clerks": [],
            "leaders": [],
            "officers": [],
        }
        w["registers"] = []
        w["out_registers"] = []
        for i, a in enumerate(agencies, start=1):
            w["clerks"].append(person(f"vanthu.{tag}.{i}", f"Văn thư {a.name}", a, Role.CLERICAL).pk)
            w["leaders"].append(person(f"lanhdao.{tag}.{i}", f"Lãnh đạo {a.name}", a, Role.LEADER).pk)
            for k in range(corpus.OFFICERS_PER_AGENCY):
                w["officers"].append(
                    person(f"chuyenvien.{tag}.{i}.{k}", f"Chuyên viên {k}", a, Role.OFFICER).pk
                )
            notation = f"S{i:02}"
            w["notations"].append(notation)
            w["registers"].append(
                Register.objects.get_or_create(agency=a, name="Sổ văn bản đến", defaults={"direction": "in"})[
                    0
                ].pk
            )
            w["out_registers"].append(
                Register.objects.get_or_create(
                    agency=a, name="Sổ văn bản đi", defaults={"direction": "out", "notation": notation}
                )[0]
            )
        w["users"] = {
            # (a) the văn thư of the largest agency (30% of the documents)
            "văn thư, own agency (30%)": User.objects.get(username=f"vanthu.{tag}.1"),
            # (b) văn thư of the smallest agency (0.2%), a handler of 30 documents of the largest and a
            # named reader of 3 of its secret ones (set after the fill)
            "other agency, sees few": person(
                f"khac.{tag}", "Văn thư cơ quan khác", agencies[-1], Role.CLERICAL
            ),
            # (b') an officer of another agency with nothing assigned: sees none
            "other agency, sees none": person(
                f"khong.{tag}", "Chuyên viên cơ quan khác", agencies[-1], Role.OFFICER
            ),
            # (c) the province's leader over the whole tree: sees every document, secret ones too
            "province leader, sees all": person(f"tinh.{tag}", "Lãnh đạo tỉnh", province, Role.LEADER, True),
        }
    return w


def fill(n: int, w: dict) -> float:
    """Write ``n`` documents and their handlers, readers and recipients; seconds taken. The trigram
    index is dropped during the fill and built again after (one transaction)."""
    from django.db import connection, transaction

    params = corpus.fill_params(n, w)
    params["n_agencies"] = len(w["agencies"])
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'documents_search_trgm'")
        trgm = cursor.fetchone()
        if trgm:
            cursor.execute("DROP INDEX documents_search_trgm")
        cursor.execute("SELECT setseed(0.18)")
        cursor.execute(corpus.FILL_SQL, params)
        for sql in corpus.RELATED_SQL:
            cursor.execute(sql, params)
        other = w["users"]["other agency, sees few"].pk
        cursor.execute(
            "INSERT INTO documents_assignment (document_id, user_id, kind, created_at)"
            " SELECT id, %s, 'co', created_at FROM documents_document WHERE agency_id = %s AND direction = 'in'"
            " AND secrecy = '' ORDER BY id DESC LIMIT 30 ON CONFLICT DO NOTHING",
            [other, w["agencies"][0]],
        )
        cursor.execute(
            "INSERT INTO documents_secretreader (document_id, user_id, named_at)"
            " SELECT id, %s, created_at FROM documents_document WHERE agency_id = %s AND secrecy <> ''"
            " ORDER BY id LIMIT 3",
            [other, w["agencies"][0]],
        )
        if trgm:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # check the foreign keys now, then index
            cursor.execute(trgm[0])
    with connection.cursor() as cursor:
        for table in (
            "documents_document",
            "documents_assignment",
            "documents_secretreader",
            "documents_recipient",
        ):
            cursor.execute(f"VACUUM ANALYZE {table}")
    return time.perf_counter() - started


def check_folded(w: dict, sample: int = 200):
    """The generated ``search_folded`` is what ``Document.refresh_search`` writes."""
    from congso.documents.models import Document

    for doc in (
        Document.objects.filter(agency_id__in=w["agencies"]).select_related("doc_type").order_by("?")[:sample]
    ):
        expected = doc.search_folded
        doc.refresh_search()
        if doc.search_folded != expected:
            sys.exit(f"generated search_folded differs: {expected!r} != {doc.search_folded!r}")


def share(query: str, w: dict) -> float:
    from congso.core.text import fold
    from congso.documents.models import Document

    qs = Document.objects.filter(agency_id__in=w["agencies"])
    total = qs.count()
    for word in fold(query).split():
        qs = qs.filter(search_folded__contains=word)
    return qs.count() / total


def one_round(register, clerical, n: int) -> float:
    """``n`` threads take a number at once; the seconds it took. The numbers must be consecutive."""
    from django.db import connection

    from congso.documents import services

    barrier = threading.Barrier(n)
    got, errors = [], []
    lock = threading.Lock()

    def run():
        try:
            barrier.wait()
            number = services.take_number(register.pk, actor=clerical).number
            with lock:
                got.append(number)
        except Exception as exc:  # noqa: BLE001 — reported below
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(n)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    took = time.perf_counter() - started
    got.sort()
    if errors or got != list(range(got[0], got[0] + n)):
        sys.exit(f"numbers not consecutive or errors: {errors[:3]}")
    return took


def timed(fn, *args) -> tuple[float, list[int]]:
    started = time.perf_counter()
    ids = [d.pk for d in fn(*args)]
    return (time.perf_counter() - started) * 1000, ids


def p95(values):
    return sorted(values)[max(0, int(len(values) * 0.95 + 0.5) - 1)]


def loadavg() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--documents", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--numbering-rounds", type=int, default=0)
    parser.add_argument("--no-plain", action="store_true", help="time only the new search")
    args = parser.parse_args()
    setup(os.environ.get("DATABASE_URL"))
    from django.db import connection, transaction

    from congso.documents import selectors
    from congso.documents.models import Document

    print(time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "load average", loadavg())
    print(machine_speed())
    w = world(args.documents)
    have = Document.objects.filter(agency_id__in=w["agencies"]).count()
    if have == 0:
        took = fill(args.documents, w)
        print(
            f"inserted {args.documents:,} documents (and their handlers, readers, recipients) in {took:.0f} s"
        )
    elif have != args.documents:
        sys.exit(f"the world BS{args.documents} holds {have:,} documents, not {args.documents:,}")
    else:
        print(f"found the world of {have:,} documents")
    check_folded(w)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM documents_document")
        print(f"documents in the table: {cursor.fetchone()[0]:,}")
    for label, q in QUERIES:
        print(f"  {label:7} {q!r}: {share(q, w) * 100:.2f}% of the documents")

    if args.numbering_rounds:
        times = [
            one_round(w["out_registers"][0], w["users"]["văn thư, own agency (30%)"], 50)
            for _ in range(args.numbering_rounds)
        ]
        print(
            f"numbering: {args.numbering_rounds} rounds of 50 concurrent takes, all consecutive; "
            f"median {statistics.median(times) * 1000:.0f} ms per round, max {max(times) * 1000:.0f} ms"
        )

    times = {}  # (user, kind, plan) -> [ms]
    results = {}  # (round, user, query) -> {plan: ids}
    loads = []

    def run(plan, fn, r):
        for user_label, user in w["users"].items():
            for kind, q in QUERIES:
                ms, ids = timed(fn, user, q)
                times.setdefault((user_label, kind, plan), []).append(ms)
                results.setdefault((r, user_label, q), {})[plan] = ids

    for r in range(args.rounds):
        loads.append(os.getloadavg()[0])
        if not args.no_plain:
            # before: the plain query on the schema of migration 0008 (this change's indexes dropped,
            # the foreign key's index on created_by back), in a transaction rolled back
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(
                    "DROP INDEX documents_doc_search_order, documents_doc_search_all, documents_doc_own"
                )
                cursor.execute(
                    "CREATE INDEX documents_created_by_before ON documents_document (created_by_id)"
                )
                run("before", selectors.search_plain, r)
                transaction.set_rollback(True)
        loads.append(os.getloadavg()[0])
        run("after", selectors.search, r)
    for key, by_plan in results.items():
        if len(set(map(tuple, by_plan.values()))) > 1:
            sys.exit(f"plans differ for {key}: {by_plan}")
    plans = ["after"] + ([] if args.no_plain else ["before"])
    print(f"load average (1 min) during the rounds: {min(loads):.2f}–{max(loads):.2f}; now {loadavg()}")
    print("| user | query kind | plan | median ms | p95 ms | n |")
    print("|---|---|---|---|---|---|")
    kinds = {k: i for i, k in enumerate(dict.fromkeys(k for k, _q in QUERIES))}
    users = {u: i for i, u in enumerate(w["users"])}
    for (user_label, kind, plan), t in sorted(
        times.items(), key=lambda i: (users[i[0][0]], kinds[i[0][1]], i[0][2] != "before")
    ):
        print(f"| {user_label} | {kind} | {plan} | {statistics.median(t):.1f} | {p95(t):.1f} | {len(t)} |")
    for plan in plans:
        every = [x for (u, k, p), t in times.items() if p == plan for x in t]
        print(
            f"all queries, {plan}: median {statistics.median(every):.1f} ms, p95 {p95(every):.1f} ms, n {len(every)}"
        )


if __name__ == "__main__":
    main()
