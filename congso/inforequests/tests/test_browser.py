"""On a phone: a citizen reads an agency's list of published information, files an information request
(a missing field first: a clear message, nothing written), the ward's information officer extends it
and answers it with a PDF within its deadline, and the citizen reads the answer and downloads the file.
axe-core on every page of the app."""

import tempfile
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import Client
from playwright.sync_api import expect

from congso.directory.testing import sign_in_browser
from congso.inforequests import services
from congso.inforequests.models import InfoRequest, Status

from .conftest import pdf_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def as_citizen(page, live_server, user):
    client = Client()
    client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies(
        [
            {
                "name": django_settings.SESSION_COOKIE_NAME,
                "value": client.cookies[django_settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


def test_a_citizen_files_on_a_phone_and_the_ward_answers_on_time(phone_page, live_server, axe, world):
    page = phone_page
    page.set_default_timeout(60_000)  # a loaded shared CI machine; not a speed assertion
    ward = world.agencies["pleiku_pc"]
    services.save_disclosure_item(
        actor=world.users["sysadmin"],
        agency=ward.code,
        category="dat-dai-quy-hoach",
        title="Kế hoạch sử dụng đất năm 2026 phường Pleiku",
        how="Niêm yết tại trụ sở UBND phường",
    )
    as_citizen(page, live_server, world.users["citizen"])
    page.goto("/tiep-can-thong-tin/")
    axe(page, "access to information home")
    page.get_by_role("link", name="Ủy ban nhân dân phường Pleiku").click()
    expect(page.locator("main")).to_contain_text("Kế hoạch sử dụng đất năm 2026 phường Pleiku")
    axe(page, "agency disclosure list")
    page.get_by_role("link", name="Yêu cầu cơ quan này cung cấp thông tin").click()
    axe(page, "request form")
    # prefilled from the account; the agency chosen from the page it came from
    expect(page.get_by_label("Số căn cước công dân")).to_have_value("064090001234")
    page.get_by_label("Nơi cư trú").fill("25 Hùng Vương, phường Pleiku, Gia Lai")
    page.get_by_label("Mục đích yêu cầu").fill("Tìm hiểu quy hoạch trước khi xây nhà ở.")
    page.get_by_role("button", name="Gửi yêu cầu").click()
    expect(page.locator("main")).to_contain_text("Vui lòng nhập thông tin yêu cầu cung cấp")
    axe(page, "request form with errors")
    assert not InfoRequest.objects.exists()
    page.get_by_label("Thông tin yêu cầu cung cấp").fill(
        "Quyết định phê duyệt quy hoạch chi tiết khu dân cư tổ 5, phường Pleiku."
    )
    page.get_by_role("button", name="Gửi yêu cầu").click()
    expect(page.locator(".messages")).to_contain_text("Ủy ban nhân dân phường Pleiku")
    axe(page, "own request page")
    req = InfoRequest.objects.get()
    assert req.agency == ward and req.requester == world.users["citizen"]

    sign_in_browser(page, live_server.url, world.users["ward_officer"])
    page.goto("/tiep-can-thong-tin/xu-ly/")
    axe(page, "officials' inbox")
    page.get_by_role("link", name=req.code).click()
    axe(page, "official's request page")
    box = page.locator("details", has=page.locator("summary", has_text="Gia hạn"))
    box.locator("summary").click()
    box.get_by_label("Lý do gia hạn").fill("Cần tập hợp hồ sơ quy hoạch từ Phòng Kinh tế.")
    box.get_by_role("button", name="Gia hạn").click()
    expect(page.locator(".messages")).to_contain_text("Đã cập nhật yêu cầu")
    box = page.locator("details", has=page.locator("summary", has_text="Cung cấp thông tin"))
    if box.get_attribute("open") is None:
        box.locator("summary").click()
    box.get_by_label("Thông tin cung cấp").fill("Gửi Ông/Bà quyết định phê duyệt quy hoạch (tệp đính kèm).")
    with tempfile.TemporaryDirectory() as tmp:
        pdf = Path(tmp) / "quyet-dinh-quy-hoach.pdf"
        pdf.write_bytes(pdf_bytes())
        box.locator("input[name=file]").set_input_files(str(pdf))
        box.get_by_role("button", name="Cung cấp thông tin").click()
    expect(page.locator(".messages")).to_contain_text("Đã cập nhật yêu cầu")
    req.refresh_from_db()
    assert req.status == Status.ANSWERED and req.extended_at and req.on_time and req.answer_file

    as_citizen(page, live_server, world.users["citizen"])
    page.goto("/tiep-can-thong-tin/cua-toi/")
    axe(page, "my requests")
    page.get_by_role("link", name=req.code).click()
    expect(page.locator("main")).to_contain_text("Gửi Ông/Bà quyết định phê duyệt quy hoạch")
    expect(page.locator("main")).to_contain_text("Trong hạn")
    axe(page, "answered request")
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải tệp thông tin").click()
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF")


def test_disclosure_editor_passes_axe(page, live_server, axe, world):
    page.set_default_timeout(60_000)
    sign_in_browser(page, live_server.url, world.users["commune_admin"])
    page.goto("/tiep-can-thong-tin/quan-ly-danh-muc/")
    page.get_by_label("Nhóm thông tin (Điều 17)").select_option("ngan-sach")
    page.get_by_label("Tên thông tin").fill("Dự toán ngân sách xã Ia Grai năm 2026")
    page.get_by_role("button", name="Lưu").click()
    expect(page.locator(".messages")).to_contain_text("Đã lưu danh mục")
    axe(page, "disclosure editor")
