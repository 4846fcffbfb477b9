"""Portal search reads each slice by the newest-first walk or by the index (PostgreSQL, ADR 0179): the
same rows as Wagtail's own query (every word, folded, newest first by first_published_at then id), for
common and rare words, in one portal or all, at the edges of pages. On SQLite ``search_pages`` is
Wagtail's query itself: the same comparisons hold there too."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import Page
from wagtail.rich_text import RichText

from congso.core.text import fold
from congso.sites import search
from congso.sites.models import AnnouncementPage, SectionPage
from congso.sites.search import search_pages

postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="the two plans")

QUERIES = [
    "thong bao",  # every page
    "tiep cong dan",  # one page in three
    "Đường Hùng Vương",  # one page in four, with diacritics and "đ"
    "ia mo nong",  # two pages
    "tiep dan ia mo nong",  # one page
    "khong co dau",  # none
]


def _plain(query, within=None) -> list[int]:
    """``search_pages`` as ADR 0178 defined it: Wagtail's query, every word, the newest first."""
    pages = Page.objects.live().public().filter(depth__gt=2).order_by("-first_published_at", "-id")
    if within is not None:
        pages = pages.descendant_of(within, inclusive=True)
    found = pages.search(fold(query)[: search.MAX_QUERY], operator="and", order_by_relevance=False)
    return [p.pk for p in found]


def _announcement(home, title: str, published: dt.datetime, *, live: bool = True):
    """A live announcement with its publication time, indexed on save (no revision nor workflow: what
    search reads is the page row and its index entry)."""
    section = SectionPage.objects.child_of(home).get(slug="thong-bao")
    page = AnnouncementPage(
        title=title,
        summary=title,
        body=[("paragraph", RichText(f"<p>{title}</p>"))],
        issuer=home.agency.name,
        date=published.date(),
        live=live,
        first_published_at=published if live else None,
    )
    section.add_child(instance=page)
    return page


@pytest.fixture
def corpus(portals):
    """31 announcements in Pleiku and 5 in Ia Grai, newer than the portals' own pages; publication
    times with ties (then the id decides), not in the order of creation."""
    start = timezone.now() - dt.timedelta(days=40)
    Page.objects.filter(depth__gt=2).update(first_published_at=start - dt.timedelta(days=1))
    for i in range(36):
        words = ["Thông báo số", str(i)]
        if i % 3 == 0:
            words.append("lịch tiếp công dân")
        if i % 4 == 1:
            words.append("trên đường Hùng Vương")
        if i in (5, 29):
            words.append("hồ Ia Mơ Nông")
        hours = 500 if 10 <= i <= 14 else (i * 37) % 101
        home = portals.homes["iagrai" if i % 7 == 3 else "pleiku"]
        _announcement(home, " ".join(words), start + dt.timedelta(hours=hours))
    _announcement(portals.homes["pleiku"], "Thông báo nháp lịch tiếp công dân", start, live=False)
    return portals


def _slices(total):
    return [
        (0, 11),
        (0, 1),
        (10, 21),
        (5, 6),
        (0, total),
        (max(total - 1, 0), total + 5),
        (total, total + 10),
    ]


# default: the walk's window covers every test page; small-window: a few pages, so that most slices
# fall back to the index; index-only: the walk is never tried
PLANS = {"default": {}, "small-window": {"WALK_FACTOR": 2}, "index-only": {"WALK_MAX": 0}}


def test_every_plan_gives_wagtails_rows_newest_first(corpus, monkeypatch):
    assert len(_plain("thong bao")) >= 36 and len(_plain("ia mo nong")) == 2  # the corpus is as meant
    for plan, knobs in PLANS.items():
        with monkeypatch.context() as patched:
            for name, value in knobs.items():
                patched.setattr(search, name, value)
            for query in QUERIES:
                for within in (None, corpus.homes["pleiku"], corpus.homes["iagrai"]):
                    want = _plain(query, within)
                    found = search_pages(query, within=within)
                    assert [p.pk for p in found] == want, (plan, query, within)
                    for start, stop in _slices(len(want)):
                        rows = [p.pk for p in found[start:stop]]
                        assert rows == want[start:stop], (plan, query, within, start, stop)
            page = search_pages("ia mo nong", within=corpus.homes["pleiku"])[0:1][0]
            assert isinstance(page, Page) and "Ia Mơ Nông" in page.title and page.url


@postgresql_only
def test_a_common_word_is_walked_a_rare_one_taken_from_the_index(corpus, monkeypatch):
    monkeypatch.setattr(search, "WALK_FACTOR", 3)  # the walk may probe 3·√stop pages

    def statements(query, start, stop):
        with CaptureQueriesContext(connection) as queries:
            rows = [p.pk for p in search_pages(query)[start:stop]]
        assert rows == _plain(query)[start:stop]
        return " ".join(q["sql"] for q in queries.captured_queries)

    common = statements("thong bao", 0, 3)  # every page: 3 found among the 6 newest
    assert "EXISTS" in common and "MATERIALIZED" not in common
    rare = statements("ia mo nong", 0, 3)  # 2 pages among 36: the 6 newest hold too few
    assert "EXISTS" in rare and "MATERIALIZED" in rare
    deep = statements("thong bao", 30, 36)  # 36 rows: more than the 18 pages walked
    assert "MATERIALIZED" in deep
    everything = statements("tiep cong dan", 0, None)  # no end: the index alone
    assert "EXISTS" not in everything and "MATERIALIZED" in everything


@postgresql_only
def test_a_walk_over_the_whole_portal_needs_no_index(corpus, monkeypatch):
    monkeypatch.setattr(search, "WALK_FACTOR", 20)  # 35 pages for 3 rows: all of Ia Grai's, not all
    iagrai = Page.objects.live().descendant_of(corpus.homes["iagrai"], inclusive=True).filter(depth__gt=2)
    assert iagrai.count() < search.walk_limit(3) < Page.objects.live().filter(depth__gt=2).count()
    with CaptureQueriesContext(connection) as queries:
        rows = [p.pk for p in search_pages("thong bao so 3", within=corpus.homes["iagrai"])[0:3]]
    assert rows == _plain("thong bao so 3", corpus.homes["iagrai"])[0:3]
    assert len(rows) == 1  # "3", and the walk saw every page of the portal: that is the answer
    assert not any("MATERIALIZED" in q["sql"] for q in queries.captured_queries)


@postgresql_only
def test_a_single_row_and_past_the_end(corpus):
    found = search_pages("ia mo nong")
    assert found[0].pk == _plain("ia mo nong")[0]
    with pytest.raises(IndexError):
        found[2]
    assert found[5:2] == []
    with pytest.raises(ValueError, match="non-negative"):
        found[-1:]


@postgresql_only
def test_the_walk_probes_entries_through_their_object_id():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'sites_search_entry_object_id'")
        (definition,) = cursor.fetchone()
    assert "wagtailsearch_indexentry" in definition and "(object_id)" in definition
