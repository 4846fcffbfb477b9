"""In a real browser, checked with axe-core (ADR 0169): the public documents page on a phone, anyone
downloading a published PDF; văn thư publishing and copying a released document; the administrator
editing the review chain."""

import pytest
from playwright.sync_api import expect

from congso.directory.testing import sign_in_browser
from congso.documents import services, testing
from congso.documents.testing import pdf_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def released(w):
    u = w.users
    doc = services.create_draft(
        actor=u["leader"],
        agency=w.agencies["justice"],
        metadata={"doc_type": "QĐ", "subject": "Quyết định công bố thủ tục hành chính lĩnh vực hộ tịch"},
        upload=pdf_bytes(),
    )
    for step in (services.submit, services.approve, services.approve, services.sign):
        step(doc, actor=u["leader"])
    services.issue(doc, actor=u["clerical"])
    return services.release(doc, actor=u["clerical"], agencies=[w.agencies["construction"]])


@pytest.mark.timeout(900)
def test_publish_copy_and_the_public_page(page, phone_page, axe, live_server):
    w = testing.build_world()
    testing.keys_for(w.agencies["justice"], w.users["leader"], "Giám đốc Sở")
    services.create_register(
        actor=w.users["clerical"],
        agency=w.agencies["justice"],
        name="Sổ bản sao văn bản",
        direction="copy",
        notation="STP",
    )
    doc = released(w)
    url = live_server.url
    sign_in_browser(page, url, w.users["clerical"])
    page.goto(f"{url}/van-ban/{doc.pk}/")
    axe(page, "released document")
    page.get_by_role("button", name="Công khai trên cổng thông tin", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("Đã cập nhật văn bản")
    page.select_option("#cp-form", "sao_y")
    page.get_by_role("button", name="Sao và ký số").click()
    expect(page.locator(".messages")).to_contain_text("01/SY-STP")
    axe(page, "document with its copy")

    phone_page.goto(f"{url}/van-ban/cong-khai/")
    axe(phone_page, "public documents")
    phone_page.get_by_label("Tìm theo số, ký hiệu, trích yếu (gõ có dấu hoặc không dấu)").fill("ho tich")
    phone_page.get_by_role("button", name="Tìm").click()
    expect(phone_page.locator("main")).to_contain_text("01/QĐ-STP")
    link = phone_page.get_by_role("link", name="Tải văn bản 01/QĐ-STP (PDF đã ký số)")
    answer = phone_page.request.get(url + link.get_attribute("href"))
    assert answer.status == 200 and answer.headers["content-type"] == "application/pdf"


@pytest.mark.timeout(600)
def test_administrator_edits_the_review_chain(page, axe, live_server):
    w = testing.build_world()
    url = live_server.url
    sign_in_browser(page, url, w.users["agency_admin"])
    page.goto(f"{url}/van-ban/quy-trinh-duyet/")
    axe(page, "review chain")
    page.fill("#st-title-2", "Văn thư kiểm tra thể thức")
    page.select_option("#st-role-2", "clerical")
    page.get_by_role("button", name="Lưu quy trình").click()
    expect(page.locator(".messages")).to_contain_text("Đã lưu quy trình duyệt dự thảo.")
    expect(page.locator("#st-title-2")).to_have_value("Văn thư kiểm tra thể thức")
