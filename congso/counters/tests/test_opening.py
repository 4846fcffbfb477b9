"""The kiosk announces office hours and days off, and no number is issued outside them (issue 14)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from congso.counters import services as queue
from congso.counters.models import Ticket

pytestmark = pytest.mark.django_db

VN = ZoneInfo("Asia/Ho_Chi_Minh")
SUNDAY = dt.datetime(2026, 12, 6, 9, 0, tzinfo=VN)
MONDAY_MORNING = dt.datetime(2026, 12, 7, 9, 0, tzinfo=VN)
MONDAY_EVENING = dt.datetime(2026, 12, 7, 18, 30, tzinfo=VN)
NEW_YEAR = dt.datetime(2027, 1, 1, 9, 0, tzinfo=VN)  # a Friday, Tết Dương lịch


@pytest.fixture(autouse=True)
def _office_hours(settings):
    settings.CONGSO_QUEUE_OFFICE_HOURS_ONLY = True


def test_the_centre_is_open_in_office_hours_of_a_working_day(centre):
    assert queue.opening(centre, MONDAY_MORNING).is_open


def test_on_a_sunday_it_says_when_it_opens_again(centre):
    state = queue.opening(centre, SUNDAY)
    assert not state.is_open
    assert "Chủ nhật, 06/12/2026" in state.message
    assert "thứ Hai, 07/12/2026" in state.message
    assert state.next_opening.astimezone(VN).date() == dt.date(2026, 12, 7)


def test_after_hours_and_on_a_holiday_it_is_closed(centre):
    evening = queue.opening(centre, MONDAY_EVENING)
    assert not evening.is_open and "hết giờ làm việc" in evening.message
    assert "08/12/2026" in evening.message
    holiday = queue.opening(centre, NEW_YEAR)
    assert not holiday.is_open and "ngày nghỉ" in holiday.message


def test_the_service_refuses_a_number_on_a_sunday_and_issues_one_on_monday(centre, services):
    service_id = services["A"].pk
    with time_machine.travel(SUNDAY, tick=False):
        with pytest.raises(queue.QueueError) as refused:
            queue.take_ticket(service_id)
        assert refused.value.code == "closed" and refused.value.status == 409
    assert not Ticket.objects.exists()
    with time_machine.travel(MONDAY_MORNING, tick=False):
        assert queue.take_ticket(service_id).code


def test_the_kiosk_shows_the_hours_and_no_buttons_on_a_sunday(client, centre, services):
    url = reverse("counters:kiosk", kwargs={"code": centre.code})
    with time_machine.travel(SUNDAY, tick=False):
        page = client.get(url).content.decode()
        assert 'id="kiosk-closed"' in page and "Mời quay lại từ" in page
        assert "Giờ làm việc:" in page
        assert 'name="service"' not in page
        refused = client.post(url, {"service": services["A"].pk})
        assert refused.status_code == 400 and "ngày nghỉ" in refused.content.decode()
    assert not Ticket.objects.exists()
    with time_machine.travel(MONDAY_MORNING, tick=False):
        page = client.get(url).content.decode()
        assert 'id="kiosk-closed"' not in page and 'name="service"' in page
