"""The catalogue consistency report finds the differences planted in a national export (ADR 0155)."""

import json
import shutil
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from congso.catalog import consistency, services
from congso.catalog.importer import import_paths
from congso.catalog.models import ConsistencyDifference, Offering, Procedure
from congso.catalog.selectors import consistency_rate
from congso.core.models import AuditEntry
from congso.directory.models import Role

from .conftest import SAMPLES

pytestmark = pytest.mark.django_db

MISSING = "1.013083"  # not in the local catalogue
CHANGED = "1.002099"  # a new publishing decision nationally
TIME = "1.001294"  # 7 working days nationally; 5 at the department, no local decision
FEE = "1.002755"  # 5,000 đồng nationally; 3,000 at the ward, no local decision
DECIDED = "1.001193"  # a shorter local time with the province's decision: not a difference


@pytest.fixture
def local(tmp_path, agencies):
    folder = tmp_path / "local"
    shutil.copytree(SAMPLES, folder)
    (folder / f"{MISSING}.json").unlink()
    assert import_paths([folder]).failed == 0
    procedure = Procedure.objects.get
    Offering.objects.create(
        agency=agencies["justice"],
        procedure=procedure(code=TIME),
        local_time_value=5,
        local_time_unit="working_days",
    )
    Offering.objects.create(agency=agencies["pleiku"], procedure=procedure(code=FEE), local_fee_online=3000)
    Offering.objects.create(
        agency=agencies["pleiku"],
        procedure=procedure(code=DECIDED),
        local_time_value=Decimal("0.5"),
        local_time_unit="working_days",
        local_decision="Quyết định 512/QĐ-UBND ngày 15/3/2026 của UBND tỉnh Gia Lai",
    )
    return folder


@pytest.fixture
def export(tmp_path, local):
    """The national export: every sample record, one with a new decision, and one unreadable record."""
    folder = tmp_path / "quoc-gia"
    shutil.copytree(SAMPLES, folder)
    path = folder / f"{CHANGED}.json"
    record = json.loads(path.read_text(encoding="utf-8"))
    record["so_quyet_dinh"] = "999/QĐ-BTP"
    path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    (folder / "hong.json").write_text(json.dumps([{"ten_thu_tuc": "Không có mã"}]), encoding="utf-8")
    return folder


@pytest.fixture
def sysadmin(make_official, agencies):
    return make_official("quantri.hethong", Role.SYSADMIN, agencies["province_pc"], include_subtree=True)


def found(report):
    return {(d.code, d.kind) for d in report.differences.all()}


def test_the_report_finds_the_planted_differences(export, sysadmin, agencies):
    records, failures = consistency.read_paths([export])
    report = services.run_consistency_report(sysadmin, records, failures, source="quoc-gia")
    assert found(report) == {
        (MISSING, "missing"),
        (CHANGED, "version"),
        (TIME, "time"),
        (FEE, "fee"),
    }
    assert report.checked == 20 and len(report.failures) == 1 and "thiếu mã thủ tục" in report.failures[0][1]
    by_kind = {d.kind: d for d in report.differences.all()}
    assert by_kind["version"].national == "999/QĐ-BTP" and "quyết định công bố" in by_kind["version"].local
    assert (by_kind["time"].national, by_kind["time"].local) == ("7 ngày làm việc", "5 ngày làm việc")
    assert by_kind["time"].agency == agencies["justice"]
    assert (
        by_kind["fee"].national == "trực tuyến: 5.000 VND" and by_kind["fee"].local == "trực tuyến: 3.000 VND"
    )
    rate = consistency_rate()
    assert (rate.percent, rate.checked, rate.differing) == (Decimal("80.0"), 20, 4)
    assert AuditEntry.objects.filter(action="catalog.consistency_report").count() == 1


def test_one_click_brings_a_missing_or_changed_procedure_in(export, sysadmin):
    records, failures = consistency.read_paths([export])
    report = services.run_consistency_report(sysadmin, records, failures, source="quoc-gia")
    for kind in ("missing", "version"):
        services.apply_difference(sysadmin, report.differences.get(kind=kind).pk)
    assert Procedure.objects.get(code=MISSING).current_version is not None
    changed = Procedure.objects.get(code=CHANGED)
    assert changed.current_version.number == 2 and changed.current_version.content["decision"] == "999/QĐ-BTP"
    assert consistency_rate(report).percent == Decimal("90.0")
    again = services.run_consistency_report(sysadmin, *consistency.read_paths([export]), source="quoc-gia")
    assert found(again) == {(TIME, "time"), (FEE, "fee")}
    with pytest.raises(services.ServiceError):
        services.apply_difference(sysadmin, again.differences.get(kind="time").pk)


def test_only_the_catalogue_administrator_runs_and_applies(export, agencies, make_official, sysadmin):
    from django.core.exceptions import PermissionDenied

    admin = make_official("quantri.pleiku", Role.AGENCY_ADMIN, agencies["pleiku"])
    records, failures = consistency.read_paths([export])
    with pytest.raises(PermissionDenied):
        services.run_consistency_report(admin, records, failures, source="quoc-gia")
    report = services.run_consistency_report(sysadmin, records, failures, source="quoc-gia")
    with pytest.raises(PermissionDenied):
        services.apply_difference(admin, report.differences.get(kind="missing").pk)
    assert not Procedure.objects.filter(code=MISSING).exists()


def test_the_command_prints_the_report(export):
    out = StringIO()
    call_command("catalog", "consistency", str(export), stdout=out, stderr=StringIO())
    text = out.getvalue()
    assert f"{MISSING}  Thiếu thủ tục trong danh mục địa phương" in text
    assert "đối chiếu 20 thủ tục, 4 có khác biệt, tỷ lệ nhất quán 80.0%" in text


def test_an_unreadable_export_is_refused_clearly(tmp_path, db):
    records, failures = consistency.read_bytes(b"{ khong phai json", "tai-len.json")
    assert records == [] and "Không đọc được JSON" in failures[0][1]
    assert consistency_rate().percent is None
    with pytest.raises(services.ServiceError):
        services.run_consistency_report(None, [], [], source="rong.json")


def test_the_pages_upload_an_export_show_the_report_and_apply_one_difference(client, local, sysadmin):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from congso.directory.testing import login_verified

    login_verified(client, sysadmin)
    assert "Chưa có báo cáo đối chiếu nào" in client.get("/thu-tuc/quan-ly/doi-chieu/").content.decode()
    empty = client.post("/thu-tuc/quan-ly/doi-chieu/", {})
    assert empty.status_code == 400 and "Chọn tệp bản xuất" in empty.content.decode()
    bad = client.post(
        "/thu-tuc/quan-ly/doi-chieu/", {"export": SimpleUploadedFile("x.json", b"{ hong", "application/json")}
    )
    assert bad.status_code == 400 and "Không đọc được JSON" in bad.content.decode()
    records = [json.loads((SAMPLES / f"{code}.json").read_text(encoding="utf-8")) for code in (MISSING, TIME)]
    upload = SimpleUploadedFile("quoc-gia.json", json.dumps(records).encode(), "application/json")
    done = client.post("/thu-tuc/quan-ly/doi-chieu/", {"export": upload})
    assert done.status_code == 302
    page = client.get(done.url).content.decode()
    assert "Thiếu thủ tục trong danh mục địa phương" in page and "Thời hạn giải quyết khác" in page
    assert f"/thu-tuc/quan-ly/000.00.12.H21/{TIME}/" in page  # the time difference opens the offering
    assert "0,0%" in page  # both differ; a Vietnamese decimal comma
    missing = ConsistencyDifference.objects.get(code=MISSING)
    client.post(f"/thu-tuc/quan-ly/doi-chieu/khac-biet/{missing.pk}/cap-nhat/")
    assert Procedure.objects.filter(code=MISSING).exists()
    after = client.get(done.url).content.decode()
    assert "Đã cập nhật lúc" in after and "50,0%" in after


def test_an_agency_administrator_does_not_see_the_report(client, agencies, make_official):
    from congso.directory.testing import login_verified

    login_verified(client, make_official("quantri.pleiku", Role.AGENCY_ADMIN, agencies["pleiku"]))
    assert client.get("/thu-tuc/quan-ly/doi-chieu/").status_code == 403


def test_the_api_runs_reads_and_applies(client, local, sysadmin):
    from congso.directory.testing import login_verified

    login_verified(client, sysadmin)
    records = [json.loads((SAMPLES / f"{code}.json").read_text(encoding="utf-8")) for code in (MISSING, FEE)]
    made = client.post(
        "/api/v1/catalog/consistency",
        {"source": "quoc-gia.json", "records": records},
        content_type="application/json",
    )
    assert made.status_code == 201, made.content
    body = made.json()
    assert {(d["code"], d["kind"]) for d in body["differences"]} == {(MISSING, "missing"), (FEE, "fee")}
    assert body["consistency_percent"] == "0.0" or float(body["consistency_percent"]) == 0.0
    missing = next(d for d in body["differences"] if d["kind"] == "missing")
    applied = client.post(missing["update_url"])
    assert applied.status_code == 200 and applied.json()["resolved_at"]
    assert client.post(missing["update_url"]).status_code == 409
    again = client.get(f"/api/v1/catalog/consistency/{body['id']}").json()
    assert float(again["consistency_percent"]) == 50.0
    empty = client.post(
        "/api/v1/catalog/consistency", {"source": "rong", "records": []}, content_type="application/json"
    )
    assert empty.status_code in (400, 422)
