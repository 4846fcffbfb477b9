"""Search behaves the same on SQLite and PostgreSQL (run this file with DATABASE_URL=postgres://… too)."""

import pytest

from congso.catalog import services
from congso.catalog.importer import _Importer, empty_content
from congso.catalog.models import Offering, Procedure
from congso.catalog.search import rebuild_vocabulary, search

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(imported):
    """The samples plus a few procedures whose words sit only in the body, to test ranking."""
    importer = _Importer()
    extra = [
        (
            "2.000001",
            "Cấp bản sao trích lục hộ tịch",
            {"results": [{"name": "Bản sao Giấy khai sinh", "code": ""}]},
        ),
        ("2.000002", "Thủ tục đăng ký kết hôn", {"field": "Hộ tịch", "levels": ["commune"]}),
        ("2.000003", "Thủ tục đăng ký khai tử", {"field": "Hộ tịch", "levels": ["commune"]}),
    ]
    for code, name, more in extra:
        content = empty_content(code, name) | more
        importer.run_one(code, lambda content=content: importer.save(content, "kiểm thử", None))
    rebuild_vocabulary()
    return imported


def codes(result):
    return [p.code for p in result.items]


def test_with_and_without_diacritics_give_the_same_answer(catalogue):
    plain = search("dang ky khai sinh")
    marked = search("đăng ký khai sinh")
    upper = search("ĐĂNG KÝ KHAI SINH")
    assert codes(plain) == codes(marked) == codes(upper)
    assert codes(plain)[0] == "1.001193"
    assert plain.total == marked.total


def test_word_order_does_not_matter(catalogue):
    assert "1.001193" in codes(search("khai sinh dang ky"))


@pytest.mark.parametrize(
    "typo", ["dang ki khai sinh", "dang ky khia sinh", "dnag ky khai sinh", "đăng kí khai sinh"]
)
def test_typos_are_tolerated(catalogue, typo):
    assert codes(search(typo))[0] == "1.001193"


def test_name_matches_rank_above_body_matches(catalogue):
    result = codes(search("khai sinh"))
    assert result.index("1.001193") < result.index("2.000001")  # 2.000001 has "khai sinh" only in its result


def test_prefix_of_the_last_word(catalogue):
    assert "1.001193" in codes(search("dang ky khai sin"))


def test_no_match_and_empty_query(catalogue):
    assert search("xyzzyq").total == 0
    everything = search("")
    assert everything.total == catalogue.created + 3


def test_code_finds_the_procedure(catalogue):
    assert codes(search("1.001193")) == ["1.001193"]


def test_filters(catalogue, agencies):
    assert set(codes(search("dang ky", level="commune"))) >= {"1.001193", "2.000002"}
    assert "2.000002" not in codes(search("dang ky", level="province"))
    civil_status = search("", field="Hộ tịch", limit=100)
    assert "1.001193" in codes(civil_status)
    assert all(p.field.name == "Hộ tịch" for p in civil_status.items)
    assert "1.001193" in codes(search("", subject="Công dân Việt Nam", limit=100))
    Offering.objects.create(agency=agencies["pleiku"], procedure=services.get_procedure("1.001193"))
    assert codes(search("", agency="H21.23575")) == ["1.001193"]
    assert codes(search("khai sinh", agency="H21.23575")) == ["1.001193"]
    assert search("khai sinh", agency="H21.23764").total == 0


def test_pagination(catalogue):
    first = search("", limit=5)
    second = search("", limit=5, offset=5)
    assert len(first.items) == 5
    assert not set(codes(first)) & set(codes(second))
    assert first.total == second.total


def test_filters_combine_with_typos_and_word_order(catalogue, agencies):
    assert codes(search("dang ki khai sinh", level="commune"))[0] == "1.001193"
    assert codes(search("khai sinh dnag ky", level="commune", field="Hộ tịch"))[0] == "1.001193"
    assert "1.001193" not in codes(search("dang ki khai sinh", level="province"))
    assert "2.000002" in codes(search("dang ki ket hon", level="commune", field="Hộ tịch"))
    assert search("dang ki ket hon", field="Chứng thực").total == 0
    Offering.objects.create(agency=agencies["pleiku"], procedure=services.get_procedure("1.001193"))
    assert codes(search("dang ki khia sinh", agency="H21.23575")) == ["1.001193"]
    assert search("dang ki khia sinh", agency="H21.23575", level="province").total == 0


def test_pages_of_a_search_follow_the_ranking(catalogue):
    """Pages read one ranking across the tiers (name matches, then body matches) without gaps or repeats."""
    everything = search("khai sinh", limit=200)
    assert everything.total == len(everything.items)
    pages = [search("khai sinh", limit=2, offset=offset) for offset in range(0, everything.total + 2, 2)]
    assert [code for page in pages for code in codes(page)] == codes(everything)
    assert all(page.total == everything.total for page in pages)
    assert pages[-1].items == []  # a page past the end is empty and still tells the total
    filtered_all = search("dang ky", level="commune", limit=200)
    filtered_pages = [
        code
        for offset in range(0, filtered_all.total, 3)
        for code in codes(search("dang ky", level="commune", limit=3, offset=offset))
    ]
    assert filtered_pages == codes(filtered_all)


def test_changes_to_a_procedure_reach_search(catalogue):
    """Withdrawing a procedure or changing its levels (even by a direct UPDATE) is seen by the next search."""

    assert "2.000002" in codes(search("ket hon", level="commune"))
    Procedure.objects.filter(code="2.000002").update(levels="|province|")
    assert "2.000002" not in codes(search("ket hon", level="commune"))
    assert "2.000002" in codes(search("ket hon", level="province"))
    before = search("dang ky").total
    Procedure.objects.filter(code="2.000002").update(is_active=False)
    assert "2.000002" not in codes(search("dang ky ket hon", limit=100))
    assert search("dang ky").total == before - 1
    assert search("dang ky", level="province").total == 0 or "2.000002" not in codes(
        search("dang ky", level="province", limit=100)
    )
