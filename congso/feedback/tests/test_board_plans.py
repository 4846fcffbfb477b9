"""The public board reads a slice of a search by the newest-first walk or by the trigram index
(PostgreSQL, ADR 0184), and gives exactly the rows of ``public_reports`` (every word, folded, newest
first, then by id): common, rare and absent words, with filters, at the edges of pages, as models and as
``values``. The partial indexes of migration 0006 answer each filter in the board's order, without a
sort (PostgreSQL: ``EXPLAIN``). Deep pages are capped. On SQLite ``public_board`` is ``public_reports``
itself: the same comparisons hold there too."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from congso.core.text import fold
from congso.feedback import selectors
from congso.feedback.models import Report, Status
from congso.feedback.testing import keep_only_index

pytestmark = pytest.mark.django_db
postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="the plans of PostgreSQL")

PLACES = ["đường Hùng Vương", "đường Trần Phú", "chợ Thắng Lợi", "hồ Ia Mơ Nông"]
STATUSES = [
    Status.PROCESSING,
    Status.ANSWERED,
    Status.CLOSED,
    Status.DRAFTED,
    Status.RECEIVED,
    Status.REJECTED,
]


@pytest.fixture
def board(world):
    """160 reports over two communes, three categories and every status, a fifth of them private;
    times with ties (then the id decides), not in the order of creation. "vỉa hè" in one report in
    two, "Hùng Vương" in one in four, "Ia Mơ Nông" in three."""
    now = timezone.now()
    cats = [world.categories[c] for c in ("trat-tu-do-thi", "ha-tang-duong", "moi-truong")]
    units = [world.units["pleiku"], world.units["iagrai"]]
    rows = []
    for i in range(160):
        place = "hồ Ia Mơ Nông" if i in (7, 90, 151) else PLACES[i % 3]
        title = f"{'Lấn chiếm vỉa hè' if i % 2 else 'Ổ gà sâu'} số {i}, {place}"
        description = "Người dân phản ánh, đề nghị kiểm tra."
        address = f"{i} {place}"
        rows.append(
            Report(
                code=f"PT{i:05d}",
                category=cats[i % 3],
                title=title,
                description=description,
                text_folded=fold(f"{title} {description} {address}"),
                province=world.units["province"],
                unit=units[i % 2],
                address=address,
                lat=13.98 if i % 4 else None,
                lon=108.0 if i % 4 else None,
                is_public=i % 5 != 0,
                status=STATUSES[i % len(STATUSES)],
                agency=world.agencies["pleiku_pc"],
                received_at=now - dt.timedelta(hours=(i * 37) % 101),
                clock_start=now,
            )
        )
    Report.objects.bulk_create(rows)
    return world


QUERIES = ["vỉa hè", "hung vuong", "ia mo nong", "o ga tran phu", "khong co dau", "so 1"]
FILTERS = [{}, {"category": "giao-thong"}, {"unit": "23764", "status": "answered"}, {"status": "open"}]


def _plain(**filters) -> list[int]:
    return list(selectors.public_reports(**filters).values_list("pk", flat=True))


def test_slices_are_the_rows_of_public_reports(board):
    for q in QUERIES:
        for filters in FILTERS:
            expected = _plain(q=q, **filters)
            found = selectors.public_board(q=q, **filters)
            edges = [
                (0, 21),
                (0, 1),
                (20, 41),
                (5, 6),
                (0, 500),
                (max(len(expected) - 1, 0), len(expected) + 5),
            ]
            for start, stop in edges:
                assert [r.pk for r in found[start:stop]] == expected[start:stop], (q, filters, start, stop)


def test_small_walks_fall_back_to_the_index(board, monkeypatch):
    """With a walk of a few reports, every slice past it is read from the index, and still the same."""
    monkeypatch.setattr(selectors, "WALK_FACTOR", 3)
    for q in QUERIES:
        expected = _plain(q=q)
        found = selectors.public_board(q=q)
        for start, stop in [(0, 21), (0, 4), (3, 9), (10, 30), (0, 500)]:
            assert [r.pk for r in found[start:stop]] == expected[start:stop], (q, start, stop)


def test_values_and_points_follow_the_same_order(board):
    expected = list(
        selectors.public_reports(q="via he")
        .filter(lat__isnull=False, lon__isnull=False)
        .values_list("code", flat=True)[:500]
    )
    assert [p["code"] for p in selectors.public_points(q="vỉa hè")] == expected
    rows = selectors.public_board(q="via he").values("code", "title")[0:3]
    assert [set(r) for r in rows] == [{"code", "title"}] * 3


def test_unknown_category_or_commune_lists_nothing(board):
    assert list(selectors.public_board(q="via he", category="khong-co")[0:21]) == []
    assert list(selectors.public_board(q="via he", unit="99999")[0:21]) == []
    assert list(selectors.public_board(category="khong-co")[0:21]) == []


def test_private_and_unaccepted_reports_never_show(board):
    codes = {r.code for r in selectors.public_board(q="so")[0:500]}
    shown = Report.objects.filter(code__in=codes)
    assert shown.filter(is_public=False).count() == 0
    assert not shown.filter(status__in=[Status.RECEIVED, Status.REJECTED]).exists()


@postgresql_only
def test_a_common_word_is_read_by_the_walk_alone(board):
    with CaptureQueriesContext(connection) as ctx:
        rows = selectors.public_board(q="via he")[0:21]
    assert len(rows) == 21
    reports = [q["sql"] for q in ctx.captured_queries if "feedback_report" in q["sql"]]
    assert len(reports) == 2  # the walk, then the 21 rows by id
    assert "MATERIALIZED" not in " ".join(reports)


@postgresql_only
def test_a_rare_word_is_read_from_the_index_after_a_bounded_walk(board, monkeypatch):
    monkeypatch.setattr(selectors, "WALK_FACTOR", 10)  # 46 reports for a page: fewer than the board holds
    with CaptureQueriesContext(connection) as ctx:
        rows = selectors.public_board(q="ia mo nong")[0:21]
    assert [r.pk for r in rows] == _plain(q="ia mo nong")
    sql = [q["sql"] for q in ctx.captured_queries if "feedback_report" in q["sql"]]
    assert "LIMIT 47" in sql[0] and "MATERIALIZED" in sql[1]  # the walk (and one more report), the index
    assert len(sql) == 3  # then the rows by id


@postgresql_only
def test_the_boards_list_and_map_share_one_index_read(board, client, settings, monkeypatch):
    settings.CONGSO_FEEDBACK_TILE_URL = "https://tiles.gialai.gov.vn/{z}/{x}/{y}.png"
    monkeypatch.setattr(selectors, "WALK_FACTOR", 10)
    with CaptureQueriesContext(connection) as ctx:
        page = client.get("/phan-anh/?q=ia+mo+nong").content.decode()
    assert sum("MATERIALIZED" in q["sql"] for q in ctx.captured_queries) == 1
    expected = list(
        selectors.public_reports(q="ia mo nong").filter(lat__isnull=False).values_list("code", flat=True)
    )
    markers = page.split('id="fb-points"')[1]
    assert expected and all(f"/phan-anh/{code}/" in markers for code in expected)


def _walks(ctx) -> list[int]:
    """The window of each walk among the captured statements (``w.n <= 4583``), in order."""
    return [int(m) for q in ctx.captured_queries for m in re.findall(r"w\.n <= (\d+)", q["sql"])[:1]]


@postgresql_only
def test_a_long_walk_comes_after_a_pages_walk_says_it_is_worth_it(board, monkeypatch):
    """ADR 0185: a walk longer than a page's (the map's) first walks a page's window; a rare word then goes
    to the index, a common one walks on. After the list's walk in the same request, its share of matches
    decides at once. The rows are those of ``public_reports`` each time."""
    monkeypatch.setattr(selectors, "WALK_FACTOR", 8)  # a page's walk: 37 reports; 50 rows: 57

    def points(q):
        return list(
            selectors.public_reports(q=q)
            .filter(lat__isnull=False, lon__isnull=False)
            .values_list("pk", flat=True)
        )

    with CaptureQueriesContext(connection) as ctx:
        rows = selectors.public_board(q="ia mo nong", with_point=True).ids(0, 50)
    assert rows == points("ia mo nong") and _walks(ctx) == [37]
    assert any("MATERIALIZED" in q["sql"] for q in ctx.captured_queries)

    with CaptureQueriesContext(connection) as ctx:  # "số" is in every report: 50 of them within 57
        rows = selectors.public_board(q="so", with_point=True).ids(0, 50)
    assert rows == points("so")[:50] and _walks(ctx) == [37, 57]

    found = selectors.public_board(q="duong")  # two reports in three: the list's 21 within 37
    with CaptureQueriesContext(connection) as ctx:
        assert [r.pk for r in found[0:21]] == _plain(q="duong")[:21]
    assert _walks(ctx) == [37] and not any("MATERIALIZED" in q["sql"] for q in ctx.captured_queries)
    with CaptureQueriesContext(connection) as ctx:  # 50 would not be found within 57: the index at once
        rows = found.with_points().ids(0, 50)
    assert rows == points("duong")[:50] and _walks(ctx) == []
    assert any("MATERIALIZED" in q["sql"] for q in ctx.captured_queries)


def _plan(sql: str, params, *, bitmaps: bool = False) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        if not bitmaps:
            cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


@postgresql_only
@pytest.mark.parametrize(
    ("filters", "index"),
    [
        ({}, "feedback_public_idx"),
        ({"category": "moi-truong"}, "feedback_public_cat_idx"),
        ({"unit": "23575"}, "feedback_public_unit_idx"),
        ({"status": "answered"}, "feedback_public_status_idx"),
    ],
)
def test_each_filter_has_a_partial_index_in_the_boards_order(board, filters, index):
    """Each filter's index gives its rows in the board's order. Several may (the newest public reports,
    filtered as they come): the others are dropped for the test (PostgreSQL's DDL rolls back with it)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'feedback_report' AND indexname <> %s "
            "AND (indexname LIKE 'feedback_public_%%' OR indexdef LIKE '%%(received_at)')",
            [index],
        )
        for (other,) in cursor.fetchall():
            cursor.execute(f'DROP INDEX "{other}"')
    sql, params = selectors.public_reports(**filters)[:21].query.sql_with_params()
    plan = _plan(sql, params)
    assert f"Index Scan using {index}" in plan and "Sort" not in plan, plan


@postgresql_only
def test_open311_reads_the_public_index_in_order(board, client):
    from django.db.models import Q

    from congso.feedback.selectors import PUBLIC_STATUSES_ALL

    since = timezone.now() - dt.timedelta(days=90)
    qs = Report.objects.filter(Q(is_public=True), status__in=PUBLIC_STATUSES_ALL, received_at__gte=since)
    sql, params = qs.order_by("-received_at", "-id")[:1000].query.sql_with_params()
    plan = _plan(sql, params)
    assert "Index Scan using feedback_public_idx" in plan and "Sort" not in plan, plan


@postgresql_only
def test_the_search_reads_the_trigram_index_of_public_reports(board):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        if cursor.fetchone() is None:
            pytest.skip("no pg_trgm: the search scans (migration 0003)")
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'feedback_report' AND indexname LIKE '%%trgm%%'"
        )
        assert [row[0] for row in cursor.fetchall()] == ["feedback_public_spaced_trgm"]  # ADR 0185
        # the btree indexes would do on so few rows: without them (rolled back), the trigrams
        keep_only_index(cursor, "feedback_public_spaced_trgm")
    sql, params = selectors.public_reports(q="ia mo nong").values_list("pk").query.sql_with_params()
    assert "Bitmap Index Scan on feedback_public_spaced_trgm" in _plan(sql, params, bitmaps=True)


@postgresql_only
def test_the_walk_reads_an_index_in_order_even_for_the_map(board):
    """A large LIMIT (the map's) made PostgreSQL read a whole ward and sort it; the walk forbids that."""
    found = selectors.public_board(q="o ga", unit="23575", with_point=True)
    with CaptureQueriesContext(connection) as ctx:
        found.ids(0, 500)
    sql = [q["sql"] for q in ctx.captured_queries if "SAVEPOINT" not in q["sql"]]
    assert "set_config('enable_seqscan', 'off', true)" in sql[0] and "row_number()" in sql[1]
    # nor two workers reading the whole board by date, nor compiling for the cost of the whole walk
    assert "set_config('max_parallel_workers_per_gather', '0', true)" in sql[0]
    assert "set_config('jit', 'off', true)" in sql[0]
    assert "reset_val" in sql[2]
    with connection.cursor() as cursor:
        cursor.execute("SHOW enable_seqscan")
        assert cursor.fetchone()[0] == "on"  # the session's value again
        cursor.execute("SHOW max_parallel_workers_per_gather")
        assert cursor.fetchone()[0] != "0"


def test_deep_pages_are_capped(board, client):
    resp = client.get("/api/v1/feedback/reports?offset=10001")
    assert resp.status_code == 422
    assert client.get("/api/v1/feedback/reports?offset=10000").json() == {"items": [], "next_offset": None}
    page = client.get("/phan-anh/?page=999999")
    assert page.status_code == 200 and "Trang 500" in page.content.decode()


def test_open311_xml_of_flat_items_is_what_elementtree_writes():
    from xml.etree import ElementTree as ET

    from congso.feedback import open311

    items = [
        {"service_request_id": "PA1", "status": "open", "description": "Ổ gà <sâu> & rộng", "lat": 13.98},
        {"service_request_id": "PA2", "status_notes": "", "expected_datetime": None, "public": True},
        {"media_url": "http://x/anh/1/?a=1&b=2", "ok": False, "n": 0},
    ]
    tree = ET.Element("service_requests")
    for item in items:
        open311._xml(tree, "request", item)
    assert open311._flat_xml("service_requests", items) == ET.tostring(tree, encoding="unicode")
    assert open311._flat_xml("service_requests", []) == ET.tostring(
        ET.Element("service_requests"), encoding="unicode"
    )


def test_masking_still_finds_every_kind_of_personal_data():
    text = "Gọi +84 905 123 456, 0912.345.678 hoặc an@example.vn; CCCD 064050002468. Tại 120 Hùng Vương."
    masked = selectors.mask_text(text)
    for secret in ("905 123 456", "345.678", "an@example.vn", "064050002468"):
        assert secret not in masked
    assert "120 Hùng Vương" in masked
    plain = "Ổ gà sâu trước số 120 Hùng Vương, năm 2026."
    assert selectors.mask_text(plain) == plain and selectors.mask_text("") == ""
