"""Sign-in with TOTP and the administration screens in a real browser, checked with axe-core."""

import re

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from congso.directory import demo_codes as dc
from congso.directory.testing import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _code(device, drift=0):
    device.refresh_from_db()
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=drift):06d}"


def _password_login(page, username):
    page.goto("/tai-khoan/dang-nhap/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập", exact=True).click()


def _official_login(page, user):
    device = TOTPDevice.objects.create(user=user, name="Điện thoại", confirmed=True)
    _password_login(page, user.username)
    page.get_by_label("Mã xác thực").fill(_code(device))
    page.get_by_role("button", name="Xác thực").click()
    page.wait_for_url(re.compile(r"/(mot-cua|lam-viec)/"))  # an official's landing page (issue 14)


def test_totp_enrolment_and_verification(page, axe, world, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    clerk = world.users["clerk"]
    _password_login(page, clerk.username)
    page.wait_for_url(re.compile(r"/xac-thuc-hai-lop/thiet-lap/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Thiết lập xác thực hai lớp")
    axe(page, "TOTP setup")
    page.get_by_role("button", name="Xác nhận").click()  # empty code: error summary
    expect(page.locator(".error-summary")).to_be_visible()
    axe(page, "TOTP setup with errors")
    device = TOTPDevice.objects.get(user=clerk)
    page.get_by_label("Mã xác thực").fill(_code(device))
    page.get_by_role("button", name="Xác nhận").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Đã bật xác thực hai lớp")
    assert page.locator(".backup-codes li").count() == 8
    axe(page, "backup codes")
    page.get_by_role("link", name="Tiếp tục").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hồ sơ một cửa")
    axe(page, "the clerk's inbox")

    page.get_by_role("button", name="Đăng xuất").click()
    _password_login(page, clerk.username)
    page.wait_for_url(re.compile(r"/xac-thuc-hai-lop/"))
    axe(page, "TOTP verify")
    page.get_by_label("Mã xác thực").fill(_code(device, drift=1))
    page.get_by_role("button", name="Xác thực").click()
    page.wait_for_url(re.compile(r"/mot-cua/\?box=receive"))  # a clerk lands on their inbox (issue 14)


def test_failed_login_and_password_reset_pages(page, axe, world):
    page.goto("/tai-khoan/dang-nhap/")
    axe(page, "login")
    page.locator("#id_username").fill("khong.ton.tai")
    page.locator("#id_password").fill("sai-mat-khau")
    page.get_by_role("button", name="Đăng nhập", exact=True).click()
    expect(page.locator(".error-summary")).to_contain_text("Tên đăng nhập hoặc mật khẩu không đúng")
    axe(page, "login with error")
    page.get_by_role("link", name="Quên mật khẩu?").click()
    axe(page, "password reset")
    page.get_by_label("Thư điện tử đã đăng ký").fill("nguyen.van.an@example.vn")
    page.get_by_role("button", name="Gửi đường dẫn").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kiểm tra hộp thư")
    axe(page, "password reset sent")


def test_agency_admin_screens(page, axe, world):
    _official_login(page, world.users["agency_admin"])
    page.goto("/co-quan/quan-ly/")
    axe(page, "manage agencies")
    expect(page.get_by_role("link", name="Sở Tư pháp tỉnh Gia Lai")).to_be_visible()
    assert page.get_by_role("link", name="Sở Xây dựng tỉnh Gia Lai").count() == 0  # another agency's tree
    page.get_by_role("link", name="Sở Tư pháp tỉnh Gia Lai").click()
    axe(page, "agency detail")
    expect(page.locator("table")).to_contain_text("Nguyễn Quang Vinh")
    page.get_by_role("link", name="Thêm đơn vị trực thuộc").click()
    page.get_by_label("Mã định danh điện tử").fill("000-12-05-H21")
    page.get_by_label("Tên cơ quan").fill("Phòng Bổ trợ tư pháp")
    page.get_by_label("Loại cơ quan").select_option("division")
    page.get_by_role("button", name="Thêm").click()
    expect(page.locator(".error-summary")).to_contain_text("chỉ gồm chữ số")
    axe(page, "new agency with errors")
    page.get_by_label("Mã định danh điện tử").fill("000.12.05.H21")
    page.get_by_role("button", name="Thêm").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Phòng Bổ trợ tư pháp")
    page.goto(f"/co-quan/quan-ly/{dc.DEPT_JUSTICE}/can-bo-moi/")
    axe(page, "new official")


def test_system_admin_unit_screens(phone_page, axe, world):
    page = phone_page
    _official_login(page, world.users["sysadmin"])
    page.goto("/co-quan/don-vi-hanh-chinh/?q=pleiku")
    expect(page.locator("table")).to_contain_text("Phường Pleiku")
    axe(page, "units (phone)")
    page.goto("/co-quan/don-vi-hanh-chinh/them/")
    axe(page, "new historical unit (phone)")
    page.goto("/tai-khoan/ho-tro-cong-dong/thong-ke/")
    axe(page, "assistance statistics (phone)")
    page.goto("/tai-khoan/ho-tro-cong-dong/thanh-vien/")
    expect(page.locator("table")).to_contain_text("Nguyễn Thị Thanh Xuân")
    axe(page, "community team members (phone)")


def test_citizen_consent_screens(page, axe, world):
    _password_login(page, "congdan.thoi")
    page.goto("/tai-khoan/uy-quyen-ho-tro/")
    axe(page, "consents")
    page.get_by_label("Tên đăng nhập của thành viên tổ công nghệ số").fill("tocns.iagrai")
    page.get_by_label("Việc được hỗ trợ").fill("Khai và nộp hồ sơ đăng ký khai sinh cho cháu nội")
    page.get_by_role("button", name="Đồng ý cho hỗ trợ").click()
    expect(page.locator("table")).to_contain_text("Còn hiệu lực")
    axe(page, "consents with one")
    page.goto("/tai-khoan/ca-nhan/")
    axe(page, "profile")
