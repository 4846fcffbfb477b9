"""The display board fills a 1920×1080 wall screen (issue 14)."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_display_board_fills_a_full_hd_screen(browser, live_server, axe, centre, services, counters):
    context = browser.new_context(
        locale="vi-VN", base_url=live_server.url, viewport={"width": 1920, "height": 1080}
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    page.goto(f"/quay/{centre.code}/man-hinh/?tu-dong=0")
    main = page.locator("main").bounding_box()
    assert main["width"] >= 1850, "the board uses the screen's width"
    board = page.locator("#board").bounding_box()
    assert main["y"] + main["height"] >= 1000, "the board reaches the bottom of the screen"
    assert board["height"] >= 600
    assert page.evaluate("document.documentElement.scrollWidth") <= 1920
    assert page.evaluate("document.documentElement.scrollHeight") <= 1100, "no scrolling on the wall screen"
    assert not page.locator(".menu__button").is_visible() and not page.locator(".site-footer").is_visible()
    axe(page, "display board on a 1920×1080 screen")
    context.close()
