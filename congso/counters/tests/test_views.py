"""The pages: kiosk without JavaScript, rate limits, ticket status, display board, clerk console."""

import pytest
from django.core.cache import cache

from congso.directory.testing import login_verified

from .. import services as svc
from ..models import Ticket, TicketService

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def test_kiosk_lists_services_priority_first_as_plain_buttons(client, centre, services, counters):
    svc.take_ticket(services["A"].pk)
    html = client.get(f"/quay/{centre.code}/").content.decode()
    assert html.index("Ưu tiên") < html.index("Hộ tịch – chứng thực") < html.index("Đất đai – xây dựng")
    assert f'name="service" value="{services["A"].pk}"' in html
    assert "1 người đang chờ" in html
    assert 'method="post"' in html and "csrfmiddlewaretoken" in html


def test_taking_a_number_shows_ticket_ahead_and_estimate(client, centre, services, counters):
    svc.take_ticket(services["A"].pk)
    svc.take_ticket(services["A"].pk)
    response = client.post(f"/quay/{centre.code}/", {"service": services["A"].pk}, follow=True)
    html = response.content.decode()
    assert "A003" in html
    assert "Số người trước bạn" in html and ">2<" in html
    assert "khoảng 8 phút" in html  # 2 ahead × 8 min ÷ 2 counters
    assert '<meta http-equiv="refresh" content="30">' in html.split("<noscript>")[1]
    # The kiosk page now lists the number this browser holds.
    assert "A003" in client.get(f"/quay/{centre.code}/").content.decode()


def test_bad_service_changes_nothing(client, centre, services, other_centre):
    foreign = TicketService.objects.create(centre=other_centre, prefix="A", name="Hộ tịch")
    for value in ("", "abc", str(foreign.pk), "99999"):
        response = client.post(f"/quay/{centre.code}/", {"service": value})
        assert response.status_code == 400
        assert "Hãy chọn một dịch vụ" in response.content.decode()
    assert not Ticket.objects.exists()


def test_session_may_hold_only_a_few_waiting_numbers(client, centre, services, settings):
    settings.CONGSO_QUEUE_OPEN_PER_SESSION = 2
    for _ in range(2):
        assert client.post(f"/quay/{centre.code}/", {"service": services["A"].pk}).status_code == 302
    refused = client.post(f"/quay/{centre.code}/", {"service": services["B"].pk})
    assert refused.status_code == 429
    assert "A001, A002" in refused.content.decode()
    assert Ticket.objects.count() == 2


def test_ip_rate_limit_across_sessions_and_kiosk_exemption(centre, services, settings):
    from django.test import Client

    settings.CONGSO_QUEUE_TAKE_PER_IP = 3
    for _ in range(3):
        assert Client().post(f"/quay/{centre.code}/", {"service": services["A"].pk}).status_code == 302
    refused = Client().post(f"/quay/{centre.code}/", {"service": services["A"].pk})
    assert refused.status_code == 429 and "quá nhiều số" in refused.content.decode()
    assert refused["Retry-After"]
    api = Client().post(
        f"/api/v1/counters/centres/{centre.code}/tickets",
        data={"service_id": services["A"].pk},
        content_type="application/json",
    )
    assert api.status_code == 429
    assert Ticket.objects.count() == 3
    # The centre's own kiosk machine is exempt, and does not remember (or show) anyone's numbers.
    settings.CONGSO_QUEUE_KIOSK_IPS = ["127.0.0.1"]
    kiosk = Client()
    for _ in range(5):
        assert kiosk.post(f"/quay/{centre.code}/", {"service": services["A"].pk}).status_code == 302
    assert "Số bạn đã lấy hôm nay" not in kiosk.get(f"/quay/{centre.code}/").content.decode()


def test_ticket_status_partial_and_no_change_poll(client, centre, services, counters, clerk):
    ticket = svc.take_ticket(services["A"].pk)
    page = client.get(f"/quay/ve/{ticket.token}/").content.decode()
    assert 'aria-live="polite"' in page and 'hx-trigger="every 15s"' in page
    sig = page.split("?v=")[1].split('"')[0]
    unchanged = client.get(f"/quay/ve/{ticket.token}/?v={sig}", HTTP_HX_REQUEST="true")
    assert unchanged.status_code == 204
    svc.call_next(clerk, counters[1].pk)
    changed = client.get(f"/quay/ve/{ticket.token}/?v={sig}", HTTP_HX_REQUEST="true")
    assert changed.status_code == 200 and "Mời đến quầy số 1" in changed.content.decode()
    assert "<html" not in changed.content.decode()


def test_display_board_polls_and_announces_only_new_calls(client, centre, services, counters, clerk):
    svc.take_ticket(services["A"].pk)
    svc.take_ticket(services["B"].pk)
    html = client.get(f"/quay/{centre.code}/man-hinh/").content.decode()
    assert 'aria-live="polite"' in html and 'id="announce"' in html
    assert 'hx-trigger="every 5s"' in html
    head = html.split("</head>")[0]
    assert '<noscript><meta http-equiv="refresh" content="10"></noscript>' in head
    feed = html.split('hx-get="')[1].split('"')[0].replace("&amp;", "&")
    quiet = client.get(feed, HTTP_HX_REQUEST="true").content.decode()
    assert "hx-swap-oob" not in quiet
    svc.call_next(clerk, counters[2].pk)
    news = client.get(feed, HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-swap-oob="innerHTML"' in news and "Mời số A001 đến quầy số 2" in news
    paused = client.get(f"/quay/{centre.code}/man-hinh/?tu-dong=0").content.decode()
    assert "hx-trigger" not in paused and "http-equiv" not in paused
    assert "Bật lại tự động cập nhật" in paused


def test_console_without_javascript(client, centre, services, counters, clerk):
    login_verified(client, clerk)
    svc.take_ticket(services["A"].pk)
    base = f"/quay/{centre.code}/can-bo/quay-1/"
    page = client.get(base).content.decode()
    assert "Gọi số tiếp theo" in page and "1 người đang chờ" in page
    response = client.post(base + "goi-so/", follow=True)
    html = response.content.decode()
    assert "Đã gọi số A001 đến quầy số 1" in html
    assert "Gọi lại" in html and "Vắng mặt, bỏ qua" in html and "Bắt đầu phục vụ" in html
    ticket = Ticket.objects.get()
    done = client.post(base + f"phieu-{ticket.pk}/", {"action": "finish"}, follow=True).content.decode()
    assert "Đã hoàn thành số A001" in done and "Quầy đang trống" in done
    again = client.post(base + f"phieu-{ticket.pk}/", {"action": "finish"}, follow=True).content.decode()
    assert "Không thể" in again
    assert Ticket.objects.get().state == Ticket.State.DONE


def test_console_with_htmx_returns_the_panel_and_status(client, centre, services, counters, clerk):
    login_verified(client, clerk)
    svc.take_ticket(services["A"].pk)
    base = f"/quay/{centre.code}/can-bo/quay-1/"
    response = client.post(base + "goi-so/", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert 'id="console-panel"' in html and 'hx-swap-oob="innerHTML"' in html and "Đã gọi số A001" in html
    assert '<p class="q-current__code">A001</p>' in html  # the panel shows the ticket just called
    empty = client.post(base + "goi-so/", HTTP_HX_REQUEST="true")
    assert empty.status_code == 409 and "đang gọi hoặc phục vụ số A001" in empty.content.decode()


def test_console_transfer_and_requeue(client, centre, services, counters, clerk):
    login_verified(client, clerk)
    svc.take_ticket(services["A"].pk)
    base = f"/quay/{centre.code}/can-bo/quay-1/"
    client.post(base + "goi-so/")
    ticket = Ticket.objects.get()
    page = client.get(base).content.decode()
    assert 'label for="transfer-service"' in page and "Đất đai – xây dựng" in page
    client.post(base + f"phieu-{ticket.pk}/", {"action": "transfer", "service": services["B"].pk})
    moved = Ticket.objects.get(transferred_from=ticket)
    assert moved.code == "B001"
    client.post(f"/quay/{centre.code}/can-bo/quay-2/goi-so/")
    client.post(f"/quay/{centre.code}/can-bo/quay-2/phieu-{moved.pk}/", {"action": "no_show"})
    page2 = client.get(f"/quay/{centre.code}/can-bo/quay-2/").content.decode()
    assert "Số vắng mặt hôm nay" in page2 and "B001" in page2
    client.post(f"/quay/{centre.code}/can-bo/quay-2/phieu-{moved.pk}/", {"action": "requeue"})
    assert Ticket.objects.get(pk=moved.pk).state == Ticket.State.WAITING


def test_pages_in_english(client, centre, services, counters):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get(f"/quay/{centre.code}/").content.decode()
    assert "Take a queue number" in html
    display = client.get(f"/quay/{centre.code}/man-hinh/").content.decode()
    assert "Now serving" in display


def test_configure_page_edits_and_refuses_bad_input(client, centre, services, counters, agency_admin):
    login_verified(client, agency_admin)
    url = f"/quay/{centre.code}/cau-hinh/"
    page = client.get(url).content.decode()
    assert 'for="ctr-1-svc-' in page and "Thêm quầy" in page and "Thêm dịch vụ" in page
    # Counter 2 stops serving "Đất đai" and closes.
    response = client.post(
        url + "quay/", {"number": "2", "label": "Tầng 2", "services": [services["A"].pk]}, follow=True
    )
    assert "Đã lưu quầy số 2" in response.content.decode()
    counters[2].refresh_from_db()
    assert not counters[2].is_active and list(counters[2].services.all()) == [services["A"]]
    bad = client.post(
        url + "dich-vu/", {"prefix": "đ", "name": "Đất đai", "typical_minutes": "10"}, follow=True
    )
    assert "chữ in hoa" in bad.content.decode()
    bad = client.post(
        url + "dich-vu/", {"prefix": "E", "name": "Lao động", "typical_minutes": "mười"}, follow=True
    )
    assert "số nguyên dương" in bad.content.decode()
    bad = client.post(url + "quay/", {"number": "0"}, follow=True)
    assert "từ 1 đến 999" in bad.content.decode()
    assert not services["A"].centre.ticket_services.filter(prefix__in=["Đ", "E"]).exists()


def test_yesterdays_ticket_page_says_it_expired(client, centre, services, counters):
    import datetime

    import time_machine

    vn = datetime.timezone(datetime.timedelta(hours=7))
    with time_machine.travel(datetime.datetime(2026, 11, 20, 16, 0, tzinfo=vn), tick=False):
        ticket = svc.take_ticket(services["A"].pk)
    with time_machine.travel(datetime.datetime(2026, 11, 21, 8, 0, tzinfo=vn), tick=False):
        html = client.get(f"/quay/ve/{ticket.token}/").content.decode()
    assert "đã hết hiệu lực" in html and "hx-trigger" not in html and "Số người trước bạn" not in html


def test_console_queue_refreshes_itself(client, centre, services, counters, clerk):
    login_verified(client, clerk)
    base = f"/quay/{centre.code}/can-bo/quay-1/"
    page = client.get(base).content.decode()
    assert 'hx-select="#console-queue"' in page and 'hx-trigger="every 15s"' in page
    svc.take_ticket(services["A"].pk)
    poll = client.get(base, HTTP_HX_REQUEST="true").content.decode()
    assert 'id="console-queue"' in poll and "hx-swap-oob" not in poll  # a poll never clears the status line
