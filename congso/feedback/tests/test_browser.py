"""On a phone: a citizen reports a pothole with a photo; routing sends it to the ward; the ward transfers
it to the province's Sở Xây dựng (transport since 2025), which answers; the leader approves; the public
board shows the answer with the name masked; the citizen is unsatisfied; it reopens and is answered again.
axe-core on every page of the app."""

import pytest
from django.conf import settings as django_settings
from django.test import Client
from playwright.sync_api import expect

from congso.directory.testing import sign_in_browser

from ..models import Report, Status
from .conftest import jpeg_with_gps

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def as_citizen(page, live_server, user):
    client = Client()
    client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies(
        [
            {
                "name": django_settings.SESSION_COOKIE_NAME,
                "value": client.cookies[django_settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


def staff_action(page, label, **fields):
    box = page.locator("details", has=page.locator("summary", has_text=label))
    if box.get_attribute("open") is None:
        box.locator("summary").click()
    for name, value in fields.items():
        box.locator(f"[name={name}]").fill(value)
    box.get_by_role("button", name=label).click()
    expect(page.locator(".messages")).to_contain_text("Đã cập nhật phản ánh")


def answer(page, live_server, world, code, text):
    sign_in_browser(page, live_server.url, world.users["dept_officer"])
    page.goto(f"/phan-anh/xu-ly/{code}/")
    staff_action(page, "Dự thảo trả lời", note=text)
    sign_in_browser(page, live_server.url, world.users["dept_leader"])
    page.goto(f"/phan-anh/xu-ly/{code}/")
    axe_ok = page.locator("main")
    expect(axe_ok).to_contain_text(text)
    staff_action(page, "Duyệt và công bố trả lời")


def test_pothole_from_a_phone_to_a_second_answer(phone_page, live_server, axe, world):
    page = phone_page
    citizen = world.users["citizen"]
    as_citizen(page, live_server, citizen)
    page.goto("/phan-anh/gui/")
    axe(page, "report form")
    page.get_by_label("Lĩnh vực").select_option("giao-thong")
    page.get_by_label("Tiêu đề").fill("Ổ gà lớn trước số 120 Hùng Vương")
    page.get_by_label("Nội dung phản ánh").fill(
        "Ổ gà sâu khoảng 20 cm giữa làn xe máy, tối qua có người ngã."
    )
    page.get_by_label("Xã, phường").select_option(world.units["pleiku"].code)
    page.get_by_label("Địa chỉ, địa điểm cụ thể").fill("120 Hùng Vương")
    photo = jpeg_with_gps()
    page.locator("input[name=photos]").set_input_files(
        [{"name": "o-ga.jpg", "mimeType": "image/jpeg", "buffer": photo.read()}]
    )
    page.get_by_label("Hiện tên tôi (viết tắt) khi công khai").check()
    page.get_by_role("button", name="Gửi phản ánh").click()
    expect(page.locator(".messages")).to_contain_text("Ủy ban nhân dân phường Pleiku")
    axe(page, "own report page")
    report = Report.objects.get()
    assert report.agency == world.agencies["pleiku_pc"] and report.media.count() == 1

    # the ward accepts, then transfers it to the Sở Xây dựng
    sign_in_browser(page, live_server.url, world.users["ward_officer"])
    page.goto("/phan-anh/xu-ly/")
    axe(page, "staff inbox")
    page.get_by_role("link", name=report.code).click()
    axe(page, "staff report page")
    staff_action(page, "Tiếp nhận xử lý")
    staff_action(
        page,
        "Chuyển cơ quan khác",
        reason="Quốc lộ 19 đoạn qua phường do Sở Xây dựng quản lý",
        agency=world.agencies["construction"].code,
    )
    answer(page, live_server, world, report.code, "Sở đã vá ổ gà ngày hôm nay.")

    # the public board: the answer, the name masked, no contact details
    page.context.clear_cookies()
    page.goto("/phan-anh/?q=o ga hung vuong")
    axe(page, "public board")
    page.get_by_role("link", name="Ổ gà lớn trước số 120 Hùng Vương").click()
    main = page.locator("main")
    expect(main).to_contain_text("Sở đã vá ổ gà ngày hôm nay.")
    expect(main).to_contain_text("Nguyễn V. A.")
    expect(main).not_to_contain_text("Nguyễn Văn An")
    expect(main).not_to_contain_text("0905123456")
    axe(page, "public report page")

    # unsatisfied: it reopens once, and is answered again
    as_citizen(page, live_server, citizen)
    page.goto(f"/phan-anh/{report.code}/")
    page.get_by_label("Không hài lòng").check()
    page.get_by_label("Góp ý (không bắt buộc)").fill("Vá xong lại bong ngay sau cơn mưa.")
    page.get_by_role("button", name="Gửi đánh giá").click()
    expect(page.locator(".messages")).to_contain_text("mở lại")
    report.refresh_from_db()
    assert report.status == Status.PROCESSING and report.reopened
    answer(page, live_server, world, report.code, "Sở đã thảm lại toàn bộ đoạn đường.")
    page.context.clear_cookies()
    page.goto(f"/phan-anh/{report.code}/")
    expect(page.locator("main")).to_contain_text("Sở đã thảm lại toàn bộ đoạn đường.")
    report.refresh_from_db()
    assert report.status == Status.ANSWERED


def test_staff_entry_and_admin_pages_pass_axe(page, live_server, axe, world):
    sign_in_browser(page, live_server.url, world.users["ward_officer"])
    page.goto("/phan-anh/xu-ly/nhap/")
    axe(page, "staff entry")
    sign_in_browser(page, live_server.url, world.users["sysadmin"])
    page.goto("/phan-anh/quan-tri/")
    axe(page, "categories and routing")
