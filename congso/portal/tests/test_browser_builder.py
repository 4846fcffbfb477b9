"""The form builder in a browser, as an agency administrator: every page passes axe-core."""

import re

import pytest
from django.conf import settings as django_settings
from django.test import Client
from playwright.sync_api import expect

from congso.directory.testing import login_verified
from congso.portal import definitions

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_agency_admin_builds_and_publishes_a_form(page, live_server, axe, ward_admin, birth_form, agencies):
    client = Client()
    login_verified(client, ward_admin)
    page.context.add_cookies(
        [
            {
                "name": django_settings.SESSION_COOKIE_NAME,
                "value": client.cookies[django_settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page.goto("/dich-vu-cong/bieu-mau/")
    axe(page, "builder home")
    page.get_by_role("link", name="Ủy ban nhân dân phường Pleiku").click()
    page.wait_for_url(re.compile(r"/bieu-mau/H21.23575/$"))
    axe(page, "agency forms")
    page.get_by_role("link", name=re.compile("Xem, tạo biểu mẫu riêng")).click()
    axe(page, "no own form yet")
    page.locator("#create-form").click()
    page.locator("#form-status").wait_for()
    expect(page.locator("#form-status")).to_contain_text("Bản nháp, chưa công bố")
    axe(page, "editor")

    page.locator("#add-field").click()
    page.get_by_label("Nhãn").fill("Nghề nghiệp của mẹ")
    page.get_by_label("Mã trường").fill("ho_ten_tre")
    page.locator("#save-field").click()
    page.locator("#error-summary").wait_for()
    expect(page.locator("#error-summary")).to_contain_text("bị trùng")
    axe(page, "field form with errors")
    page.get_by_label("Mã trường").fill("nghe_nghiep_me")
    page.locator("#save-field").click()
    page.locator("#field-nghe_nghiep_me").wait_for()

    page.locator("#add-component").click()
    page.get_by_label("Tên thành phần hồ sơ").fill("Sổ hộ khẩu cũ")
    page.get_by_label("PDF").check()
    axe(page, "component form")
    page.locator("#save-component").click()
    page.get_by_role("link", name="Xoá Sổ hộ khẩu cũ").click()
    axe(page, "confirm delete")
    page.locator("#confirm-delete").click()

    page.locator("#preview-link").click()
    page.locator("#check-preview").click()
    page.locator("#error-summary").wait_for()
    axe(page, "preview with errors")
    page.get_by_role("link", name="Quay lại sửa biểu mẫu").click()
    page.locator("#publish").click()
    page.get_by_text("Đã công bố phiên bản 1").wait_for()
    spec = definitions.spec_for(birth_form.procedure, agencies["ward"])
    assert spec.source == "agency" and spec.field("nghe_nghiep_me") is not None
