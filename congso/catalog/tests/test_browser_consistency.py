"""The consistency report pages in a desktop browser, checked with axe-core."""

import json

import pytest
from playwright.sync_api import expect

from congso.catalog.models import Procedure
from congso.directory.testing import sign_in_browser

from .test_consistency import MISSING, SAMPLES, TIME, local, sysadmin  # noqa: F401 — fixtures

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_administrator_compares_and_updates(page, live_server, axe, local, sysadmin, tmp_path):  # noqa: F811
    records = [json.loads((SAMPLES / f"{code}.json").read_text(encoding="utf-8")) for code in (MISSING, TIME)]
    export = tmp_path / "quoc-gia.json"
    export.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    sign_in_browser(page, live_server.url, sysadmin)
    page.goto("/thu-tuc/quan-ly/doi-chieu/")
    axe(page, "consistency")
    page.get_by_label("Bản xuất danh mục quốc gia (tệp .json)").set_input_files(str(export))
    page.get_by_role("button", name="Đối chiếu").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Báo cáo đối chiếu danh mục")
    axe(page, "consistency report")
    page.get_by_role("button", name=f"Cập nhật thủ tục {MISSING} theo danh mục quốc gia").click()
    expect(page.locator(".messages")).to_contain_text(f"Đã cập nhật thủ tục {MISSING}")
    assert Procedure.objects.filter(code=MISSING).exists()
    page.get_by_role("link", name=f"Sửa thiết lập thủ tục {TIME} tại Sở Tư pháp tỉnh Gia Lai").click()
    expect(page.get_by_label("Quyết định của địa phương về thời hạn, phí (số, ngày)")).to_be_visible()
