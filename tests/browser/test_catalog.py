"""The procedure catalogue in a real browser: search without diacritics, open a procedure, see its papers."""

import shutil
from pathlib import Path

import pytest

from congso.directory.testing import login_verified

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SAMPLES = Path(__file__).resolve().parents[2] / "congso" / "catalog" / "tests" / "samples"


@pytest.fixture
def catalogue(tmp_path):
    from congso.catalog.importer import import_paths

    folder = tmp_path / "records"
    shutil.copytree(SAMPLES, folder)
    report = import_paths([folder])
    assert report.failed == 0


def _search_and_open(page, axe, context):
    page.goto("/thu-tuc/")
    axe(page, f"catalogue browse ({context})")
    page.get_by_label("Bạn cần làm thủ tục gì?").fill("dang ky khai sinh")
    page.get_by_role("button", name="Tìm kiếm").click()
    page.wait_for_url("**/thu-tuc/?q=*")
    assert "Tìm thấy" in page.get_by_role("heading", level=2).first.inner_text()
    axe(page, f"catalogue search results ({context})")
    page.get_by_role("link", name="Thủ tục đăng ký khai sinh", exact=True).click()
    page.wait_for_url("**/thu-tuc/1.001193/")
    assert page.get_by_role("heading", level=1).inner_text() == "Thủ tục đăng ký khai sinh"
    components = page.locator("#components-title")
    assert components.inner_text() == "Thành phần hồ sơ"
    assert page.get_by_text("Giấy chứng sinh", exact=False).first.is_visible()
    assert page.get_by_role("img", name="Mã QR dẫn tới trang này").is_visible()
    axe(page, f"procedure page ({context})")


def test_search_without_diacritics_and_open_the_procedure(page, axe, catalogue):
    _search_and_open(page, axe, "desktop")


def test_same_on_a_phone(phone_page, axe, catalogue):
    _search_and_open(phone_page, axe, "phone")
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= phone_page.viewport_size["width"], (
        "the procedure page must not scroll sideways on a phone"
    )


def test_an_invalid_filter_is_named_and_the_query_kept(page, axe, catalogue):
    page.goto("/thu-tuc/?q=khai+sinh&level=vutru")
    summary = page.locator(".error-summary")
    assert "Không có cấp thực hiện “vutru”; đã bỏ qua bộ lọc này." in summary.inner_text()
    assert page.get_by_role("link", name="Thủ tục đăng ký khai sinh", exact=True).is_visible()
    assert page.locator("details.catalog-filters").get_attribute("open") is not None
    axe(page, "search with an invalid filter")


def test_offering_page_accessible(page, axe, catalogue, django_user_model, live_server):
    from django.test import Client

    from congso.directory.models import AdministrativeUnit, Agency, Membership, Role

    unit = AdministrativeUnit.objects.create(code="23575", name="Phường Pleiku", kind="ward", level=3)
    agency = Agency.objects.create(
        code="H21.23575", name="Ủy ban nhân dân phường Pleiku", kind="peoples_committee", unit=unit
    )
    user = django_user_model.objects.create_user(
        username="tran.van.minh", password="MatKhau@2026!", kind="official"
    )
    Membership.objects.create(user=user, agency=agency, role=Role.AGENCY_ADMIN)
    client = Client()
    login_verified(client, user)
    cookie = client.cookies["sessionid"]
    page.context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])
    page.goto("/thu-tuc/quan-ly/H21.23575/1.001193/")
    axe(page, "offering form")
    page.get_by_label("Mở nộp hồ sơ trực tuyến").check()
    # The national record gives no unit for its limit: the administrator sets the local one (ADR 0143).
    page.get_by_label("Đơn vị thời hạn").select_option("same_day")
    page.get_by_label("Nơi tiếp nhận hồ sơ (quầy, địa chỉ)").fill(
        "Quầy số 2, Trung tâm Phục vụ hành chính công phường Pleiku"
    )
    page.get_by_role("button", name="Lưu thiết lập").click()
    page.wait_for_url("**/thu-tuc/quan-ly/H21.23575/")
    assert "Đã lưu thiết lập" in page.locator(".messages").inner_text()
    axe(page, "agency offerings")
