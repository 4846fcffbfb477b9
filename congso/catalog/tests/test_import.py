"""Import: idempotence, versions, failure reports, Excel lists, export round-trips, the command."""

import json
import os
from io import StringIO

import openpyxl
import pytest
from django.core.management import call_command

from congso.catalog import importer
from congso.catalog.exporter import export
from congso.catalog.importer import import_paths
from congso.catalog.models import Procedure, ProcedureVersion
from congso.core.models import AuditEntry

from .conftest import SAMPLES, SHARED, write_bad_records

pytestmark = pytest.mark.django_db


def test_import_creates_each_procedure_once(imported, samples):
    count = len(list(samples.glob("*.json")))
    assert imported.created == count
    assert Procedure.objects.count() == count
    birth = Procedure.objects.get(code="1.001193")
    assert birth.name == "Thủ tục đăng ký khai sinh"
    assert birth.field.name == "Hộ tịch"
    assert birth.level_list == ["commune"]
    assert birth.current_version.number == 1
    assert birth.content["components"]


def test_reimport_is_idempotent(imported, samples):
    again = import_paths([samples])
    assert (again.created, again.updated, again.unchanged, again.failed) == (0, 0, imported.created, 0)
    assert ProcedureVersion.objects.count() == imported.created


def test_a_change_adds_a_version_and_keeps_history(imported, samples):
    path = samples / "1.001193.json"
    record = json.loads(path.read_text(encoding="utf-8"))
    first = Procedure.objects.get(code="1.001193").current_version
    record["cach_thuc_thuc_hien"] = record["cach_thuc_thuc_hien"].replace(
        "Trực tiếp1Miễn phí", "Trực tiếp3 Ngày làm việc8,000 VNĐ"
    )
    path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")

    report = import_paths([path])
    assert (report.created, report.updated, report.unchanged) == (0, 1, 0)
    procedure = Procedure.objects.get(code="1.001193")
    assert procedure.current_version.number == 2
    assert procedure.versions.count() == 2
    in_person = [c for c in procedure.content["channels"] if c["channel"] == "in_person"][0]
    assert in_person["fee"] == {"kind": "amount", "amount": "8000", "currency": "VND", "description": ""}
    first.refresh_from_db()  # the old version a dossier may point at is untouched
    old = [c for c in first.content["channels"] if c["channel"] == "in_person"][0]
    assert old["fee"]["kind"] == "free"
    assert import_paths([path]).unchanged == 1


def test_bad_records_are_reported_and_do_not_stop_the_run(samples, db):
    write_bad_records(samples)
    (samples / "ghi-chu.txt").write_text("bỏ qua", encoding="utf-8")
    report = import_paths([samples, samples / "khong-co.json"])
    reasons = {source.rsplit("/", 1)[-1]: reason for source, reason in report.failures}
    assert "JSON" in reasons["hong.json"]
    assert "thiếu mã thủ tục" in reasons["thieu-ma.json"]
    assert "không phải là một đối tượng" in reasons["danh-sach.json#2"]
    assert "không tìm thấy tệp" in reasons["khong-co.json"]
    assert report.failed == 4
    assert Procedure.objects.filter(code="1.000894").exists()
    assert report.created == len(list(SAMPLES.glob("*.json"))) + 1
    entry = AuditEntry.objects.filter(action="catalog.import").latest("id")
    assert entry.data["failed"] == 4


def _list_workbook(path, rows):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(
        ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập – Tự do – Hạnh phúc\n\nDANH SÁCH THỦ TỤC HÀNH CHÍNH"]
    )
    sheet.append(["Mã số", "Tên", "Cơ quan ban hành", "Cơ quan thực hiện", "Lĩnh vực"])
    for row in rows:
        sheet.append(row)
    workbook.save(path)


def test_excel_list_creates_and_never_overwrites_detail_records(imported, tmp_path):
    path = tmp_path / "danh-sach-tthc-BoTuPhap.xlsx"
    _list_workbook(
        path,
        [
            [
                "1.001193",
                "Thủ tục đăng ký khai sinh (tên trong danh sách)",
                "Bộ Tư pháp",
                "Ủy ban nhân dân cấp xã",
                "Hộ tịch",
            ],
            [
                "1.000894",
                "Thủ tục đăng ký kết hôn",
                "Bộ Tư pháp",
                "Ủy ban nhân dân cấp xã\nSở Tư Pháp",
                "Hộ tịch",
            ],
            ["", "Dòng thiếu mã", "Bộ Tư pháp", "", ""],
        ],
    )
    report = import_paths([path])
    assert (report.created, report.updated, report.failed) == (1, 1, 1)
    assert "thiếu mã" in report.failures[0][1]
    birth = Procedure.objects.get(code="1.001193")
    assert birth.name == "Thủ tục đăng ký khai sinh"  # the detail record wins
    assert birth.content["issuing_agency"] == "Bộ Tư pháp"  # the list fills what it lacked
    marriage = Procedure.objects.get(code="1.000894")
    assert marriage.content["implementing_agency"] == "Ủy ban nhân dân cấp xã; Sở Tư Pháp"
    assert marriage.content["summary_only"] is True
    assert import_paths([path]).unchanged == 2


def test_json_export_round_trips(imported, tmp_path):
    folder = tmp_path / "xuat"
    assert export(str(folder)) == imported.created
    exported = json.loads((folder / "1.001193.json").read_text(encoding="utf-8"))
    assert exported["ma_thu_tuc"] == "1.001193"
    assert exported["noi_dung"]["name"] == "Thủ tục đăng ký khai sinh"
    report = import_paths([folder])
    assert (report.unchanged, report.created, report.updated, report.failed) == (imported.created, 0, 0, 0)
    single = tmp_path / "catalog.json"
    export(str(single))
    assert import_paths([single]).unchanged == imported.created


def test_excel_export_round_trips(imported, tmp_path):
    path = tmp_path / "danh-muc.xlsx"
    export(str(path))
    sheet = openpyxl.load_workbook(path).active
    assert sheet.cell(2, 1).value == "Mã số"
    report = import_paths([path])
    assert report.failed == 0
    # The first import of a list fills "issuing agency" for none (empty); nothing else changes.
    assert report.created == 0 and report.unchanged + report.updated == imported.created
    assert import_paths([path]).unchanged == imported.created


def test_structured_content_is_validated(samples, db, tmp_path):
    path = tmp_path / "sai.json"
    path.write_text(
        json.dumps(
            {"ma_thu_tuc": "1.001193", "noi_dung": {"code": "1.001193", "name": "X", "channels": "sai"}}
        )
    )
    report = import_paths([path])
    assert report.failed == 1
    assert "không hợp lệ" in report.failures[0][1]


def test_command_prints_counts(samples, db, tmp_path):
    out, err = StringIO(), StringIO()
    call_command("catalog", "import", str(samples), stdout=out, stderr=err)
    assert f"Tạo mới: {len(list(SAMPLES.glob('*.json')))}" in out.getvalue()
    assert "Lỗi: 0" in out.getvalue() and err.getvalue() == ""
    call_command("catalog", "export", str(tmp_path / "ra.xlsx"), stdout=out)
    assert f"Đã xuất {len(list(SAMPLES.glob('*.json')))} thủ tục" in out.getvalue()


def test_command_exits_non_zero_when_a_record_failed(samples, db, capsys, monkeypatch):
    """The counts and the report are printed, the good records imported, and the exit status is 1."""
    from django.core.management import CommandError, ManagementUtility
    from django.db import connections

    # a command run from the shell closes its connections at the end: not the test's
    monkeypatch.setattr(connections, "close_all", lambda: None)

    (samples / "hong.json").write_text("[", encoding="utf-8")
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError) as exc:
        call_command("catalog", "import", str(samples), stdout=out, stderr=err)
    assert exc.value.returncode == 1
    assert f"Tạo mới: {len(list(SAMPLES.glob('*.json')))}" in out.getvalue() and "Lỗi: 1" in out.getvalue()
    assert "hong.json" in err.getvalue()
    assert Procedure.objects.filter(code="1.001193").exists()

    # as a shell sees it: `congso catalog import …` (the console script runs this utility)
    with pytest.raises(SystemExit) as exit_:
        ManagementUtility(["congso", "catalog", "import", str(samples)]).execute()
    assert exit_.value.code == 1
    printed = capsys.readouterr()
    assert "Không đổi:" in printed.out and "Lỗi: 1" in printed.out
    assert "hong.json" in printed.err and "1 bản ghi không nhập được" in printed.err
    (samples / "hong.json").unlink()
    ManagementUtility(["congso", "catalog", "import", str(samples)]).execute()  # all good: no exit


@pytest.mark.skipif(
    not (SHARED / "records").exists() and not os.environ.get("CI"),
    reason="../shared/data/tthc is not present (a user's clone)",
)
def test_whole_shared_catalogue_imports_without_failures(db, tmp_path):
    # CI runs a clone with the team's shared/ beside it: there, missing data is a failure, not a skip
    assert (SHARED / "records").is_dir(), f"the shared catalogue data is not at {SHARED} (CONGSO_TTHC_DATA)"
    report = import_paths([SHARED / "records", SHARED / "lists"])
    assert report.failed == 0, report.failures[:5]
    assert Procedure.objects.filter(current_version__isnull=False).count() >= 1135
    versions = ProcedureVersion.objects.count()
    again = import_paths([SHARED / "lists", SHARED / "records"])  # re-import, paths in another order
    assert (again.created, again.updated, again.failed) == (0, 0, 0)
    assert again.unchanged == report.created + report.updated + report.unchanged
    assert ProcedureVersion.objects.count() == versions
    # every structured record passes the schema's checks, and an export imports unchanged
    export(str(tmp_path / "xuat"))
    exported = import_paths([tmp_path / "xuat"])
    assert (exported.failed, exported.created, exported.updated) == (0, 0, 0), exported.failures[:3]


def test_a_record_the_database_refuses_is_reported(samples, db):
    import json as _json

    record = _json.loads((samples / "1.001193.json").read_text(encoding="utf-8"))
    record["ma_thu_tuc"] = "1.009999"
    record["noi_dung"] = importer.parser.parse_record(record) | {"code": "1.009999", "steps": "bước\x00một"}
    (samples / "nul.json").write_text(_json.dumps(record, ensure_ascii=False), encoding="utf-8")
    report = import_paths([samples / "nul.json", samples / "1.001193.json"])
    assert report.created == 2 or (report.created == 1 and report.failed == 1)
    assert Procedure.objects.filter(code="1.001193").exists()
