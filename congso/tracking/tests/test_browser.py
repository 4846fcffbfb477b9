"""On a phone: the citizen's dossier page (with a supplement request) and the public lookup, axe-clean."""

import pytest
from django.conf import settings as django_settings
from django.test import Client
from playwright.sync_api import expect

from congso.tracking import services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page, live_server, user):
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": django_settings.SESSION_COOKIE_NAME,
                "value": client.cookies[django_settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


def test_citizen_dossier_page_and_public_lookup(phone_page, live_server, axe, citizen, in_supplement):
    page = phone_page
    _login(page, live_server, citizen)
    page.goto("/ho-so/")
    page.get_by_role("link", name=in_supplement.code).click()
    page.get_by_text("Chờ bạn bổ sung hồ sơ").first.wait_for()
    expect(page.get_by_text("Giấy chứng sinh (bản rõ nét)").first).to_be_visible()
    axe(page, "citizen dossier page")
    page.goto("/ho-so/")
    axe(page, "my dossiers")

    page.context.clear_cookies()
    page.goto("/ho-so/tra-cuu/")
    axe(page, "public lookup form")
    page.get_by_label("Mã hồ sơ").fill(in_supplement.code)
    page.get_by_label("4 số cuối điện thoại hoặc CCCD/mã số thuế").fill("0000")
    page.get_by_role("button", name="Tra cứu").click()
    page.get_by_text("Không tìm thấy hồ sơ với mã và số kiểm tra").first.wait_for()
    axe(page, "public lookup not found")
    page.get_by_label("4 số cuối điện thoại hoặc CCCD/mã số thuế").fill("3456")
    page.get_by_role("button", name="Tra cứu").click()
    page.get_by_text("Yêu cầu bổ sung").first.wait_for()
    assert "Nguyễn Văn An" not in page.content()
    axe(page, "public lookup result")


def test_withdraw_page_and_the_receipt_signed_lookup_link(phone_page, live_server, axe, citizen, received):
    page = phone_page
    _login(page, live_server, citizen)
    page.goto(f"/ho-so/{received.code}/rut-ho-so/")
    page.get_by_role("heading", name=f"Rút hồ sơ {received.code}").wait_for()
    axe(page, "withdraw page")
    page.get_by_role("button", name="Xác nhận rút hồ sơ").click()
    page.locator("#error-summary").wait_for()
    axe(page, "withdraw page with errors")

    page.context.clear_cookies()
    page.goto(services.public_lookup_url(received, absolute=False))  # the link under the receipt's QR
    page.get_by_text("Đã tiếp nhận").first.wait_for()
    assert "Nguyễn Văn An" not in page.content()
    axe(page, "signed lookup link")
    page.goto(f"/ho-so/tra-cuu/{received.code}/khong-phai-chu-ky-dung/")
    page.get_by_text("Không tìm thấy hồ sơ với mã và số kiểm tra").first.wait_for()
    axe(page, "signed lookup link with a wrong token")
