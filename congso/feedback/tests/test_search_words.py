"""How a board search word matches (ADR 0185): a word of one or two letters at the start of a word of the
folded text, a longer word anywhere (inside a word too). The same reports on SQLite and on PostgreSQL,
through ``public_reports``, ``public_board`` (the walk and the trigram index), the board's page, its map
and the API; on PostgreSQL the trigram index on ``' ' || text_folded`` reads a two-letter word's
trigrams."""

import datetime as dt
import json
import re

import pytest
from django.db import connection
from django.utils import timezone

from congso.feedback import selectors
from congso.feedback.models import Report, Status
from congso.feedback.testing import keep_only_index

pytestmark = pytest.mark.django_db
postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="the plans of PostgreSQL")

# (code, title, description, address, commune, has a point): what citizens of Gia Lai write, as they write it
REPORTS = [
    (
        "PA-IAMONONG",
        "Sạt lở đường liên thôn sau mưa lớn",
        "Đường đất qua làng bị sạt một bên, xe máy không đi được.",
        "Làng Bi, Xã Ia Mơ Nông",
        "iagrai",
        True,
    ),
    (
        "PA-IAGRAI",
        "ia grai: cống thoát nước bị tắc",
        "cống trước chợ tắc cả tháng nay, mưa là ngập",  # typed in lower case, without punctuation
        "chợ trung tâm ia grai",
        "iagrai",
        True,
    ),
    (
        "PA-GIALAI",
        "Rác thải tràn ra quốc lộ 19",
        "Rác đổ ven quốc lộ 19 đoạn qua tỉnh Gia Lai, bốc mùi nhiều ngày.",
        "Km 119, quốc lộ 19",
        "pleiku",
        True,
    ),
    (
        "PA-OGA",
        "Ổ gà sâu trên đường Hùng Vương",
        "Ổ gà giữa làn xe máy, đã có người ngã vào buổi tối.",
        "120 Hùng Vương, phường Pleiku",
        "pleiku",
        False,
    ),
    (
        "PA-VIAHE",
        "Lấn chiếm vỉa hè đường Trần Phú",
        "Quán cà phê bày bàn ghế kín vỉa hè, người đi bộ phải xuống lòng đường.",
        "45 Trần Phú",
        "pleiku",
        True,
    ),
    (
        "PA-NGATU",
        "Đèn tín hiệu hỏng ở ngã tư",
        "Đèn tắt từ sáng, xe cộ đi lộn xộn.",
        "Ngã tư Lê Lợi – Phan Đình Phùng",
        "pleiku",
        True,
    ),
]


@pytest.fixture
def reports(world):
    now = timezone.now()
    for i, (code, title, description, address, unit, point) in enumerate(REPORTS):
        Report.objects.create(  # save() writes text_folded, as for every report
            code=code,
            category=world.categories["giao-thong"],
            title=title,
            description=description,
            address=address,
            province=world.units["province"],
            unit=world.units[unit],
            lat=13.98 if point else None,
            lon=108.0 if point else None,
            is_public=True,
            status=Status.PROCESSING,
            agency=world.agencies["pleiku_pc"],
            received_at=now - dt.timedelta(hours=i),
            clock_start=now,
        )
    return world


def found(q: str, **filters) -> set[str]:
    return set(selectors.public_reports(q=q, **filters).values_list("code", flat=True))


@pytest.mark.parametrize(
    ("q", "codes"),
    [
        # a two-letter word: the start of a word, not inside one ("Gia Lai", "vỉa hè")
        ("ia", {"PA-IAMONONG", "PA-IAGRAI"}),
        ("Ia", {"PA-IAMONONG", "PA-IAGRAI"}),
        ("ía", {"PA-IAMONONG", "PA-IAGRAI"}),
        ("ia mo nong", {"PA-IAMONONG"}),
        ("Ia Mơ Nông", {"PA-IAMONONG"}),
        ("ia grai", {"PA-IAGRAI"}),  # at the very start of the text too
        ("gia lai", {"PA-GIALAI"}),
        # three letters or more: anywhere, inside a word too
        ("duong", {"PA-IAMONONG", "PA-OGA", "PA-VIAHE"}),
        ("đường", {"PA-IAMONONG", "PA-OGA", "PA-VIAHE"}),
        ("ong", {"PA-IAMONONG", "PA-IAGRAI", "PA-OGA", "PA-VIAHE", "PA-NGATU"}),
        ("via he", {"PA-VIAHE"}),
        ("vỉa hè tran phu", {"PA-VIAHE"}),
        # mixed short and long words, unaccented
        ("o ga hung vuong", {"PA-OGA"}),
        ("o ga", {"PA-OGA"}),  # not "ở ngã tư": "ga" does not start a word there
        ("nga tu", {"PA-NGATU"}),
        ("19", {"PA-GIALAI"}),
        ("cong ia", {"PA-IAGRAI"}),
        ("ia via", set()),
        ("khong di", {"PA-IAMONONG"}),
        ("khong co", set()),
    ],
)
def test_short_words_match_the_start_of_a_word(reports, q, codes):
    assert found(q) == codes


def test_a_short_number_starts_a_number(reports):
    """A number of one or two digits starts a number: "11" finds "Km 119", "20" does not find "120"."""
    assert found("11") == {"PA-GIALAI"}
    assert found("12") == {"PA-OGA"}  # "120 Hùng Vương"
    assert found("20") == set()  # inside "120" only


def test_the_rule_lives_in_one_place():
    assert selectors.needle("ia") == " ia" and selectors.needle("o") == " o"
    assert selectors.needle("ong") == "ong" and selectors.needle("duong") == "duong"
    assert selectors.search_words("  Ia Mơ  Nông ") == ["ia", "mo", "nong"]


def test_every_read_of_the_board_finds_the_same_reports(reports, monkeypatch):
    """``public_board`` (on PostgreSQL the walk, then with a walk of three reports the index) gives the
    rows of ``public_reports``, newest first, for short and long words, with filters."""
    for factor in (1000, 3):
        monkeypatch.setattr(selectors, "WALK_FACTOR", factor)
        for q in ("ia", "ia mo nong", "o ga", "duong", "ong", "ia grai cong", "19"):
            for filters in ({}, {"unit": "23764"}, {"status": "open"}):
                expected = list(selectors.public_reports(q=q, **filters).values_list("pk", flat=True))
                board = selectors.public_board(q=q, **filters)
                assert [r.pk for r in board[0:21]] == expected, (q, filters, factor)
                points = selectors.public_board(q=q, with_point=True, **filters)
                with_point = list(
                    selectors.public_reports(q=q, **filters)
                    .filter(lat__isnull=False)
                    .values_list("pk", flat=True)
                )
                assert [r.pk for r in points[0:500]] == with_point, (q, filters, factor)


def test_the_page_its_map_and_the_api_agree(reports, client, settings):
    settings.CONGSO_FEEDBACK_TILE_URL = "https://tiles.gialai.gov.vn/{z}/{x}/{y}.png"
    page = client.get("/phan-anh/?q=ia").content.decode()
    listed = set(re.findall(r'<h3><a href="/phan-anh/(PA-[A-Z]+)/">', page))
    markers = json.loads(page.split('id="fb-points" type="application/json">')[1].split("</script>")[0])
    assert listed == {"PA-IAMONONG", "PA-IAGRAI"}
    assert {m["code"] for m in markers} == listed  # both have a point
    api = client.get("/api/v1/feedback/reports?q=ia").json()
    assert {r["code"] for r in api["items"]} == listed
    api_map = client.get("/api/v1/feedback/map?q=ia").json()
    assert {m["code"] for m in api_map} == listed
    # a report without a point is listed, not on the map
    page = client.get("/phan-anh/?q=o+ga").content.decode()
    markers = json.loads(page.split('id="fb-points" type="application/json">')[1].split("</script>")[0])
    assert "/phan-anh/PA-OGA/" in page and markers == []


def test_the_board_tells_how_short_words_match(reports, client):
    page = client.get("/phan-anh/").content.decode()
    assert "Từ khoá một, hai chữ cái chỉ khớp với đầu một từ" in page


def _trgm() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        return cursor.fetchone() is not None


@postgresql_only
def test_two_letter_words_read_the_trigram_index(reports):
    """The needle " ia" gives the index the trigrams of a word's start: the index condition holds every
    word, also in a prepared statement's generic plan (the expression has no parameter: ADR 0079's
    prepared statements). The other indexes are dropped for the test (rolled back with it)."""
    if not _trgm():
        pytest.skip("no pg_trgm: the search scans (migration 0003)")
    with connection.cursor() as cursor:
        keep_only_index(cursor, "feedback_public_spaced_trgm")
    sql, params = selectors.public_reports(q="ia mo nong").values_list("pk").query.sql_with_params()
    assert [p for p in params if isinstance(p, str) and "%" in p] == ["% ia%", "% mo%", "%nong%"]
    # the statuses written in (a partial index's condition cannot be proved for parameters), the patterns
    # as parameters, as a prepared statement has them
    patterns = [p for p in params if isinstance(p, str) and "%" in p]
    numbered = iter(range(1, len(patterns) + 1))
    values = iter(params)

    def placeholder(_match):
        value = next(values)
        return f"${next(numbered)}" if value in patterns else "'" + str(value).replace("'", "''") + "'"

    prepared = re.sub(r"%s", placeholder, sql)
    literals = ", ".join(f"'{p}'" for p in patterns)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        for mode in ("force_custom_plan", "force_generic_plan"):
            cursor.execute(f"SET LOCAL plan_cache_mode = {mode}")
            cursor.execute(f"PREPARE h17_words AS {prepared}")
            cursor.execute(f"EXPLAIN EXECUTE h17_words({literals})")
            plan = "\n".join(row[0] for row in cursor.fetchall())
            cursor.execute("DEALLOCATE h17_words")
            assert "Bitmap Index Scan on feedback_public_spaced_trgm" in plan, (mode, plan)
            cond = next(line for line in plan.splitlines() if "Index Cond" in line)
            assert cond.count("~~") == 3, (mode, plan)  # every word, the two-letter ones too
