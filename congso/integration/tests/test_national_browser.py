"""The national portal pages in a browser: a system administrator sees a dossier parked on its way in,
fixes its agency code and receives it, then reconciles with the sandbox; axe-core passes on each page
(desktop, and the overview on a phone)."""

import os

import pytest
from django.test import Client
from playwright.sync_api import expect

from congso.directory.testing import sign_in_browser
from congso.dossiers.models import Dossier
from congso.integration.models import ReconcileRun

from .national_helpers import SandboxThread, connect_to, filing, signed

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = os.environ.get("CONGSO_SHOTS", "")  # a folder: save a screenshot of each page there


def shot(page, name):
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def test_parked_dossier_resolved_and_reconcile(
    page, phone_page, live_server, axe, sysadmin, agencies, procedure_version
):
    box = SandboxThread(seed=1)
    try:
        connect_to(box.url)
        body, headers = signed(filing(agency="G22.99"))
        answer = Client().post(
            "/api/v1/integration/national/inbound", body, content_type="application/json", **headers
        )
        assert answer.json()["status"] == "parked"

        page.set_default_timeout(60000)
        sign_in_browser(page, live_server.url, sysadmin)
        page.goto(live_server.url + "/tich-hop/")
        page.get_by_role("link", name="Đồng bộ hồ sơ, hồ sơ nhận từ Cổng quốc gia đang chờ, đối soát").click()
        expect(page.locator("h1")).to_have_text("Đồng bộ với Cổng Dịch vụ công quốc gia")
        expect(page.locator("main table")).to_contain_text("G22.99")
        axe(page, "national sync with a parked dossier")
        shot(page, "national-desktop")
        page.get_by_role("link", name="H21.23575-270301-QG0001").click()
        expect(page.locator("#error-summary")).to_contain_text("G22.99")
        axe(page, "parked dossier")
        page.get_by_label("Mã cơ quan tiếp nhận tại địa phương").fill("H21.99999")
        page.get_by_role("button", name="Tiếp nhận lại").click()
        expect(page.locator(".messages")).to_contain_text("Chưa tiếp nhận được")
        axe(page, "parked dossier, still unknown agency")
        shot(page, "parked-desktop")
        page.get_by_label("Mã cơ quan tiếp nhận tại địa phương").fill("H21.23575")
        page.get_by_role("button", name="Tiếp nhận lại").click()
        expect(page.locator(".messages")).to_contain_text("Đã tiếp nhận hồ sơ H21.23575-270301-QG0001")
        assert Dossier.objects.filter(code="H21.23575-270301-QG0001").exists()

        page.get_by_role("button", name="Đối soát ngay").click()
        expect(page.locator(".messages")).to_contain_text("Đã đối soát")
        # the received dossier's first event is still queued for the portal: skipped, not a difference
        expect(page.locator("main")).to_contain_text("Số hồ sơ đang chờ gửi (bỏ qua): 1")
        axe(page, "national sync after a reconciliation")
        shot(page, "reconciled-desktop")
        assert ReconcileRun.objects.count() == 1

        phone_page.set_default_timeout(60000)
        sign_in_browser(phone_page, live_server.url, sysadmin)
        phone_page.goto(live_server.url + "/tich-hop/quoc-gia/")
        axe(phone_page, "national sync on a phone")
        shot(phone_page, "national-phone")
        width = phone_page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390
    finally:
        box.close()
