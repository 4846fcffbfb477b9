"""In a browser: the operations centre on a desktop and a ward's leader on a 390-px phone use
/dieu-hanh/ — tiles, trends, comparison, the dossiers behind a tile — with axe-core on every page."""

import pytest
from playwright.sync_api import expect

from congso.directory.testing import sign_in_browser

from .helpers import make_late
from .test_dashboard import feb, pleiku, world  # noqa: F401 — the fixtures

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FEB = "ky=month&ngay=2027-02-01"


def test_ioc_viewer_on_a_desktop(page, live_server, axe, world, pleiku, feb):  # noqa: F811
    _done, open_one = feb
    make_late(pleiku, open_one)
    sign_in_browser(page, live_server.url, world.users["ioc_viewer"])
    page.goto(f"{live_server.url}/dieu-hanh/?{FEB}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Điều hành")
    on_time = page.locator('[data-tile="on_time"]')
    expect(on_time).to_contain_text("66,67%")
    expect(on_time).to_contain_text("2/3")
    expect(page.get_by_role("img", name="Tỷ lệ hồ sơ giải quyết đúng hạn")).to_be_visible()
    compare = page.get_by_role("table", name="Sở, ban, ngành và xã, phường trong phạm vi")
    expect(compare.locator("tbody tr").first).to_contain_text("Phường Pleiku")
    axe(page, "dashboard (IOC, desktop)")

    page.get_by_role("link", name="Danh sách hồ sơ: Tỷ lệ giải quyết đúng hạn").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hồ sơ giải quyết trễ hạn")
    table = page.get_by_role("table")
    expect(table).to_contain_text(open_one.code)
    expect(table).to_contain_text("N. V. A.")  # masked for the operations centre
    expect(table).not_to_contain_text("Nguyễn Văn An")
    axe(page, "dossiers behind a tile")


def test_leader_on_a_phone(phone_page, live_server, axe, world, pleiku, feb, procedure_version, applicant):  # noqa: F811
    sign_in_browser(phone_page, live_server.url, pleiku["leader"])
    phone_page.goto(f"{live_server.url}/dieu-hanh/")
    expect(phone_page.get_by_role("heading", level=1)).to_contain_text("Ủy ban nhân dân phường Pleiku")
    phone_page.goto(f"{live_server.url}/dieu-hanh/?{FEB}")
    expect(phone_page.locator('[data-tile="on_time"]')).to_contain_text("100,00%")
    phone_page.get_by_text("Bảng số liệu").first.click()
    expect(
        phone_page.get_by_role("table", name="Tỷ lệ hồ sơ giải quyết đúng hạn theo tháng")
    ).to_contain_text("02/2027")
    axe(phone_page, "dashboard (leader, phone)")
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
