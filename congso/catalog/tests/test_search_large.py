"""SQLite's path for large result sets (more than SQLITE_SORT_LIMIT matches: walk the tiers through the
ordering index) gives the same ranking, pages and totals as its path for small ones (one sorted query).
Both databases: name matches come before body matches, shorter names first, then code (ADR 0020)."""

import pytest
from django.db import connection

from congso.catalog import search as catalog_search
from congso.catalog.importer import _Importer, empty_content, index_fold
from congso.catalog.search import rebuild_vocabulary, search

pytestmark = pytest.mark.django_db

THINGS = [
    "khai sinh",
    "kết hôn",
    "khai tử",
    "giám hộ",
    "nhận cha mẹ con",
    "thay đổi hộ tịch",
    "nuôi con nuôi",
]


@pytest.fixture
def catalogue(imported):
    """The samples plus 42 generated procedures: names with the words, or the words only in the body."""
    importer = _Importer()
    for number in range(42):
        thing = THINGS[number % len(THINGS)]
        code = f"2.{900000 + number}"
        if number % 3 == 0:  # the words only in the body (a result, a component)
            name = f"Cấp bản sao trích lục số {number}"
            more = {
                "results": [{"name": f"Bản sao giấy {thing}", "code": ""}],
                "components": [{"group": "", "name": f"Tờ khai đăng ký {thing}", "forms": []}],
            }
        else:
            name = f"Thủ tục đăng ký {thing}" + (" có yếu tố nước ngoài" * (number % 2)) + f" lần {number}"
            more = {}
        more |= {
            "field": "Hộ tịch" if number % 2 else "Chứng thực",
            "levels": ["commune"] if number % 4 else ["province"],
            "subjects": ["Công dân Việt Nam"] if number % 5 else ["Người nước ngoài"],
            "online_level": ["full", "partial", "info"][number % 3],
        }
        content = empty_content(code, name) | more
        importer.run_one(code, lambda content=content: importer.save(content, "kiểm thử", None))
    rebuild_vocabulary()
    return imported


QUERIES = [
    ("dang ky", {}),
    ("đăng ký khai sinh", {}),
    ("khai sinh", {}),  # name and body matches
    ("dang ki khia sinh", {}),  # typos: the variants' tier
    ("nuoc ngoai", {}),
    ("dang ky", {"level": "commune"}),
    ("dang ky", {"field": "Hộ tịch", "online": "partial"}),
    ("giay", {"subject": "Công dân Việt Nam"}),
    ("thu tuc dang", {}),  # the last word as a prefix
]


def codes(result):
    return [p.code for p in result.items]


def _everything(query, filters):
    return search(query, limit=1000, **filters)


def _paged(query, filters, size, total):
    return [
        code
        for offset in range(0, total + size, size)
        for code in codes(search(query, limit=size, offset=offset, **filters))
    ]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's two paths")
@pytest.mark.parametrize("query, filters", QUERIES)
def test_the_large_result_path_ranks_as_the_small_one(catalogue, monkeypatch, query, filters):
    small = _everything(query, filters)
    assert small.total > 3, (query, small.total)  # more than the lowered limit: the other path
    monkeypatch.setattr(catalog_search, "SQLITE_SORT_LIMIT", 3)
    large = _everything(query, filters)
    assert (large.total, codes(large)) == (small.total, codes(small))
    for size in (1, 3, 7):
        pages = [search(query, limit=size, offset=o, **filters) for o in range(0, small.total + size, size)]
        assert [c for page in pages for c in codes(page)] == codes(small)
        assert {page.total for page in pages} == {small.total}
    assert search(query, limit=5, offset=small.total + 10, **filters).total == small.total


def _name_has_all_words(procedure, words):
    name = index_fold(procedure.name).split()
    return all(w.word in name or (w.prefix and any(n.startswith(w.word) for n in name)) for w in words)


@pytest.mark.parametrize("query, filters", QUERIES)
@pytest.mark.parametrize("sort_limit", [1500, 3])
def test_name_matches_come_first_on_both_databases(catalogue, monkeypatch, query, filters, sort_limit):
    """Where the engines agree: every procedure with all the words (as typed) in its name ranks above the
    others, and those are ordered by name length, then code. (SQLite: both of its paths.)"""
    monkeypatch.setattr(catalog_search, "SQLITE_SORT_LIMIT", sort_limit)
    result = _everything(query, filters)
    words = catalog_search.analyse(query)
    flags = [_name_has_all_words(p, words) for p in result.items]
    assert flags == sorted(flags, reverse=True), (query, codes(result))
    head = [p for p, flag in zip(result.items, flags, strict=True) if flag]
    assert [p.code for p in head] == [p.code for p in sorted(head, key=lambda p: (p.name_length, p.code))]
    assert result.total == len(result.items)
    assert _paged(query, filters, 4, result.total) == codes(result)
