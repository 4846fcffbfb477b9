"""Benchmark of official documents: concurrent numbering in one register, and search with permission filters.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/congso_h18a .venv/bin/python bench/bench_documents.py \
        --documents 100000 --rounds 5

Steps: migrate; make a bench agency with its văn thư (names suffixed by the run, nothing is wiped);
numbering: ``--rounds`` rounds of 50 threads taking a number at once in one register
(``services.take_number``, the function văn thư's issue calls), checking the 50 numbers are consecutive
and timing each round; search: bulk-insert ``--documents`` incoming documents with realistic subjects,
then time ``selectors.search`` (metadata without diacritics, with the permission filter of a văn thư who
sees them and of an official of another agency who sees none) and print median and p95.
Not a test: nothing asserts but the consecutive numbers.
"""

import argparse
import os
import random
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_dossiers import machine_speed  # noqa: E402

SUBJECTS = [
    "Về việc tăng cường công tác chuyển đổi số năm {y}",
    "Kế hoạch kiểm tra công tác văn thư, lưu trữ năm {y}",
    "Về việc rà soát thủ tục hành chính lĩnh vực hộ tịch",
    "Quyết định kiện toàn Ban Chỉ đạo cải cách hành chính",
    "Về việc phòng chống thiên tai, tìm kiếm cứu nạn mùa mưa bão {y}",
    "Báo cáo tình hình kinh tế – xã hội tháng {m}",
    "Thông báo kết luận của Chủ tịch UBND tỉnh tại buổi làm việc",
    "Về việc chuẩn bị tổ chức Tết Nguyên đán",
    "Hướng dẫn chứng thực bản sao điện tử từ bản chính",
    "Về việc đôn đốc giải ngân vốn đầu tư công",
]
QUERIES = [
    "chuyen doi so",
    "văn thư lưu trữ",
    "ho tich",
    "thien tai cuu nan",
    "giai ngan dau tu cong",
    "tết nguyên đán",
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


def world(run: str):
    from django.contrib.auth import get_user_model

    from congso.directory.models import AdministrativeUnit, Agency, Membership, Role
    from congso.documents.models import Register

    unit, _ = AdministrativeUnit.objects.get_or_create(
        code="52", valid_from="2025-07-01", defaults={"name": "Gia Lai", "kind": "province", "level": 1}
    )
    agencies = []
    for i in (1, 2):
        a = Agency.objects.create(
            code=f"B{run}{i}", name=f"Cơ quan thử tải {run}-{i}", kind="department", unit=unit
        )
        agencies.append(a)
    User = get_user_model()
    clerical = User.objects.create_user(f"vanthu.bench{run}", full_name="Văn thư thử tải", kind="official")
    other = User.objects.create_user(f"vanthu.khac{run}", full_name="Văn thư cơ quan khác", kind="official")
    Membership.objects.create(user=clerical, agency=agencies[0], role=Role.CLERICAL, valid_from="2025-07-01")
    Membership.objects.create(user=other, agency=agencies[1], role=Role.CLERICAL, valid_from="2025-07-01")
    out = Register.objects.create(agency=agencies[0], name="Sổ văn bản đi", direction="out", notation="BENCH")
    incoming = Register.objects.create(agency=agencies[0], name="Sổ văn bản đến", direction="in")
    return agencies[0], clerical, other, out, incoming


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


def numbering(register, clerical, rounds: int, n: int = 50):
    return [one_round(register, clerical, n) for _ in range(rounds)]


def fill(agency, register, total: int):
    from django.utils import timezone

    from congso.core.text import fold
    from congso.documents.models import Document, DocumentType

    types = list(DocumentType.objects.all())
    rng = random.Random(7)
    batch = []
    now = timezone.now()
    for i in range(total):
        subject = rng.choice(SUBJECTS).format(y=2020 + i % 8, m=1 + i % 12)
        t = rng.choice(types)
        symbol = f"{i % 3000 + 1}/{t.abbreviation or 'UBND'}-UBND"
        doc = Document(
            direction="in",
            agency=agency,
            register=register,
            status="registered",
            source="paper",
            doc_type=t,
            subject=subject,
            symbol=symbol,
            issuing_organ="Ủy ban nhân dân tỉnh Gia Lai",
            arrival_number=i + 1,
            arrived_at=now,
            created_at=now,
            updated_at=now,
        )
        doc.search_folded = fold(f"{symbol} {subject} {doc.issuing_organ} {t.name}")
        batch.append(doc)
        if len(batch) == 5000:
            Document.objects.bulk_create(batch)
            batch = []
    if batch:
        Document.objects.bulk_create(batch)


def search_times(user, rounds: int):
    from congso.documents import selectors

    times = []
    for _ in range(rounds):
        for q in QUERIES:
            started = time.perf_counter()
            list(selectors.search(user, q))
            times.append((time.perf_counter() - started) * 1000)
    return times


def p95(values):
    return sorted(values)[max(0, int(len(values) * 0.95) - 1)]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    setup(os.environ.get("DATABASE_URL"))
    print(machine_speed())
    run = str(int(time.time()))[-6:]
    agency, clerical, other, out, incoming = world(run)
    times = numbering(out, clerical, args.rounds)
    print(
        f"numbering: {args.rounds} rounds of 50 concurrent takes, all consecutive; "
        f"median {statistics.median(times) * 1000:.0f} ms per round, max {max(times) * 1000:.0f} ms"
    )
    started = time.perf_counter()
    fill(agency, incoming, args.documents)
    print(f"inserted {args.documents:,} documents in {time.perf_counter() - started:.1f} s")
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE documents_document")
    for label, user in (("văn thư who sees them", clerical), ("official of another agency", other)):
        t = search_times(user, args.rounds)
        print(
            f"search ({label}): median {statistics.median(t):.1f} ms, p95 {p95(t):.1f} ms over {len(t)} queries"
        )


if __name__ == "__main__":
    main()
