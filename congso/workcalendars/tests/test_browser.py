"""A secretary drafts next week's calendar of the province's leader on a desktop (one entry refused,
one overlapping the unit's calendar flagged), submits it; the leader returns it, then approves it; a
citizen reads it on a phone, navigates weeks and finds the iCalendar link. axe-core on every page."""

import pytest
from django.test import Client
from playwright.sync_api import expect

from congso.directory.testing import sign_in_browser
from congso.workcalendars import services
from congso.workcalendars.models import Status, Version
from congso.workcalendars.testing import entry_data, next_monday

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def desktop_page(browser, live_server):
    context = browser.new_context(
        locale="vi-VN", base_url=live_server.url, viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def test_draft_approve_and_read_on_a_phone(desktop_page, phone_page, live_server, axe, world):
    monday = next_monday()
    clerical, leader = world.users["province_clerical"], world.users["province_leader"]
    # the unit's calendar already has lanhdao.tinh at a meeting on Monday 08:00–09:00
    unit_version = services.open_week(world.calendars["unit"].pk, monday, by=clerical)
    services.add_entry(
        unit_version.pk,
        entry_data(monday, "08:00", "09:00", content="Họp Thường trực UBND tỉnh", attendees=[leader.pk]),
        by=clerical,
    )
    page = desktop_page
    sign_in_browser(page, live_server.url, clerical)
    page.goto("/lich-cong-tac/soan/")
    axe(page, "staff list")
    page.get_by_role("row", name="Hồ Văn Niên").get_by_role("link", name=monday.strftime("%d/%m")).click()
    axe(page, "empty week")
    page.get_by_role("button", name="Soạn lịch tuần này").click()
    expect(page.locator(".messages")).to_contain_text("Đã tạo dự thảo lịch tuần")

    def add(day, start, end, content, place):
        page.locator("#id_day").fill(day.isoformat())
        page.get_by_label("Từ giờ").fill(start)
        page.get_by_label("Đến giờ").fill(end)
        page.get_by_label("Nội dung công việc").fill(content)
        page.get_by_label("Địa điểm").fill(place)
        page.get_by_role("button", name="Thêm vào lịch").click()

    add(monday, "10:00", "09:00", "Giờ sai", "Phòng họp số 1")
    expect(page.locator(".error-summary")).to_contain_text("Giờ kết thúc phải sau giờ bắt đầu")
    axe(page, "entry refused")
    add(monday, "08:30", "10:00", "Họp giao ban lãnh đạo UBND tỉnh", "Phòng họp số 1")
    expect(page.locator(".messages")).to_contain_text("Đã thêm công việc")
    expect(page.locator(".wc-conflict")).to_contain_text("Họp Thường trực UBND tỉnh")
    axe(page, "draft week with a conflict")
    page.get_by_role("button", name="Trình duyệt").click()
    expect(page.locator(".messages")).to_contain_text("Đã cập nhật lịch tuần")

    sign_in_browser(page, live_server.url, leader)
    page.goto(f"/lich-cong-tac/soan/{world.calendars['leader'].pk}/{monday.isoformat()}/")
    axe(page, "week waiting for approval")
    page.get_by_label("Lý do trả lại").fill("Đề nghị ghi rõ thành phần dự họp.")
    page.get_by_role("button", name="Trả lại").click()
    expect(page.locator(".message--warning").first).to_contain_text("Đề nghị ghi rõ thành phần")
    assert Version.objects.get(week__calendar=world.calendars["leader"]).status == Status.RETURNED

    sign_in_browser(page, live_server.url, clerical)
    page.goto(f"/lich-cong-tac/soan/{world.calendars['leader'].pk}/{monday.isoformat()}/")
    page.get_by_role("link", name="Sửa Họp giao ban").click()
    axe(page, "edit entry")
    page.get_by_label("Thành phần khác").fill("Chánh Văn phòng UBND tỉnh")
    page.get_by_role("button", name="Lưu").click()
    expect(page.locator(".messages")).to_contain_text("Đã sửa công việc")
    page.get_by_role("button", name="Trình duyệt").click()
    sign_in_browser(page, live_server.url, leader)
    page.goto(f"/lich-cong-tac/soan/{world.calendars['leader'].pk}/{monday.isoformat()}/")
    page.get_by_role("button", name="Duyệt và công bố").click()
    expect(page.locator(".messages")).to_contain_text("Đã cập nhật lịch tuần")
    axe(page, "approved week")

    phone = phone_page
    phone.goto("/lich-cong-tac/")
    axe(phone, "public list")
    phone.get_by_role("link", name="Hồ Văn Niên — Phó Chủ tịch UBND tỉnh").click()
    expect(phone.locator("h1")).to_contain_text("Hồ Văn Niên")
    phone.get_by_role("link", name="Tuần sau →").click()
    expect(phone.locator("main")).to_contain_text("Họp giao ban lãnh đạo UBND tỉnh")
    expect(phone.locator("main")).to_contain_text("Chánh Văn phòng UBND tỉnh")
    expect(phone.locator("main")).to_contain_text("cập nhật lúc")
    axe(phone, "public week")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= phone.viewport_size["width"], f"the public week scrolls sideways on a phone ({width}px)"
    ics = phone.get_by_role("link", name="Theo dõi bằng lịch điện thoại (iCalendar)").get_attribute("href")
    assert "BEGIN:VEVENT" in Client().get(ics).content.decode()
