"""Deadlines in working days on the platform's calendar (congso.calendar.engine): the law's limits are
data (TimeLimit rows); weekends, public holidays, an administrator's day off and make-up day, receipt
after office hours, the extension counted from the end of the first period, and calendar days."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from congso.calendar.models import CalendarException
from congso.inforequests import services
from congso.inforequests.models import TimeLimit

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(y, m, d, hh=9, mm=0, ss=0):
    return dt.datetime(y, m, d, hh, mm, ss, tzinfo=VN)


def limit(days, working=True):
    return TimeLimit(code="x", name="x", days=days, working_days=working, legal_basis="test")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("received", "days", "working", "expected"),
    [
        # Mon 2 Mar 2026 + 10 working days: two weekends skipped → Mon 16 Mar at close
        (at(2026, 3, 2), 10, True, at(2026, 3, 16, 17)),
        # received on Saturday: Monday 9 Mar is the receipt day → Mon 23 Mar
        (at(2026, 3, 7, 10), 10, True, at(2026, 3, 23, 17)),
        # received Friday after closing: counts from Monday 9 Mar
        (at(2026, 3, 6, 17, 30), 10, True, at(2026, 3, 23, 17)),
        # the same Friday before closing: Friday is the receipt day
        (at(2026, 3, 6, 16, 59), 10, True, at(2026, 3, 20, 17)),
        # New Year's Day (Fri 1 Jan 2027) is a public holiday: Wed 30 Dec + 3 → Tue 5 Jan
        (at(2026, 12, 30), 3, True, at(2027, 1, 5, 17)),
        # calendar days: the end of the 15th day, weekends counted
        (at(2026, 3, 2), 15, False, at(2026, 3, 17, 23, 59, 59)),
    ],
)
def test_due_after(received, days, working, expected):
    assert services.due_after(received, limit(days, working)) == expected


@pytest.mark.django_db
def test_an_administrators_day_off_and_make_up_day_move_the_deadline():
    CalendarException.objects.create(date=dt.date(2026, 3, 11), kind="day_off", reason="Nghỉ bù")
    CalendarException.objects.create(date=dt.date(2026, 3, 14), kind="working_day", reason="Làm bù")
    # Mon 2 Mar + 10: Wed 11 off, Sat 14 worked → still Mon 16 Mar
    assert services.due_after(at(2026, 3, 2), limit(10)) == at(2026, 3, 16, 17)
    CalendarException.objects.create(date=dt.date(2026, 3, 12), kind="day_off", reason="Nghỉ")
    assert services.due_after(at(2026, 3, 2), limit(10)) == at(2026, 3, 17, 17)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("due", "days", "working", "expected"),
    [
        # the first period ends Mon 16 Mar at close; 15 working days more: Tue 17 Mar is day 1 → Mon 6 Apr
        (at(2026, 3, 16, 17), 15, True, at(2026, 4, 6, 17)),
        # ends Wed 30 Dec 2026: 3 more, over New Year's Day → Tue 5 Jan 2027
        (at(2026, 12, 30, 17), 3, True, at(2027, 1, 5, 17)),
        (at(2026, 3, 16, 17), 15, False, at(2026, 3, 31, 23, 59, 59)),
    ],
)
def test_extension(due, days, working, expected):
    assert services.extended_due(due, limit(days, working)) == expected


@pytest.mark.django_db
def test_the_limits_are_data():
    answer = TimeLimit.objects.get(code=TimeLimit.ANSWER)
    assert (answer.days, answer.working_days) == (10, True)
    TimeLimit.objects.filter(code=TimeLimit.ANSWER).update(days=5)
    assert services.limit(TimeLimit.ANSWER).days == 5
