"""The personal data store on a phone: add a paper, see it listed, and pass axe-core."""

import pytest
from django.conf import settings as django_settings
from django.test import Client
from playwright.sync_api import expect

from congso.accounts.models import User

from .conftest import pdf

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_store_page_on_a_phone(phone_page, live_server, axe, tmp_path):
    citizen = User.objects.create_user("cd.an", full_name="Nguyễn Văn An", kind="citizen")
    client = Client()
    client.force_login(citizen)
    phone_page.context.add_cookies(
        [
            {
                "name": django_settings.SESSION_COOKIE_NAME,
                "value": client.cookies[django_settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    paper = tmp_path / "giay-chung-nhan-ket-hon.pdf"
    paper.write_bytes(pdf())
    page = phone_page
    page.goto("/kho-du-lieu/")
    expect(page.get_by_role("heading", name="Kho dữ liệu cá nhân")).to_be_visible()
    axe(page, "kho dữ liệu trống")
    page.get_by_role("link", name="Thêm giấy tờ").click()
    page.get_by_role("button", name="Lưu vào kho").click()  # nothing filled in
    expect(page.get_by_role("heading", name="Có lỗi cần sửa")).to_be_visible()
    axe(page, "lỗi khi thêm giấy tờ")
    page.get_by_label("Tên giấy tờ").fill("Giấy chứng nhận kết hôn")
    page.get_by_label("Tệp giấy tờ").set_input_files(str(paper))
    page.get_by_label("Có giá trị đến (nếu có)").fill("31/12/2031")
    page.get_by_role("button", name="Lưu vào kho").click()
    page.wait_for_url("**/kho-du-lieu/")
    expect(page.get_by_text("Đã lưu “Giấy chứng nhận kết hôn”")).to_be_visible()
    expect(page.get_by_role("heading", name="Giấy chứng nhận kết hôn")).to_be_visible()
    expect(page.get_by_text("Còn giá trị đến 31/12/2031")).to_be_visible()
    axe(page, "kho dữ liệu có giấy tờ")
    page.get_by_role("link", name="Lịch sử dùng lại Giấy chứng nhận kết hôn").click()
    page.get_by_text("chưa được dùng lại").wait_for()  # the detail page has loaded
    axe(page, "chi tiết giấy tờ")
    page.get_by_role("link", name="Xoá khỏi kho").click()
    axe(page, "xác nhận xoá")
    page.get_by_role("button", name="Xoá giấy tờ").click()
    page.wait_for_url("**/kho-du-lieu/")
    expect(page.get_by_text("Kho dữ liệu của bạn chưa có giấy tờ nào.")).to_be_visible()
    page.goto("/kho-du-lieu/co-so-du-lieu/")
    expect(page.get_by_text("chưa có số CCCD")).to_be_visible()
    axe(page, "dữ liệu từ các cơ sở dữ liệu")
