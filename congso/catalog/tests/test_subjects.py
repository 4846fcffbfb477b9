"""Target subjects (đối tượng thực hiện): split as the portal writes them, filtered, offered as choices."""

import json
import re

import pytest

from congso.catalog import parser
from congso.catalog.importer import import_paths
from congso.catalog.models import Procedure
from congso.catalog.search import search, subject_counts

from .conftest import SAMPLES

pytestmark = pytest.mark.django_db

ORGANISATION = "Tổ chức (không bao gồm doanh nghiệp, HTX)"
OFFICIALS = "Cán bộ, công chức, viên chức"


def _raw(code):
    return json.loads((SAMPLES / f"{code}.json").read_text(encoding="utf-8"))


def codes(result):
    return [p.code for p in result.items]


def test_commas_inside_parentheses_and_the_portals_phrases_do_not_split():
    # Public Security, as published: "Doanh nghiệp, Cán bộ, công chức, viên chức, Tổ chức (…, HTX)"
    content = parser.parse_record(_raw("3.000409"))
    assert content["subjects"] == ["Doanh nghiệp", OFFICIALS, ORGANISATION]
    construction = parser.parse_record(_raw("1.013468"))
    assert {"Doanh nghiệp Việt Nam", "Doanh nghiệp có vốn đầu tư nước ngoài", "Tổ chức nước ngoài"} <= set(
        construction["subjects"]
    )
    assert ORGANISATION in construction["subjects"] and len(construction["subjects"]) == 8


@pytest.mark.parametrize(
    "text, subjects",
    [
        ("Cán bộ, Công chức, Viên chức; Đảng viên", [OFFICIALS, "Đảng viên"]),  # other capitalisation
        ("Công dân Việt Nam,Cán bộ,công chức,viên chức", ["Công dân Việt Nam", OFFICIALS]),
        ("Tổ chức (không bao gồm doanh nghiệp, HTX)\nHợp tác xã", [ORGANISATION, "Hợp tác xã"]),
        ("Công dân Việt Nam, Công dân Việt Nam", ["Công dân Việt Nam"]),
        ("Không có thông tin", []),
    ],
)
def test_split_subjects(text, subjects):
    assert parser.split_subjects(text) == subjects


def test_lists_split_by_the_old_rule_are_mended():
    old = ["Tổ chức (không bao gồm doanh nghiệp", "HTX)", "Cán bộ", "công chức", "viên chức"]
    assert parser.join_subjects(old) == [ORGANISATION, OFFICIALS]
    assert parser.join_subjects([ORGANISATION, OFFICIALS]) == [ORGANISATION, OFFICIALS]


def test_filter_by_a_subject_with_commas(imported):
    for subject in (ORGANISATION, OFFICIALS, "Doanh nghiệp"):
        assert "3.000409" in codes(search("", subject=subject, limit=100)), subject
        assert codes(search("vu khi quan dung", subject=subject))[0] == "3.000409", subject
    assert "3.000409" not in codes(search("", subject="Công dân Việt Nam", limit=100))
    assert search("", subject="Cán bộ", limit=100).total == 0  # no longer a subject of its own
    vietnamese_firms = codes(search("", subject="Doanh nghiệp Việt Nam", limit=100))
    assert "1.013468" in vietnamese_firms and "3.000409" not in vietnamese_firms
    assert codes(search("", subject="doanh nghiep viet nam", limit=100)) == vietnamese_firms  # folded


def test_subject_choices_come_from_the_data_with_counts(imported, client):
    counts = dict(subject_counts())
    assert counts[OFFICIALS] >= 1 and counts[ORGANISATION] >= 2
    for subject in ("Tổ chức nước ngoài", "Doanh nghiệp có vốn đầu tư nước ngoài", "Doanh nghiệp Việt Nam"):
        assert counts[subject] >= 1, subject
    assert "Cán bộ" not in counts and "HTX)" not in counts
    expected = Procedure.objects.filter(is_active=True, subjects__contains=f"|{ORGANISATION}|").count()
    assert counts[ORGANISATION] == expected
    html = client.get("/thu-tuc/").content.decode()
    assert (
        f'<option value="Doanh nghiệp Việt Nam">Doanh nghiệp Việt Nam ({counts["Doanh nghiệp Việt Nam"]})'
        in html
    )
    page = client.get("/thu-tuc/", {"subject": OFFICIALS}).content.decode()
    assert 'href="/thu-tuc/3.000409/"' in page
    # withdrawn procedures are not counted
    Procedure.objects.filter(code="1.013468").update(is_active=False)
    assert dict(subject_counts())["Doanh nghiệp Việt Nam"] == counts["Doanh nghiệp Việt Nam"] - 1


def test_reimport_mends_rows_imported_with_the_old_split(samples, monkeypatch):
    def old_split(text):
        return [p.strip(" .") for p in re.split(r"[,;\n]", parser.clean(text)) if p.strip(" .")]

    monkeypatch.setattr(parser, "split_subjects", old_split)
    first = import_paths([samples])
    assert first.failed == 0
    assert search("", subject=OFFICIALS, limit=100).total == 0  # the bug: never matched
    monkeypatch.undo()

    again = import_paths([samples])
    assert again.failed == 0 and again.updated >= 3  # every record whose subjects have a comma
    procedure = Procedure.objects.get(code="3.000409")
    assert procedure.current_version.number == 2
    assert procedure.content["subjects"] == ["Doanh nghiệp", OFFICIALS, ORGANISATION]
    assert procedure.subject_list == ["Doanh nghiệp", OFFICIALS, ORGANISATION]
    assert "3.000409" in codes(search("", subject=OFFICIALS, limit=100))
    assert "3.000409" in codes(search("vu khi", subject=ORGANISATION, limit=100))
    third = import_paths([samples])
    assert (third.created, third.updated, third.failed) == (0, 0, 0)
    assert third.unchanged == first.created
