"""The citizen's "who read my data" page on a 390-px phone and the administrators' agreements page on a
desktop, each checked with axe-core."""

import pytest
from django.conf import settings as django_settings
from django.test import Client
from playwright.sync_api import expect

from congso.directory.testing import sign_in_browser
from congso.sharing.models import Agreement
from congso.sharing.testing import bearer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_citizen_sees_the_reads_of_her_data_on_a_phone(
    phone_page, live_server, axe, world, application, agreement
):
    response = Client().post(
        "/api/v1/datastore/registries/population/lookup",
        {"cccd": "064090001234"},
        content_type="application/json",
        headers=bearer(application),
    )
    assert response.status_code == 200
    client = Client()
    client.force_login(world.users["citizen"])
    page = phone_page
    page.context.add_cookies(
        [
            {
                "name": django_settings.SESSION_COOKIE_NAME,
                "value": client.cookies[django_settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page.goto("/chia-se-du-lieu/du-lieu-cua-toi-da-duoc-doc/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ai đã đọc dữ liệu của tôi")
    card = page.locator(".card").first
    expect(card).to_contain_text("Bảo hiểm xã hội tỉnh Gia Lai")
    expect(card).to_contain_text("Xác minh nhân thân người tham gia bảo hiểm xã hội")
    expect(card).to_contain_text("Số 12/TT-BHXH")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    axe(page, "who read my data (phone)")


def test_administrator_records_an_agreement_on_a_desktop(page, live_server, axe, world, application, bhxh):
    sign_in_browser(page, live_server.url, world.users["sysadmin"])
    page.goto("/chia-se-du-lieu/thoa-thuan/")
    axe(page, "agreements")
    page.get_by_role("button", name="Ghi thỏa thuận").click()
    expect(page.locator("#error-summary")).to_contain_text("Chọn ít nhất một loại dữ liệu")
    axe(page, "agreements with errors")
    page.get_by_label("Ứng dụng (API client) của cơ quan đề nghị").select_option("bhxh-gia-lai")
    page.get_by_label("Cơ quan đề nghị", exact=True).select_option(bhxh.code)
    page.get_by_label("Số thỏa thuận").fill("09/TT-BHXH")
    page.get_by_label("Tra cứu cơ sở dữ liệu quốc gia về dân cư theo số CCCD").check()
    page.get_by_label("Mục đích sử dụng").fill("Xác minh nhân thân người tham gia bảo hiểm y tế")
    page.get_by_label("Căn cứ pháp lý").fill("Nghị định 13/2023/NĐ-CP")
    page.get_by_label("Hiệu lực từ ngày").fill("01/01/2027")
    page.get_by_label("Hiệu lực đến ngày").fill("31/12/2027")
    page.get_by_role("button", name="Ghi thỏa thuận").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thỏa thuận chia sẻ dữ liệu số 09/TT-BHXH")
    axe(page, "agreement detail")
    assert Agreement.objects.get().number == "09/TT-BHXH"
