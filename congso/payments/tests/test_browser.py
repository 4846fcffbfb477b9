"""A citizen pays on a phone through the sandbox gateway; the pay page, the gateway page and the
outcome page pass axe-core."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from congso.directory.testing import login_verified
from congso.dossiers.models import Dossier, Status
from congso.payments.models import Payment

from .test_views_api import ledger  # noqa: F401 — the fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_citizen_pays_a_fee_on_a_phone(owed, citizen, sandbox, phone_page, live_server, client, axe):
    client.force_login(citizen)
    phone_page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    phone_page.goto(reverse("payments:pay", args=[owed.code]))
    expect(phone_page.get_by_text("50.000 đồng")).to_be_visible()
    axe(phone_page, "trang thanh toán")
    phone_page.get_by_role("button", name="Thanh toán trực tuyến").click()
    phone_page.wait_for_url(f"{sandbox.url}/paymentv2/vpcpay.html*")
    axe(phone_page, "cổng thanh toán thử nghiệm")
    phone_page.get_by_label("Ngân hàng thanh toán").select_option("VCB")
    phone_page.get_by_role("button", name="Thanh toán", exact=True).click()
    phone_page.wait_for_url("**/thanh-toan/ket-qua/vnpay/*")
    expect(phone_page.get_by_text("Thanh toán thành công.")).to_be_visible()
    axe(phone_page, "kết quả thanh toán")
    phone_page.get_by_role("link", name="Xem biên lai điện tử").click()
    expect(phone_page.get_by_role("heading", name="Biên lai thu phí, lệ phí điện tử")).to_be_visible()
    axe(phone_page, "biên lai điện tử")
    assert Payment.objects.get().bank_code == "VCB"
    assert Dossier.objects.get(pk=owed.pk).status == Status.ACCEPTED


@pytest.mark.usefixtures("working_morning")  # (not with the sandbox: its own process keeps real time)
def test_reconciliation_page(page, live_server, axe, staff, ledger):  # noqa: F811
    from django.conf import settings as django_settings
    from django.test import Client
    from django.utils import timezone

    client = Client()
    login_verified(client, staff["leader"])
    page.context.add_cookies(
        [
            {
                "name": django_settings.SESSION_COOKIE_NAME,
                "value": client.cookies[django_settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page.goto(reverse("payments:reconciliation"))
    axe(page, "reconciliation, no period chosen")
    today = timezone.localdate().isoformat()
    page.goto(f"{reverse('payments:reconciliation')}?date_from={today}&date_to={today}")
    page.get_by_role("cell", name=re.compile("Ủy ban nhân dân phường Pleiku")).first.wait_for()
    axe(page, "reconciliation of today")
    page.goto(f"{reverse('payments:reconciliation')}?date_from={today}&date_to=2020-01-01")
    axe(page, "reconciliation with a wrong period")
