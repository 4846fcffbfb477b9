"""Back-office pages added for issue 5's audit, in the browser with axe-core: counter intake of a
procedure with alternative cases, the counter recording a supplement, the request-supplement
checklist, the leader's bulk view and the printable list."""

import json
from pathlib import Path

import pytest
from playwright.sync_api import expect

from congso.catalog.models import Offering, Procedure, ProcedureVersion
from congso.catalog.parser import parse_record
from congso.directory.testing import sign_in_browser
from congso.dossiers import services
from congso.dossiers.models import Channel, Dossier, Status

from .conftest import pdf

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SAMPLES = Path(__file__).resolve().parents[2] / "catalog" / "tests" / "samples"


def test_intake_with_cases_and_supplement_at_the_counter(page, live_server, axe, staff, agencies, tmp_path):
    content = parse_record(json.loads((SAMPLES / "1.002755.json").read_text(encoding="utf-8")))
    procedure = Procedure.objects.create(code="1.002755", name=content["name"], levels="|commune|")
    version = ProcedureVersion.objects.create(
        procedure=procedure, number=1, content=content, content_hash="r" * 64
    )
    procedure.current_version = version
    procedure.save()
    offering = Offering.objects.create(agency=agencies["ward"], procedure=procedure)
    sign_in_browser(page, live_server.url, staff["clerk"])
    page.goto(f"/mot-cua/tiep-nhan/?offering={offering.pk}")
    axe(page, "intake with alternative cases")
    page.get_by_label("Họ tên người nộp hoặc tên tổ chức").fill("Ksor H'Bia")
    page.get_by_label("Hình thức nộp").select_option(str(Channel.POST))
    page.locator("#id_case").select_option("0")  # “theo danh sách”: two papers, none given
    page.get_by_role("button", name="Tiếp nhận và in giấy hẹn").click()
    d = Dossier.objects.get()
    assert d.status == Status.SUPPLEMENT
    expect(page.locator(".messages")).to_contain_text("Hồ sơ chưa đủ thành phần")
    axe(page, "dossier waiting for a supplement (counter)")
    path = tmp_path / "bo-sung.pdf"
    path.write_bytes(pdf())
    form = page.locator("form[action$='/thao-tac/submit_supplement/']")
    form.locator("input[type=file]").first.set_input_files(str(path))
    form.locator("input[type=checkbox]").nth(1).check()
    form.get_by_role("button", name="Ghi nhận hồ sơ bổ sung").click()
    expect(page.locator(".messages")).to_contain_text("Đã thực hiện: Nộp hồ sơ bổ sung.")
    d.refresh_from_db()
    assert d.status == Status.NEW  # back where it was when the supplement was asked
    axe(page, "dossier after the supplement")


def test_supplement_checklist_bulk_view_and_print(page, live_server, axe, staff, agencies, procedure_version):
    a, b = (
        services.receive(
            actor=staff["clerk"],
            agency=agencies["ward"],
            procedure_version=procedure_version,
            channel=Channel.IN_PERSON,
            applicant=services.Applicant(name=name),
            accept_now=True,
        )
        for name in ("Trần Thị Bích", "Lê Văn Cường")
    )
    sign_in_browser(page, live_server.url, staff["officer"])
    page.goto(f"/mot-cua/ho-so/{a.code}/")
    form = page.locator("form[action$='/thao-tac/request_supplement/']")
    form.get_by_label("Giấy chứng sinh").check()
    form.get_by_label("Giấy tờ khác cần bổ sung (mỗi dòng một mục)").fill("Bản sao giấy đăng ký kết hôn")
    form.get_by_role("button", name="Yêu cầu bổ sung, hoàn thiện hồ sơ").click()
    expect(page.locator("ol.timeline > li").last).to_contain_text("Giấy chứng sinh")
    axe(page, "dossier after a supplement request")
    sign_in_browser(page, live_server.url, staff["leader"])
    page.goto("/mot-cua/?box=all")
    axe(page, "leader's inbox with the bulk view")
    page.get_by_label(f"Chọn hồ sơ {b.code}").check()
    page.get_by_label("Phân công cho").select_option(str(staff["officer"].pk))
    page.get_by_role("button", name="Phân công", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("Đã phân công 1 hồ sơ cho Phạm Văn Nam.")
    page.get_by_label(f"Chọn hồ sơ {a.code}").check()
    page.get_by_label(f"Chọn hồ sơ {b.code}").check()
    page.get_by_role("button", name="In danh sách đã chọn").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Danh sách hồ sơ")
    assert page.locator("table.compact-list tbody tr").count() == 2
    axe(page, "printable list")
