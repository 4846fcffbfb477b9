"""Re-importing detail records together with list exports changes nothing (issue 4, ADR 0021).

A list row only fills what the detail record does not state; the record keeps those values on the next
run, whichever of the two is read first, so a second import reports everything unchanged and adds no
version. Transactional, so that ``jobs=2`` runs worker processes on PostgreSQL (SQLite: the serial
fallback).
"""

import pytest

from congso.catalog.importer import LIST_FIELDS_KEY
from congso.catalog.models import Procedure, ProcedureVersion
from congso.catalog.parallel_import import import_paths

from .conftest import SAMPLE_COUNT
from .test_import import _list_workbook
from .test_parallel_import import _counts, _state, _wipe_catalogue

pytestmark = pytest.mark.django_db(transaction=True)

# Rows of the portal's own list export (lists/danh-sach-tthc-BoTuPhap.xlsx and …BoXayDung.xlsx of the
# shared data), verbatim: multi-line cells, a leading empty line, a repeated agency.
JUSTICE_ROWS = [
    ["1.001193", "Thủ tục đăng ký khai sinh", "Bộ Tư pháp", "Ủy ban nhân dân cấp xã", "Hộ tịch"],
    [
        "1.004757",
        "Trở lại quốc tịch Việt Nam ở nước ngoài",
        "Bộ Tư pháp",
        "Bộ Tư pháp\nCơ quan đại diện Việt Nam ở nước ngoài\nCơ quan đại diện Việt Nam ở nước ngoài\nBộ Tư pháp",
        "Quốc tịch",
    ],
    [
        "2.000815",
        "Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan, tổ chức có thẩm quyền của Việt Nam; "
        "cơ quan, tổ chức có thẩm quyền của nước ngoài; cơ quan, tổ chức có thẩm quyền của Việt Nam liên "
        "kết với cơ quan, tổ chức có thẩm quyền của nước ngoài cấp hoặc chứng nhận",
        "Bộ Tư pháp",
        "\nCơ quan đại diện có thẩm quyền\nTổ chức hành nghề công chứng\nỦy ban nhân dân cấp xã",
        "Chứng thực",
    ],
    [
        "1.000080",
        "Thủ tục đăng ký nhận cha, mẹ, con có yếu tố nước ngoài tại khu vực biên giới",
        "Bộ Tư pháp",
        "",
        "Hộ tịch",
    ],
    ["1.000894", "Thủ tục đăng ký kết hôn", "Bộ Tư pháp", "Ủy ban nhân dân cấp xã", "Hộ tịch"],  # list only
]
CONSTRUCTION_ROWS = [
    [
        "1.004028",
        "Tàu biển nhập cảnh",
        "Bộ xây dựng (Giao thông vận tải cũ)",
        "\nCơ quan kiểm dịch thực vật\nCảng vụ hàng hải\nBiên phòng cửa khâu\n\nVăn phòng đại diện Cảng vụ Hàng hải",
        "Hàng hải và đường thủy nội địa",
    ],
]


@pytest.fixture
def lists(tmp_path):
    folder = tmp_path / "lists"
    folder.mkdir()
    _list_workbook(folder / "danh-sach-tthc-BoTuPhap.xlsx", JUSTICE_ROWS)
    _list_workbook(folder / "danh-sach-tthc-BoXayDung.xlsx", CONSTRUCTION_ROWS)
    return folder


def _current() -> dict:
    return {p.code: p.current_version.content for p in Procedure.objects.select_related("current_version")}


def _assert_merged(content: dict) -> None:
    birth = content["1.001193"]  # the record states no implementing agency: the list fills it
    assert birth["implementing_agency"] == "Ủy ban nhân dân cấp xã"
    assert birth["issuing_agency"] == "Bộ Tư pháp"
    assert birth[LIST_FIELDS_KEY] == ["implementing_agency", "issuing_agency"]
    assert "summary_only" not in birth
    copies = content["2.000815"]  # the record states one: the list's differing one never replaces it
    assert copies["implementing_agency"] == "Tổ chức hành nghề công chứng, Cơ quan đại diện có thẩm quyền"
    assert copies[LIST_FIELDS_KEY] == ["issuing_agency"]
    assert content["1.000894"]["summary_only"] is True


def _import_twice(paths, jobs):
    first = import_paths(paths, jobs=jobs)
    assert first.failed == 0, first.failures
    state, versions = _state(), ProcedureVersion.objects.count()
    second = import_paths(paths, jobs=jobs)
    assert _counts(second) == (0, 0, first.created + first.updated + first.unchanged, 0)
    assert ProcedureVersion.objects.count() == versions
    assert _state() == state
    return first


@pytest.mark.parametrize("jobs", [1, 2])
def test_records_and_lists_reimport_unchanged_in_either_path_order(samples, lists, jobs):
    first = _import_twice([samples, lists], jobs)
    assert (first.created, first.updated) == (SAMPLE_COUNT + 1, 5)  # the records + 1 list-only; 5 rows fill
    forward = _current()
    _assert_merged(forward)

    _wipe_catalogue()
    _import_twice([lists, samples], jobs)
    assert _current() == forward  # the order of the paths does not matter

    # A run of the lists alone, then of the records alone, then of both: the same content, stable.
    _wipe_catalogue()
    import_paths([lists], jobs=jobs)
    import_paths([samples], jobs=jobs)
    assert _current() == forward
    again = import_paths([samples, lists], jobs=jobs)
    assert (again.created, again.updated) == (0, 0)


def test_a_newer_list_updates_only_what_lists_gave(samples, lists, tmp_path):
    import_paths([samples, lists])
    newer = tmp_path / "newer"
    newer.mkdir()
    renamed = [row[:] for row in JUSTICE_ROWS]
    renamed[0][2] = "Bộ Tư pháp (mới)"  # issuing agency: the record states none, so the list's own
    renamed[2][3] = "Ủy ban nhân dân cấp xã"  # implementing agency: the record states one
    renamed[0][1] = "Đăng ký khai sinh (tên mới trong danh sách)"  # the name: the record states it
    _list_workbook(newer / "danh-sach-tthc-BoTuPhap.xlsx", renamed)
    report = import_paths([samples, newer])
    assert (report.created, report.updated) == (0, 1)
    content = _current()
    assert content["1.001193"]["issuing_agency"] == "Bộ Tư pháp (mới)"
    assert content["1.001193"]["name"] == "Thủ tục đăng ký khai sinh"
    assert content["2.000815"]["implementing_agency"].startswith("Tổ chức hành nghề công chứng")
    assert import_paths([samples, newer]).updated == 0


def test_two_differing_rows_of_one_code_do_not_overwrite_each_other_on_every_run(samples, tmp_path):
    folder = tmp_path / "lists"
    folder.mkdir()
    _list_workbook(folder / "a.xlsx", [["1.000894", "Thủ tục đăng ký kết hôn", "Bộ Tư pháp", "", "Hộ tịch"]])
    _list_workbook(
        folder / "b.xlsx", [["1.000894", "Đăng ký kết hôn", "Bộ Tư pháp", "Ủy ban nhân dân cấp xã", ""]]
    )
    import_paths([samples, folder])
    marriage = Procedure.objects.get(code="1.000894").content
    assert marriage["name"] == "Thủ tục đăng ký kết hôn"  # the first row of the run (a.xlsx) wins
    assert marriage["implementing_agency"] == "Ủy ban nhân dân cấp xã"  # the second fills what it lacked
    again = import_paths([folder, samples])
    assert (again.created, again.updated) == (0, 0)
