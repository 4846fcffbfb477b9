"""Issue 14 in a real browser: the officials' workspace menu and landing, and the phone layout
(390×844) with the menu folded behind a button that works without JavaScript. axe stays clean."""

import re

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from congso.accounts.testing import build_world
from congso.directory.testing import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture(autouse=True)
def _fast(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


@pytest.fixture
def world(db):
    return build_world()


def _sign_in(page, user):
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
        user=user, name="Điện thoại", confirmed=True
    )
    page.goto("/tai-khoan/dang-nhap/")
    page.locator("#id_username").fill(user.username)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập", exact=True).click()
    if user.needs_otp:
        page.wait_for_url(re.compile(r"/xac-thuc-hai-lop/"))
        code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
        page.get_by_label("Mã xác thực").fill(f"{code:06d}")
        page.get_by_role("button", name="Xác thực").click()


def _phone(browser, live_server, **options):
    context = browser.new_context(
        locale="vi-VN", base_url=live_server.url, viewport=PHONE, is_mobile=True, has_touch=True, **options
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    return context, page


def test_a_clerk_lands_on_the_inbox_with_the_workspace_menu(page, axe, world):
    _sign_in(page, world.users["clerk"])
    page.wait_for_url(re.compile(r"/mot-cua/\?box=receive$"))
    work = page.get_by_role("navigation", name="Công việc")
    expect(work.get_by_role("link", name=re.compile(r"^Chờ tiếp nhận \d+ hồ sơ$"))).to_be_visible()
    expect(work.get_by_role("link", name="Tiếp nhận hồ sơ")).to_be_visible()
    expect(work.get_by_role("link", name=re.compile("^Chờ tiếp nhận"))).to_have_attribute(
        "aria-current", "page"
    )
    expect(page.get_by_role("link", name="Nộp hồ sơ trực tuyến")).to_have_count(0)
    expect(page.get_by_role("link", name="Hồ sơ của tôi")).to_have_count(0)
    axe(page, "clerk's inbox with the workspace menu")


def test_the_system_administrator_gets_a_workspace_not_a_404(page, axe, world):
    _sign_in(page, world.users["sysadmin"])
    page.wait_for_url(re.compile(r"/lam-viec/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Bàn làm việc")
    nav = page.get_by_role("navigation", name="Công việc")
    outbox = nav.get_by_role("link", name="Hộp thư đi")
    fold = nav.locator("details.submenu").filter(has_text="Hộp thư đi")  # a closed fold hides its links
    if fold.count():  # a long menu folds (ADR 0171): open the fold, as a person does
        fold.locator("summary").click()
    expect(outbox).to_be_visible()
    axe(page, "system administrator's workspace")
    response = page.goto("/mot-cua/")
    assert response.status == 200 and page.url.endswith("/lam-viec/")


def test_phone_header_is_compact_and_the_menu_opens_without_javascript(browser, live_server, axe, world):
    for scripts in (True, False):
        context, page = _phone(browser, live_server, java_script_enabled=scripts)
        page.goto("/")
        header = page.locator(".site-header").bounding_box()
        assert header["height"] <= 96, f"the header takes {header['height']}px of 844"
        main_nav = page.get_by_role("navigation", name="Điều hướng chính")
        expect(main_nav).to_be_hidden()
        h1 = page.get_by_role("heading", level=1).bounding_box()
        assert h1["y"] + h1["height"] < 300, "the page's title is above the fold"
        search = page.get_by_role("searchbox").bounding_box()
        assert search["y"] + search["height"] < PHONE["height"], "the search box is above the fold"
        if scripts:
            axe(page, "home on a phone, menu closed")
        page.get_by_text("Menu", exact=True).click()
        expect(main_nav.get_by_role("link", name="Thủ tục hành chính")).to_be_visible()
        expect(page.get_by_role("link", name="Đăng nhập")).to_be_visible()
        if scripts:
            axe(page, "home on a phone, menu open")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], "the page must not scroll sideways"
        context.close()


def test_dossier_codes_never_break_across_lines(browser, live_server, world):
    context, page = _phone(browser, live_server)
    page.goto("/")
    white_space = page.evaluate(
        "() => { const s = document.createElement('span'); s.className = 'code';"
        " s.textContent = 'H21.23575-261206-0001'; document.querySelector('main').append(s);"
        " return getComputedStyle(s).whiteSpace; }"
    )
    assert white_space == "nowrap"
    context.close()


def test_a_citizen_keeps_the_portal_menu_on_a_phone(browser, live_server, axe, world):
    context, page = _phone(browser, live_server)
    _sign_in(page, world.users["citizen"])
    page.goto("/")
    page.get_by_text("Menu", exact=True).click()
    nav = page.get_by_role("navigation", name="Điều hướng chính")
    expect(nav.get_by_role("link", name="Hồ sơ của tôi")).to_be_visible()
    expect(page.get_by_role("navigation", name="Công việc")).to_have_count(0)
    axe(page, "citizen's menu open on a phone")
    context.close()
