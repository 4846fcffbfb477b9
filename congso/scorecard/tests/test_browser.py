"""In a browser: a dossier made late lowers the unit's on-time item by exactly its share, the drill-down
lists that dossier, the apology moves nothing else; axe-core on every page of the index."""

import pytest
from playwright.sync_api import expect

from congso.directory.testing import sign_in_browser

from .helpers import february, make_late

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FEB = "ky=month&ngay=2027-02-01"


def _item(page, code):
    return page.locator("tr", has=page.get_by_role("rowheader", name=code, exact=False)).first


def test_a_late_dossier_drops_the_on_time_item_and_is_listed(
    page, phone_page, live_server, axe, province_pc, staff, agencies, procedure_version, applicant
):
    _done, open_one = february(staff, agencies, procedure_version, applicant)
    ward = agencies["ward"].code
    phone_page.goto(f"{live_server.url}/chi-so-phuc-vu/?{FEB}")
    expect(phone_page.get_by_role("heading", level=1)).to_contain_text("Chỉ số phục vụ")
    axe(phone_page, "public index on a phone")

    page.goto(f"{live_server.url}/chi-so-phuc-vu/agency/{ward}/?{FEB}")
    on_time = _item(page, "TD1. Hồ sơ giải quyết đúng hạn")
    expect(on_time).to_contain_text("100,00%")
    expect(on_time).to_contain_text("20,000 / 20")
    before = {code: _item(page, code).inner_text() for code in ("DVC1", "SH2", "SH1")}
    axe(page, "unit page")

    make_late(staff, open_one)  # apology, then finished: 2 of 3 on time

    page.reload()
    on_time = _item(page, "TD1. Hồ sơ giải quyết đúng hạn")
    expect(on_time).to_contain_text("66,67%")
    expect(on_time).to_contain_text("13,333 / 20")  # 20 × 2/3
    # The apology moves nothing it should not: receipts (online, digitised) are unchanged.
    for code in ("DVC1", "SH2"):
        assert _item(page, code).inner_text() == before[code]

    sign_in_browser(page, live_server.url, staff["leader"])
    page.goto(f"{live_server.url}/chi-so-phuc-vu/agency/{ward}/?{FEB}")
    page.get_by_role("link", name="Mất 6,667 điểm: xem chi tiết").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hồ sơ giải quyết trễ hạn")
    expect(page.get_by_role("table")).to_contain_text(open_one.code)
    expect(page.get_by_role("table")).to_contain_text("Trễ hạn")
    axe(page, "drill-down")
