"""The outbox page in a browser: a system administrator sends a failed notice again; axe-core passes."""

import pytest
from django.conf import settings as django_settings
from django.test import Client
from playwright.sync_api import expect

from congso.directory.testing import login_verified
from congso.notifications.models import Notification

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_outbox_page(page, live_server, axe, sysadmin):
    failed = Notification.objects.create(
        channel="sms",
        address="0905123456",
        event="result_ready",
        body="DVC Gia Lai: Ho so H21.23575-270301-0001 da co ket qua.",
        status="failed",
        attempts=2,
        last_error="HTTP 503: gateway busy",
    )
    client = Client()
    login_verified(client, sysadmin)
    page.context.add_cookies(
        [
            {
                "name": django_settings.SESSION_COOKIE_NAME,
                "value": client.cookies[django_settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page.set_default_timeout(60000)  # a loaded CI machine; no assertion depends on time
    page.goto("/thong-bao/")
    expect(page.locator("main")).to_contain_text("HTTP 503: gateway busy")
    axe(page, "outbox")
    page.get_by_label("Kênh", exact=True).select_option("sms")
    page.get_by_role("button", name="Lọc").click()
    page.get_by_role("button", name=f"Gửi lại thông báo số {failed.pk}").click()
    expect(page.locator(".messages")).to_contain_text("Đã đưa thông báo vào hàng đợi gửi lại.")
    axe(page, "outbox after sending again")
    failed.refresh_from_db()
    assert failed.status == "sent"
