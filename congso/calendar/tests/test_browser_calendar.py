"""The calendar page in the browser: a system administrator declares a provincial day off and sets
office hours; every page passes axe-core."""

import pytest
from django.conf import settings as django_settings
from django.test import Client
from playwright.sync_api import expect

from congso.calendar.models import CalendarException, OfficeHours
from congso.directory.models import AdministrativeUnit, Role
from congso.directory.testing import login_verified

from .test_calendar_api import _official

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_administrator_edits_the_provincial_calendar(page, live_server, axe):
    gia_lai = AdministrativeUnit.objects.create(code="52", name="Tỉnh Gia Lai", kind="province", level=1)
    admin = _official("quan.tri.hung", "Trần Văn Hùng", Role.SYSADMIN, gia_lai)
    client = Client()
    login_verified(client, admin)
    page.context.add_cookies(
        [
            {
                "name": django_settings.SESSION_COOKIE_NAME,
                "value": client.cookies[django_settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page.goto("/lich-lam-viec/")
    axe(page, "calendar page")
    page.locator("#cal-scope").select_option("52")
    page.locator("#cal-year").select_option("2027")
    page.get_by_role("button", name="Xem").click()
    page.locator("#id_date").fill("12/03/2027")
    page.locator("#id_kind").select_option("day_off")
    page.locator("#id_reason").fill("Nghỉ lễ hội theo Quyết định 12/QĐ-UBND tỉnh Gia Lai")
    page.get_by_role("button", name="Lưu ngày").click()
    expect(page.locator(".messages")).to_contain_text("Đã lưu ngày 12/03/2027.")
    assert (
        "Nghỉ lễ hội theo Quyết định 12/QĐ-UBND" in page.locator("#declared-title + div table").inner_text()
    )
    axe(page, "calendar page with a declared day")
    page.locator("#id_receipt_cutoff").fill("16:00")
    page.get_by_role("button", name="Lưu giờ làm việc").click()
    expect(page.locator(".messages")).to_contain_text("Đã lưu giờ làm việc.")
    assert CalendarException.objects.filter(unit=gia_lai).count() == 1
    assert OfficeHours.objects.get(unit=gia_lai).receipt_cutoff.strftime("%H:%M") == "16:00"
    # A mistake is explained on the page.
    page.locator("#id_date").fill("13/03/2027")
    page.locator("#id_reason").fill(" ")
    page.get_by_role("button", name="Lưu ngày").click()
    expect(page.locator("#error-summary")).to_be_visible()
    axe(page, "calendar page with an error")
    page.get_by_role("button", name="Xoá 12/03/2027").click()
    expect(page.locator(".messages")).to_contain_text("Đã xoá ngày 12/03/2027.")
