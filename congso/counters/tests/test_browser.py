"""The queue pages in a real browser, checked with axe-core: kiosk on a phone, display board, console."""

import re

import pytest
from django.conf import settings as django_settings
from django.test import Client
from playwright.sync_api import expect

from congso.directory.testing import login_verified

from .. import services as svc
from ..models import Ticket

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("working_morning"),
]


def _login(page, live_server, user):
    client = Client()
    login_verified(client, user)
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": django_settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )


def test_kiosk_on_a_phone(phone_page, axe, centre, services, counters):
    svc.take_ticket(services["A"].pk)
    phone_page.goto("/quay/")
    axe(phone_page, "centre list (phone)")
    phone_page.goto(f"/quay/{centre.code}/")
    expect(phone_page.get_by_role("heading", level=1)).to_have_text("Lấy số thứ tự")
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= phone_page.viewport_size["width"]
    axe(phone_page, "kiosk (phone)")
    phone_page.get_by_role("button", name=re.compile("Hộ tịch – chứng thực")).click()
    expect(phone_page.locator(".q-ticket__code")).to_have_text("A002")
    expect(phone_page.get_by_text("Số người trước bạn")).to_be_visible()
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= phone_page.viewport_size["width"]
    axe(phone_page, "ticket (phone)")


def test_kiosk_works_without_javascript(browser, live_server, centre, services, counters):
    context = browser.new_context(java_script_enabled=False, base_url=live_server.url, locale="vi-VN")
    page = context.new_page()
    page.goto(f"/quay/{centre.code}/")
    page.get_by_role("button", name=re.compile("Đất đai")).click()
    expect(page.locator(".q-ticket__code")).to_have_text("B001")
    context.close()


def test_ticket_page_follows_the_call(page, axe, centre, services, counters, clerk):
    ticket = svc.take_ticket(services["A"].pk)
    page.goto(f"/quay/ve/{ticket.token}/")
    svc.call_next(clerk, counters[2].pk)
    expect(page.get_by_text("Mời đến quầy số 2")).to_be_visible(timeout=30000)
    axe(page, "ticket (called)")


def test_display_board_updates_and_announces(page, axe, centre, services, counters, clerk):
    svc.take_ticket(services["A"].pk)
    svc.take_ticket(services["U"].pk)
    page.goto(f"/quay/{centre.code}/man-hinh/")
    expect(page.locator("#announce")).to_have_text("Chưa gọi số nào hôm nay")
    axe(page, "display board (empty)")
    svc.call_next(clerk, counters[1].pk)
    expect(page.locator("#announce")).to_have_text("Mời số U001 đến quầy số 1", timeout=20000)
    expect(page.locator("#board")).to_contain_text("U001")
    assert page.locator("#announce").get_attribute("aria-live") == "polite"
    axe(page, "display board (after a call)")


def test_clerk_console(page, axe, live_server, centre, services, counters, clerk):
    svc.take_ticket(services["A"].pk)
    svc.take_ticket(services["B"].pk)
    _login(page, live_server, clerk)
    page.goto(f"/quay/{centre.code}/can-bo/")
    axe(page, "console home")
    page.get_by_role("link", name="Làm việc tại quầy số 2").click()
    axe(page, "counter console (idle)")
    page.get_by_role("button", name="Gọi số tiếp theo").click()
    expect(page.locator(".q-current__code")).to_have_text("A001")
    expect(page.locator("#console-status")).to_contain_text("Đã gọi số A001 đến quầy số 2")
    axe(page, "counter console (calling)")
    page.get_by_role("button", name="Bắt đầu phục vụ").click()
    expect(page.locator("#console-panel")).to_contain_text("Đang phục vụ")
    page.get_by_role("button", name="Hoàn thành").click()
    expect(page.locator("#console-panel")).to_contain_text("Quầy đang trống")
    assert Ticket.objects.get(code="A001").state == Ticket.State.DONE
    page.goto(f"/quay/{centre.code}/thong-ke/")
    axe(page, "statistics")


def test_configure_page(page, axe, live_server, centre, services, counters, agency_admin):
    _login(page, live_server, agency_admin)
    page.goto(f"/quay/{centre.code}/cau-hinh/")
    axe(page, "configure counters and services")
    page.get_by_label("Chữ cái đầu số").fill("C")
    page.locator("#svc-new-name").fill("Đăng ký kinh doanh hộ cá thể")
    page.get_by_role("button", name="Thêm dịch vụ").click()
    expect(page.get_by_role("heading", name="C — Đăng ký kinh doanh hộ cá thể")).to_be_visible()
