"""A full round in the browser: a unit self-assesses on a phone with an evidence file, the province's
evaluator corrects a value with a reason and closes the round, the leader publishes the ranking with
levels (the annex signed with the province's seal); axe-core on every page of the app."""

import pytest
from playwright.sync_api import expect

from congso.directory.testing import blank_pdf, sign_in_browser
from congso.evaluations import services
from congso.evaluations.models import Entry, Round
from congso.evaluations.testing import build_evaluation_world, leaf
from congso.signing import demo as signing_demo
from congso.signing.models import SigningKey

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _no_horizontal_scroll(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    viewport = page.evaluate("window.innerWidth")
    assert width <= viewport, f"the page scrolls sideways: {width} > {viewport}"


def test_full_round_in_the_browser(page, phone_page, live_server, axe, tmp_path):
    ew = build_evaluation_world()
    a, u = ew.agencies, ew.users
    ew.source.values[a["justice"].code] = "99"
    pc = a["province_pc"]
    signing_demo.ensure_ca()
    signing_demo.demo_key(
        label="con-dau-ubnd-tinh", kind=SigningKey.Kind.SEAL, common_name=pc.name, agency=pc
    )
    round_ = services.open_round(u["evaluator"], ew.framework, year=2025)
    c11, c12 = leaf(ew.framework, "1.1"), leaf(ew.framework, "1.2")

    # Sở Tư pháp's administrator self-assesses on a phone.
    phone = phone_page
    phone.set_viewport_size({"width": 390, "height": 844})  # a 390-px phone
    sign_in_browser(phone, live_server.url, u["agency_admin"])
    phone.goto("/danh-gia-xep-hang/")
    axe(phone, "evaluations index (unit)")
    phone.get_by_role("link", name="Sở Tư pháp tỉnh Gia Lai — Bộ chỉ số").first.click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Sở Tư pháp tỉnh Gia Lai")
    axe(phone, "unit sheet on a phone")
    _no_horizontal_scroll(phone)
    item = phone.locator(f"#c{c11.pk}")
    item.get_by_label("Giá trị tự đánh giá").fill("9")
    item.get_by_label("Thuyết minh").fill("Bồi dưỡng kỹ năng số cho 40/45 cán bộ")
    item.get_by_role("button", name="Lưu chỉ số 1.1").click()
    expect(phone.locator("#error-summary")).to_contain_text("tệp minh chứng")  # no evidence: refused
    axe(phone, "unit sheet with an error")
    item = phone.locator(f"#c{c11.pk}")
    item.get_by_label("Tệp minh chứng").set_input_files(blank_pdf(tmp_path, "danh-sach-boi-duong.pdf"))
    item.get_by_role("button", name="Lưu chỉ số 1.1").click()
    expect(phone.locator(".messages")).to_contain_text("Đã lưu giá trị tự đánh giá")
    item = phone.locator(f"#c{c12.pk}")
    item.get_by_label("Giá trị tự đánh giá").fill("95")
    item.get_by_label("Thuyết minh").fill("43/45 máy kết nối mạng chuyên dùng")
    item.get_by_label("Tệp minh chứng").set_input_files(blank_pdf(tmp_path, "bien-ban-kiem-ke.pdf"))
    item.get_by_role("button", name="Lưu chỉ số 1.2").click()
    expect(phone.locator(f"#c{c11.pk}")).to_contain_text("Minh chứng: danh-sach-boi-duong.pdf")
    _no_horizontal_scroll(phone)
    assert Entry.objects.filter(round=round_, unit=a["justice"]).count() == 2

    # The province's evaluator moves the round to review and corrects 1.2 with a reason.
    sign_in_browser(page, live_server.url, u["evaluator"])
    page.goto(f"/danh-gia-xep-hang/dot/{round_.pk}/")
    axe(page, "round (open)")
    page.get_by_role("button", name="Kết thúc tự đánh giá, chuyển thẩm định").click()
    expect(page.locator("#round-state")).to_have_text("Đang thẩm định")
    page.get_by_role("link", name="Sở Tư pháp tỉnh Gia Lai").click()
    axe(page, "unit sheet (evaluator)")
    item = page.locator(f"#c{c11.pk}")
    item.get_by_label("Chấp nhận", exact=True).check()
    item.get_by_role("button", name="Thẩm định chỉ số 1.1").click()
    expect(page.locator(".messages")).to_contain_text("Đã ghi kết quả thẩm định")
    item = page.locator(f"#c{c12.pk}")
    item.get_by_label("Điều chỉnh", exact=True).check()
    item.get_by_label("Giá trị sau điều chỉnh").fill("81")
    item.get_by_role("button", name="Thẩm định chỉ số 1.2").click()
    expect(page.locator("#error-summary")).to_contain_text("lý do")
    item = page.locator(f"#c{c12.pk}")
    item.get_by_label("Điều chỉnh", exact=True).check()
    item.get_by_label("Giá trị sau điều chỉnh").fill("81")
    item.get_by_label("Lý do điều chỉnh").fill("Biên bản kiểm tra ngày 12/01/2026: 81 % máy kết nối")
    item.get_by_role("button", name="Thẩm định chỉ số 1.2").click()
    expect(page.locator(f"#c{c12.pk}")).to_contain_text("Đã điều chỉnh")
    # 9 + 81/90×20 (18) + 20 (99 % on time ≥ 98) = 47
    expect(page.locator("#unit-total")).to_have_text("47")
    # Their own unit (the evaluator is also an officer of Sở Xây dựng) offers no review.
    page.goto(f"/danh-gia-xep-hang/dot/{round_.pk}/don-vi/{a['construction'].code}/")
    expect(page.locator("main")).not_to_contain_text("Thẩm định chỉ số")
    page.goto(f"/danh-gia-xep-hang/dot/{round_.pk}/")
    page.get_by_role("button", name="Chốt kết quả").click()
    expect(page.locator("#round-state")).to_have_text("Đã chốt kết quả")
    axe(page, "round (closed)")

    # The province's leader publishes the ranking: the annex is signed with the province's seal.
    sign_in_browser(page, live_server.url, u["province_leader"])
    page.goto(f"/danh-gia-xep-hang/dot/{round_.pk}/")
    page.get_by_label("Số quyết định công bố").fill("318/QĐ-UBND")
    page.get_by_role("button", name="Công bố và ký số phụ lục").click()
    expect(page.locator("#round-state")).to_have_text("Đã công bố")
    ranking = page.get_by_role("table", name="Tổng điểm, mức và xếp hạng")
    expect(ranking.get_by_role("row").nth(1)).to_contain_text("Sở Tư pháp tỉnh Gia Lai")
    expect(ranking.get_by_role("row").nth(1)).to_contain_text("Mức I")
    expect(page.get_by_role("link", name="Phụ lục kết quả đã ký số")).to_be_visible()
    axe(page, "round (published)")
    page.get_by_role("link", name="Kết quả chi tiết").click()
    expect(page.get_by_role("table", name="Đạt / chưa đạt theo từng chỉ số có chỉ tiêu")).to_be_visible()
    axe(page, "results")
    round_.refresh_from_db()
    assert round_.state == Round.State.PUBLISHED and round_.annex.file

    # The unit sees the published ranking on its phone.
    phone.goto(f"/danh-gia-xep-hang/dot/{round_.pk}/ket-qua/")
    expect(phone.get_by_role("table", name="Tổng điểm, mức và xếp hạng")).to_contain_text("Mức I")
    axe(phone, "results on a phone")


def test_framework_pages_are_accessible(page, live_server, axe):
    ew = build_evaluation_world()
    sign_in_browser(page, live_server.url, ew.users["province_admin"])
    page.goto("/danh-gia-xep-hang/bo-chi-so/moi/")
    axe(page, "new framework")
    page.get_by_role("button", name="Tạo bộ chỉ số").click()
    expect(page.locator("#error-summary")).to_be_visible()
    axe(page, "new framework with errors")
    page.goto(f"/danh-gia-xep-hang/bo-chi-so/{ew.framework.pk}/")
    axe(page, "framework")
    page.get_by_role("link", name="1.2", exact=True).click()
    axe(page, "criterion")
    page.get_by_label("Chỉ tiêu", exact=True).fill("95")
    page.get_by_role("button", name="Lưu", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("Đã lưu tiêu chí")
    assert leaf(ew.framework, "1.2").target == 95
