"""The process template editor in the browser: an agency administrator opens it from the agency's
catalogue page, adds an inter-agency step and saves; every page passes axe-core."""

import pytest
from django.conf import settings as django_settings
from django.test import Client
from playwright.sync_api import expect

from congso.accounts.models import User
from congso.catalog.models import Offering
from congso.directory.models import Membership
from congso.directory.testing import login_verified
from congso.dossiers.models import ProcessTemplate

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_agency_admin_edits_a_template_without_code(page, live_server, axe, agencies, procedure_version):
    Offering.objects.create(agency=agencies["ward"], procedure=procedure_version.procedure)
    admin = User.objects.create_user("qt.pleiku", full_name="Nguyễn Văn Hùng", kind="official")
    Membership.objects.create(user=admin, agency=agencies["ward"], role="agency_admin")
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
    page.goto("/thu-tuc/quan-ly/H21.23575/")
    page.get_by_role("link", name="Quy trình xử lý hồ sơ của cơ quan").click()
    axe(page, "process list")
    page.get_by_role("link", name="Sửa quy trình 1.001193").click()
    axe(page, "process editor")
    # The second empty row adds the department's verification as step 2 (liên thông).
    page.locator("#id_steps-4-order").fill("2")
    page.locator("#id_steps-4-name").fill("Sở Tư pháp xác minh (liên thông)")
    page.locator("#id_steps-4-kind").select_option("handle")
    page.locator("#id_steps-4-role").select_option("officer")
    page.locator("#id_steps-4-agency").select_option("000.00.12.H21")
    page.locator("#id_steps-4-share_percent").fill("5")
    page.locator("#id_steps-0-share_percent").fill("55")
    for n, order in ((1, "3"), (2, "4"), (3, "5")):
        page.locator(f"#id_steps-{n}-order").fill(order)
    page.get_by_role("button", name="Lưu quy trình").click()
    if page.locator("#error-summary").count():
        raise AssertionError(page.locator("#error-summary").inner_text())
    expect(page.locator(".messages")).to_contain_text("Đã lưu quy trình xử lý thủ tục 1.001193.")
    axe(page, "process list after saving")
    steps = list(ProcessTemplate.objects.get().steps.filter(retired=False).order_by("position"))
    assert [s.name for s in steps][:2] == ["Thụ lý, thẩm định hồ sơ", "Sở Tư pháp xác minh (liên thông)"]
    assert steps[1].agency.code == "000.00.12.H21"
    # A mistake is explained on the page, with nothing saved.
    page.get_by_role("link", name="Sửa quy trình 1.001193").click()
    page.locator("#id_steps-0-share_percent").fill("90")
    page.get_by_role("button", name="Lưu quy trình").click()
    expect(page.locator("#error-summary")).to_contain_text("vượt quá 100%")
    axe(page, "process editor with an error")
