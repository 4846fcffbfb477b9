"""In a real browser, checked with axe-core: a decision drafted, reviewed, returned once, signed by the
leader, numbered and sealed by văn thư, released to another agency of the platform, registered there,
assigned by its leader and finished by the handler; the sender sees "Hoàn thành"."""

import pytest
from playwright.sync_api import expect

from congso.directory.testing import blank_pdf, sign_in_browser
from congso.documents import testing
from congso.documents.models import Document

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def act(page, button):
    page.get_by_role("button", name=button, exact=True).click()
    expect(page.locator(".messages")).to_contain_text("Đã cập nhật văn bản")


@pytest.mark.timeout(1200)  # a whole journey through eight officials on a shared machine
def test_decision_from_draft_to_done_at_another_agency(page, axe, live_server, tmp_path):
    w = testing.build_world()
    testing.keys_for(w.agencies["justice"], w.users["leader"], "Giám đốc Sở")
    u = w.users
    url = live_server.url

    sign_in_browser(page, url, u["officer"])
    page.goto(f"{url}/van-ban/")
    axe(page, "documents inbox")
    page.get_by_role("link", name="Soạn dự thảo văn bản đi").click()
    axe(page, "new draft")
    page.select_option("#id_doc_type", label="Quyết định")
    page.fill("#id_subject", "Quyết định ban hành Quy chế công tác văn thư của Sở Tư pháp")
    page.set_input_files("#id_file", blank_pdf(tmp_path, "du-thao.pdf"))
    page.get_by_role("button", name="Lưu").click()
    expect(page.locator("h1")).to_contain_text("Văn bản đi")
    doc = Document.objects.get()
    detail = f"{url}/van-ban/{doc.pk}/"
    act(page, "Trình duyệt")

    sign_in_browser(page, url, u["head_civil"])
    page.goto(detail)
    axe(page, "draft in review")
    page.fill("#r-reason", "Bổ sung căn cứ Nghị định 30/2020/NĐ-CP.")
    act(page, "Trả lại để chỉnh sửa")

    sign_in_browser(page, url, u["officer"])
    page.goto(detail)
    page.set_input_files("#v-file", blank_pdf(tmp_path, "du-thao-2.pdf"))
    act(page, "Tải phiên bản mới")
    act(page, "Trình duyệt")

    sign_in_browser(page, url, u["head_civil"])
    page.goto(detail)
    act(page, "Duyệt")

    sign_in_browser(page, url, u["leader"])
    page.goto(detail)
    act(page, "Duyệt")
    act(page, "Ký số")

    sign_in_browser(page, url, u["clerical"])
    page.goto(detail)
    act(page, "Cấp số, đóng dấu")
    expect(page.locator("h1")).to_contain_text("01/QĐ-STP")
    page.select_option("#rl-agencies", value=w.agencies["construction"].code)
    act(page, "Phát hành")
    axe(page, "released document")
    page.goto(f"{url}/van-ban/so-dang-ky/")
    axe(page, "registers")

    incoming = Document.objects.get(direction="in")
    there = f"{url}/van-ban/{incoming.pk}/"
    sign_in_browser(page, url, u["cx_clerical"])
    page.goto(f"{url}/van-ban/")
    page.get_by_role("link", name="Quyết định ban hành Quy chế").click()
    act(page, "Trình lãnh đạo phân công")

    sign_in_browser(page, url, u["cx_leader"])
    page.goto(there)
    page.select_option("#a-lead", label="Nguyễn Thị Thu")
    act(page, "Phân công xử lý")
    page.goto(f"{url}/van-ban/dieu-hanh/")
    axe(page, "leader dashboard")

    sign_in_browser(page, url, u["cx_officer"])
    page.goto(there)
    axe(page, "incoming in progress")
    page.fill("#f-text", "Đã phổ biến Quy chế đến các phòng.")
    act(page, "Hoàn thành xử lý")

    sign_in_browser(page, url, u["clerical"])
    page.goto(detail)
    expect(page.get_by_text("Hoàn thành", exact=False).first).to_be_visible()
    assert "Hoàn thành" in page.locator("main").inner_text()
