"""The integration pages in a browser: a system administrator registers a webhook subscriber, tests
it, reads its delivery log, replays a dead letter and reads the health page; axe-core passes on each."""

import pytest
from playwright.sync_api import expect

from congso.directory.testing import sign_in_browser
from congso.integration import outbox
from congso.integration.models import Delivery, Subscriber

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_subscriber_test_and_dead_letters(page, phone_page, live_server, axe, sysadmin, receiver):
    page.set_default_timeout(60000)  # a loaded CI machine; no assertion depends on time
    sign_in_browser(page, live_server.url, sysadmin)
    page.goto(live_server.url + "/tich-hop/")
    axe(page, "integration health (empty)")
    page.get_by_role("link", name="Đăng ký hệ thống nhận").click()
    page.get_by_role("button", name="Lưu").click()  # nothing filled in: the errors, nothing written
    expect(page.locator("#error-summary")).to_contain_text("Cần nhập tên hệ thống nhận")
    axe(page, "subscriber form with errors")
    assert not Subscriber.objects.exists()
    page.get_by_label("Tên hệ thống nhận").fill("Hệ thống quản lý văn bản tỉnh Gia Lai")
    page.get_by_label("Địa chỉ nhận (URL)").fill(receiver.url)
    page.get_by_label("Hồ sơ chuyển trạng thái").check()
    page.get_by_role("button", name="Lưu").click()
    expect(page.locator("h1")).to_have_text("Hệ thống quản lý văn bản tỉnh Gia Lai")
    page.get_by_role("button", name="Gửi thử").click()
    expect(page.locator(".messages")).to_contain_text("Gửi thử thành công (HTTP 200)")
    expect(page.locator("main table")).to_contain_text("integration.ping")
    axe(page, "subscriber with its delivery log")
    assert receiver.bodies()[0]["type"] == "integration.ping"

    sub = Subscriber.objects.get()
    outbox.publish("dossier.status_changed", "dossier", "H21.23575-270301-0001", {"dossier": "x"})
    Delivery.objects.filter(event__event_type="dossier.status_changed").update(
        status="dead", attempts=10, last_error="HTTP 503: hệ thống nhận đang bảo trì"
    )
    page.goto(live_server.url + "/tich-hop/thu-hong/")
    expect(page.locator("main table")).to_contain_text("HTTP 503: hệ thống nhận đang bảo trì")
    axe(page, "dead letters")
    page.get_by_role("button", name="Gửi lại sự kiện số").click()
    expect(page.locator(".messages")).to_contain_text("Đã đưa sự kiện vào hàng đợi gửi lại")
    assert sub.deliveries.filter(status="pending").count() == 1

    sign_in_browser(phone_page, live_server.url, sysadmin)
    phone_page.set_default_timeout(60000)
    phone_page.goto(live_server.url + "/tich-hop/")
    expect(phone_page.locator("main")).to_contain_text("Hệ thống quản lý văn bản tỉnh Gia Lai")
    axe(phone_page, "integration health on a phone")
