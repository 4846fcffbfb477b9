"""The online service level comes from what the record states — a field of its own, the name, the
channels' descriptions — in general phrases, not rules for particular files."""

import json

import pytest

from congso.catalog.models import Procedure
from congso.catalog.parser import online_level_label, parse_record, stated_online_level
from congso.catalog.search import search

from .conftest import SAMPLES


def record(code, **changes):
    raw = json.loads((SAMPLES / f"{code}.json").read_text(encoding="utf-8"))
    return parse_record(raw | changes)


def test_stated_in_a_channel_description():
    # Justice: "… (đủ điều kiện thực hiện dịch vụ công trực tuyến toàn trình)" in the channel rows only
    content = record("1.002099")
    assert "toàn trình" not in content["name"]
    assert content["online_level"] == "full"


def test_stated_in_the_name():
    # Public Security: "Đăng ký xe tạm thời thực hiện bằng dịch vụ công trực tuyến toàn trình"
    assert record("1.013083")["online_level"] == "full"
    # "… bằng dịch vụ công một phần hoặc trực tiếp …": the name says partial even though the channel
    # table lists only counters
    partial = record("1.013067")
    assert {row["channel"] for row in partial["channels"]} == {"in_person"}
    assert partial["online_level"] == "partial"


def test_nothing_stated_falls_back_to_the_channels():
    assert record("1.001193")["online_level"] == "partial"  # online channel
    assert record("1.004059")["online_level"] == "info"  # in person only


def test_a_field_of_its_own_wins():
    assert record("1.001193", muc_do_dich_vu_cong_truc_tuyen="Toàn trình")["online_level"] == "full"
    assert record("1.002099", muc_do="Một phần")["online_level"] == "partial"
    assert record("1.001193", muc_do_dvc="Mức độ 4")["online_level"] == "full"
    assert record("1.001193", muc_do="")["online_level"] == "partial"  # empty: says nothing


@pytest.mark.parametrize(
    "text, level",
    [
        ("Hồ sơ nộp trực tuyến (đủ điều kiện thực hiện dịch vụ công trực tuyến toàn trình).", "full"),
        ("Thực hiện bằng dịch vụ công trực tuyến một phần hoặc trực tiếp", "partial"),
        ("Dịch vụ công trực tuyến mức độ 4", "full"),
        ("Dịch vụ công trực tuyến mức độ 3", "partial"),
        ("dịch vụ công trực tuyến một phần hoặc toàn trình", "full"),  # the highest it offers
        ("Chưa đủ điều kiện thực hiện dịch vụ công trực tuyến toàn trình", ""),
        ("Cho phép chuyển nhượng toàn bộ hoặc một phần dự án", ""),
        ("Đăng nhập bằng tài khoản định danh mức độ 2", ""),
        ("Nộp hồ sơ trực tuyến 3 ngày làm việc", ""),
        ("", ""),
    ],
)
def test_statements_in_free_text(text, level):
    assert stated_online_level(text) == level


@pytest.mark.parametrize(
    "label, level",
    [
        ("Toàn trình", "full"),
        ("Dịch vụ công trực tuyến toàn trình", "full"),
        ("Trực tuyến một phần", "partial"),
        ("Mức độ 3", "partial"),
        ("Cung cấp thông tin", "info"),
        ("2", "info"),
        ("Không có thông tin", ""),
        ("khác", ""),
    ],
)
def test_labels_of_a_dedicated_field_or_list_column(label, level):
    assert online_level_label(label) == level


@pytest.mark.django_db
def test_imported_levels_reach_search(imported):
    assert Procedure.objects.get(code="1.002099").online_level == "full"
    full = [p.code for p in search("", online="full", limit=100).items]
    assert {"1.002099", "1.013083"} <= set(full) and "1.001193" not in full
