"""The portal record parser on real records (committed samples) and on the portal's table shapes."""

import json
from decimal import Decimal

import pytest

from congso.catalog.parser import (
    ParseError,
    parse_amount,
    parse_channels,
    parse_components,
    parse_legal_basis,
    parse_levels,
    parse_record,
    parse_results,
)

from .conftest import SAMPLES


def record(code):
    return parse_record(json.loads((SAMPLES / f"{code}.json").read_text(encoding="utf-8")))


def by_channel(content):
    return {row["channel"]: row for row in content["channels"]}


def test_fee_in_vnd_with_working_days():
    rows = by_channel(record("1.001294"))
    row = rows["in_person"]
    assert row["time"] == {"value": 7, "unit": "working_days"}
    assert row["fee"]["kind"] == "amount"
    assert Decimal(row["fee"]["amount"]) == Decimal("2000")
    assert row["fee"]["currency"] == "VND"
    assert "2.000 đồng/thẻ" in row["fee"]["description"]


def test_fee_in_usd_and_months():
    rows = by_channel(record("1.001010"))
    assert rows["in_person"]["time"] == {"value": 6, "unit": "months"}
    assert rows["in_person"]["fee"]["amount"] == "100"
    assert rows["in_person"]["fee"]["currency"] == "USD"
    assert rows["in_person"]["fee"]["description"] == "100 USD/thẻ."


def test_several_channels_with_their_own_fees():
    content = record("1.003358")
    rows = content["channels"]
    assert {r["channel"] for r in rows} == {"online", "post", "in_person"}
    online = [r for r in rows if r["channel"] == "online"]
    assert [(r["fee"]["amount"], r["fee"]["currency"]) for r in online] == [
        ("145", "USD"),
        ("155", "USD"),
        ("165", "USD"),
    ]
    assert "Trực tuyến: nộp hồ sơ trực tuyến" in online[0]["description"]
    assert content["online_level"] == "partial"


def test_free_of_charge_and_a_time_without_unit():
    content = record("1.001193")  # Thủ tục đăng ký khai sinh
    rows = by_channel(content)
    assert set(rows) == {"online", "post", "in_person"}
    for row in rows.values():
        assert row["fee"]["kind"] == "free"
        assert row["time"] == {"value": 1, "unit": ""}
    assert content["levels"] == ["commune"]
    assert content["field"] == "Hộ tịch"
    assert content["subjects"] == ["Công dân Việt Nam", "Người Việt Nam định cư ở nước ngoài"]
    assert content["results"] == [{"name": "Giấy khai sinh", "code": "KQ.G15.000031"}]


def test_day_and_hour_units():
    assert by_channel(record("2.002623"))["online"]["time"] == {"value": 5, "unit": "days"}
    assert by_channel(record("2.001580"))["online"]["time"]["unit"] == "hours"


def test_missing_values_are_empty_not_text():
    content = record("1.004059")
    row = by_channel(content)["in_person"]
    assert row["time"] is None
    assert row["fee"]["kind"] == "unknown"
    assert content["conditions"] == "" or "Không có thông tin" not in content["conditions"]
    assert content["authorised_agency"] == ""


def test_time_glued_to_an_amount_is_split():
    rows = parse_channels(
        "Hình thức nộpThời gianPhí, lệ phíMô tảTrực tuyến1200 VNĐDịch vụ bưu chính1200 VNĐTrực tiếp1200 VNĐ"
    )
    assert [(r["time"]["value"], r["fee"]["amount"]) for r in rows] == [(1, "200")] * 3


def test_the_examples_of_the_issue():
    online = parse_channels("Trực tuyến2 Ngày làm việcMiễn phí")[0]
    assert online["channel"] == "online"
    assert online["time"] == {"value": 2, "unit": "working_days"}
    assert online["fee"]["kind"] == "free"
    in_person = parse_channels("Trực tiếp6 Tháng100 USD")[0]
    assert in_person["time"] == {"value": 6, "unit": "months"}
    assert (in_person["fee"]["amount"], in_person["fee"]["currency"]) == ("100", "USD")


def test_components_with_groups_and_quantities():
    components = record("1.001193")["components"]
    groups = {c["group"] for c in components}
    assert "* Giấy tờ phải nộp:" in groups
    assert "* Giấy tờ phải xuất trình:" in groups
    birth = next(c for c in components if c["name"].startswith("- Giấy chứng sinh"))
    assert (birth["originals"], birth["copies"]) == (1, 0)


def test_components_with_form_templates_and_copies():
    components = record("1.011439")["components"]
    form = next(c for c in components if c["forms"])
    assert form["forms"] == ["Mau so 09d_Phieu yeu cau cung cap thong tin DS.docx"]
    assert form["name"].endswith("(Điều 50 Nghị định số 99/2022/NĐ-CP)")
    assert any((c["originals"], c["copies"]) == (1, 1) for c in components)


def test_several_form_files_in_one_component():
    components = record("1.004028")["components"]
    many = [c for c in components if len(c["forms"]) >= 3]
    assert many
    assert all(f.endswith((".docx", ".doc", ".pdf")) for c in many for f in c["forms"])


def test_inline_quantities_in_a_name_do_not_split_rows():
    rows = parse_components(
        "--Tên giấy tờMẫu đơn, tờ khaiSố lượngVăn bản ủy quyền (01 bản chính hoặc 01 bản sao có chứng thực)"
        "1 bản chính,1 bản saoTờ khai đăng ký khai sinh theo mẫuTo khai dang ky khai sinh.docx1 bản chính"
    )
    assert [(r["name"], r["forms"], r["originals"], r["copies"]) for r in rows] == [
        ("Văn bản ủy quyền (01 bản chính hoặc 01 bản sao có chứng thực)", [], 1, 1),
        ("Tờ khai đăng ký khai sinh theo mẫu", ["To khai dang ky khai sinh.docx"], 1, 0),
    ]


def test_legal_basis_titles_and_numbers():
    rows = parse_legal_basis(
        "Tên văn bản pháp lýMã văn bảnNghị định số 123/2015/NĐ-CP ngày 15/11/2015 của Chính phủ quy định chi tiết "
        "Luật Hộ tịch123/2015/NĐ-CPThông tư Hướng dẫn về phí85/2019/TT-BTCLuật 60/2014/QH1360/2014/QH13"
    )
    assert [r["number"] for r in rows] == ["123/2015/NĐ-CP", "85/2019/TT-BTC", "60/2014/QH13"]
    assert rows[0]["title"].startswith("Nghị định số 123/2015/NĐ-CP ngày 15/11/2015")
    assert rows[2]["title"] == "Luật 60/2014/QH13"


def test_results_with_codes():
    results, _ = parse_results(json.loads((SAMPLES / "1.002755.json").read_text())["ket_qua_xu_ly"])
    assert len(results) == 4
    assert results[0] == {
        "name": "Cập nhật thông tin trong Cơ sở dữ liệu quốc gia về dân cư",
        "code": "KQ.G01.000064",
    }
    assert parse_results("") == ([], "")


def test_levels_and_amounts():
    assert parse_levels("Cấp bộ, Cấp tỉnh, Cấp xã, Cơ quan khác") == [
        "ministry",
        "province",
        "commune",
        "other",
    ]
    assert parse_amount("1,700,000") == Decimal("1700000")
    assert parse_amount("1.700.000") == Decimal("1700000")
    assert parse_amount("2.5") == Decimal("2.5")


@pytest.mark.parametrize(
    "bad, reason",
    [
        ({"ten_thu_tuc": "Đăng ký khai sinh"}, "thiếu mã"),
        ({"ma_thu_tuc": "1.001193"}, "thiếu tên"),
        ([], "JSON"),
    ],
)
def test_unreadable_records_raise_a_clear_error(bad, reason):
    with pytest.raises(ParseError, match=reason):
        parse_record(bad)


def test_every_sample_parses():
    paths = sorted(SAMPLES.glob("*.json"))
    assert paths, f"no sample records (*.json) in {SAMPLES}"
    for path in paths:
        content = parse_record(json.loads(path.read_text(encoding="utf-8")))
        assert content["code"] == path.stem
