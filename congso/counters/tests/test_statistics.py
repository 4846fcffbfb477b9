"""Waiting-time and service-time statistics per service and day."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied

from congso.core.api_testing import assert_matches_schema
from congso.directory.testing import login_verified

from .. import services as svc

pytestmark = pytest.mark.django_db
VN = datetime.timezone(datetime.timedelta(hours=7))


def at(hour, minute):
    return time_machine.travel(datetime.datetime(2026, 11, 20, hour, minute, tzinfo=VN), tick=False)


@pytest.fixture
def morning(services, counters, clerk):
    """A Friday morning at phường Pleiku, minute by minute."""
    with at(7, 30):
        a1 = svc.take_ticket(services["A"].pk)
    with at(7, 35):
        a2 = svc.take_ticket(services["A"].pk)
        b1 = svc.take_ticket(services["B"].pk)
    with at(7, 40):
        svc.call_next(clerk, counters[1].pk)  # A001 waited 10 min
    with at(7, 42):
        svc.act(clerk, a1.pk, "start")
    with at(7, 50):
        svc.act(clerk, a1.pk, "finish")  # served 8 min
        svc.call_next(clerk, counters[2].pk)  # A002 waited 15 min
    with at(7, 56):
        svc.act(clerk, a2.pk, "finish")  # served 6 min (from the call, never "started")
        svc.call_next(clerk, counters[2].pk)  # B001 waited 21 min
    with at(7, 58):
        svc.act(clerk, b1.pk, "no_show")
    with at(8, 0):
        svc.take_ticket(services["A"].pk)  # still waiting
    return {"a1": a1, "a2": a2, "b1": b1}


def test_statistics_per_service(morning, centre, clerk):
    rows = svc.statistics_for(clerk, centre, datetime.date(2026, 11, 20))
    by_prefix = {r["service"].prefix if r["service"] else "*": r for r in rows}
    a, b, total = by_prefix["A"], by_prefix["B"], by_prefix["*"]
    assert (a["taken"], a["waiting"], a["done"], a["no_show"]) == (3, 1, 2, 0)
    assert a["wait"] == {"avg": 12.5, "median": 12.5, "max": 15.0}
    assert a["service_time"] == {"avg": 7.0, "median": 7.0, "max": 8.0}
    assert (b["taken"], b["no_show"], b["done"]) == (1, 1, 0)
    assert b["wait"]["max"] == 21.0 and b["service_time"]["avg"] is None
    assert by_prefix["U"]["taken"] == 0 and by_prefix["U"]["wait"]["avg"] is None
    assert total["taken"] == 4 and total["done"] == 2
    assert total["wait"] == {"avg": 15.3, "median": 15.0, "max": 21.0}


def test_other_days_are_separate(morning, centre, clerk):
    rows = svc.statistics_for(clerk, centre, datetime.date(2026, 11, 19))
    assert rows[-1]["taken"] == 0 and rows[-1]["wait"]["avg"] is None


def test_estimate_uses_todays_measured_service_time(services, counters, clerk):
    """With three or more finished tickets today, the estimate uses their average, not the default."""
    for i in range(3):
        with at(8, 10 * i):
            t = svc.take_ticket(services["B"].pk)
            svc.call_next(clerk, counters[2].pk)
        with at(8, 10 * i + 4):
            svc.act(clerk, t.pk, "finish")  # 4 minutes each; the default for B is 15
    with at(8, 40):
        svc.take_ticket(services["B"].pk)
        waiting = svc.take_ticket(services["B"].pk)
        pos = svc.position(waiting)
    assert pos.minutes_per_ticket == 4.0 and pos.ahead == 1 and pos.estimate_minutes == 4


def test_statistics_need_permission(morning, centre, citizen, other_clerk, agency_admin):
    for user in (citizen, other_clerk, None):
        with pytest.raises(PermissionDenied):
            svc.statistics_for(user, centre, datetime.date(2026, 11, 20))
    assert svc.statistics_for(agency_admin, centre, datetime.date(2026, 11, 20))[-1]["taken"] == 4


def test_statistics_page(morning, centre, clerk, client):
    login_verified(client, clerk)
    html = client.get(f"/quay/{centre.code}/thong-ke/?ngay=2026-11-20").content.decode()
    assert "Hộ tịch – chứng thực" in html and "12,5" in html  # Vietnamese decimal comma
    bad = client.get(f"/quay/{centre.code}/thong-ke/?ngay=20-11-2026")
    assert bad.status_code == 400 and "Ngày không hợp lệ" in bad.content.decode()


def test_statistics_api_answer_matches_the_published_schema(morning, centre, clerk, client):
    """Issue 15: the document described the counters' statistics with the ratings' StatsRow."""
    login_verified(client, clerk)
    response = client.get(f"/api/v1/counters/centres/{centre.code}/statistics", {"day": "2026-11-20"})
    body = assert_matches_schema(response)
    assert response.status_code == 200
    a = next(row for row in body if row["service_prefix"] == "A")
    assert (a["taken"], a["waiting"], a["done"]) == (3, 1, 2)
    bad = client.get(f"/api/v1/counters/centres/{centre.code}/statistics", {"day": "20-11-2026"})
    assert bad.status_code in (400, 422)
    assert_matches_schema(bad)
