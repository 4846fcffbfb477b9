"""The rating page on a phone: keyboard-free radio groups, the error summary, a thank-you, and axe-core."""

import pytest
from django.conf import settings as django_settings
from django.test import Client
from playwright.sync_api import expect

from congso.directory.testing import login_verified
from congso.ratings import services
from congso.ratings.models import Rating

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _as(page, live_server, user):
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


def test_citizen_rates_on_a_phone(phone_page, live_server, axe, citizen, finished):
    page = phone_page
    _as(page, live_server, citizen)
    page.goto(f"/danh-gia/{finished.code}/")
    axe(page, "rating form")
    page.get_by_role("radio", name="Hài lòng", exact=True).check()
    page.get_by_role("group", name="Hồ sơ có được trả kết quả đúng hẹn không?").get_by_label(
        "Đúng hoặc sớm hơn ngày hẹn"
    ).check()
    page.get_by_role(
        "group", name="Ông/Bà phải liên hệ, đi lại bao nhiêu lần để hoàn thành hồ sơ?"
    ).get_by_label("1 lần").check()
    page.get_by_label("Rõ ràng, đầy đủ").check()
    page.get_by_label("Lịch sự, tận tình").check()
    page.get_by_label("Không phải nộp").check()
    # The last question is left out: the error summary names it and links to it.
    page.get_by_label("Góp ý thêm (không bắt buộc)").fill("Cán bộ phường Pleiku hướng dẫn rất tận tình.")
    page.get_by_role("button", name="Gửi đánh giá").click()
    summary = page.locator("#error-summary")
    expect(summary).to_contain_text("Kết quả nhận được có chính xác")
    axe(page, "rating form with an error")
    summary.get_by_role("link").click()
    page.get_by_label("Chính xác").check()
    page.get_by_role("button", name="Gửi đánh giá").click()
    expect(page.locator(".messages")).to_contain_text("Cảm ơn Ông/Bà đã đánh giá")
    expect(page.locator("main")).to_contain_text("Hài lòng")
    axe(page, "rating done")
    rating = Rating.objects.get()
    assert (rating.overall, rating.contacts, rating.result) == ("satisfied", "1", "correct")
    assert rating.comment == "Cán bộ phường Pleiku hướng dẫn rất tận tình."


def test_leader_reads_statistics(page, live_server, axe, staff, citizen, finished):
    services.rate(
        finished,
        actor=citizen,
        answers={
            "overall": "normal",
            "on_time": "yes",
            "contacts": "2",
            "guidance": "partly",
            "attitude": "good",
            "fees": "as_listed",
            "result": "correct",
        },
    )
    client = Client()
    login_verified(client, staff["leader"])
    page.context.add_cookies(
        [
            {
                "name": django_settings.SESSION_COOKIE_NAME,
                "value": client.cookies[django_settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page.goto("/danh-gia/thong-ke/")
    expect(page.locator("main")).to_contain_text("1 lượt đánh giá")
    axe(page, "rating statistics")
