"""The UI shell in a real browser: Vietnamese, keyboard-usable, accessible (axe-core), mobile-first."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_page_accessible_on_desktop(page, axe):
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "vi"
    assert page.get_by_role("heading", level=1).inner_text() == "Dịch vụ công trực tuyến"
    axe(page, "home (desktop)")


def test_home_page_accessible_on_phone(phone_page, axe):
    phone_page.goto("/")
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= phone_page.viewport_size["width"], "the page must not scroll sideways on a phone"
    axe(phone_page, "home (phone)")


def test_skip_link_moves_focus_to_main(page):
    page.goto("/")
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    assert skip.evaluate("el => el === document.activeElement")
    assert skip.is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"


def test_language_switch_works_without_javascript(browser, live_server, axe):
    context = browser.new_context(java_script_enabled=False, base_url=live_server.url, locale="vi-VN")
    page = context.new_page()
    page.goto("/")
    page.get_by_role("button", name="English").click()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", level=1).inner_text() == "Online public services"
    context.close()


def test_error_page_accessible(page, axe):
    page.goto("/khong-co-trang-nay/")
    assert "Không tìm thấy trang" in page.get_by_role("heading", level=1).inner_text()
    axe(page, "404")


def test_login_page_accessible(page, axe):
    page.goto("/tai-khoan/dang-nhap/")
    axe(page, "login")
