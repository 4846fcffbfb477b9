"""On a phone: a member of the ward People's Committee opens the written poll from their list, is told
to write their other opinion, answers, and sees the result appear by itself when the secretary closes
the poll. axe-core on every page of the app (the secretary's pages on a desktop)."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from congso.directory.testing import sign_in_browser
from congso.voting import polls
from congso.voting.models import Vote

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_member_answers_a_poll_on_a_phone(phone_page, page, live_server, axe, world):
    poll = polls.create_poll(
        body_id=world.body.pk,
        by=world.users["secretary"],
        title="Dự thảo Kế hoạch chuyển đổi số năm 2027",
        text="Văn phòng xin ý kiến các thành viên về dự thảo kế hoạch.",
        deadline=timezone.now() + dt.timedelta(days=2),
    )
    polls.answer(poll.pk, user=world.users["member2"], choice="agree")
    polls.answer(poll.pk, user=world.users["member3"], choice="agree")
    phone = phone_page
    sign_in_browser(phone, live_server.url, world.users["member1"])
    phone.goto("/bieu-quyet/lay-y-kien/")
    axe(phone, "member's poll list")
    phone.get_by_role("link", name="Dự thảo Kế hoạch chuyển đổi số năm 2027").click()
    expect(phone.locator("h1")).to_have_text("Dự thảo Kế hoạch chuyển đổi số năm 2027")
    expect(phone.locator(".vt-live")).to_contain_text("2/5 thành viên đã trả lời")
    axe(phone, "poll answer page")
    phone.get_by_role("radio", name="Ý kiến khác").check()
    phone.get_by_role("button", name="Gửi ý kiến").click()
    expect(phone.locator(".error-summary")).to_contain_text("ghi rõ ý kiến khác")
    axe(phone, "poll answer page with an error")
    phone.get_by_role("radio", name="Ý kiến khác").check()
    phone.get_by_label("Ý kiến cụ thể").fill("Đề nghị bổ sung chỉ tiêu dữ liệu mở.")
    phone.get_by_role("button", name="Gửi ý kiến").click()
    expect(phone.locator(".messages")).to_contain_text("Đã ghi nhận ý kiến")
    expect(phone.locator(".vt-live")).to_contain_text("3/5 thành viên đã trả lời")
    vote = Vote.objects.get(ballot=poll.ballot, voter=world.users["member1"])
    assert (vote.choice, vote.comment) == ("other", "Đề nghị bổ sung chỉ tiêu dữ liệu mở.")

    # the secretary follows on a desktop and closes; the member's open page shows the result by itself
    sign_in_browser(page, live_server.url, world.users["secretary"])
    page.goto(f"/bieu-quyet/lay-y-kien/{poll.pk}/")
    expect(page.locator("main")).to_contain_text("Chưa trả lời")
    axe(page, "secretary's poll page")
    page.goto("/bieu-quyet/lay-y-kien/moi/")
    axe(page, "new poll form")
    page.goto(f"/bieu-quyet/lay-y-kien/{poll.pk}/")
    page.get_by_role("button", name="Kết thúc lấy ý kiến ngay").click()
    expect(page.locator(".messages")).to_contain_text("Đã kết thúc lấy ý kiến")
    expect(phone.locator(".vt-live")).to_contain_text("Kết quả: không được thông qua", timeout=3000)
    axe(phone, "poll result")
    axe(page, "secretary's closed poll")
