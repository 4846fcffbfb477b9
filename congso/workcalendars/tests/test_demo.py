"""The demo step, after the directory's and the accounts' steps, runs twice and leaves the current week
published and the next one in every state."""

import io

import pytest
from django.utils import timezone

from congso.accounts import demo as accounts_demo
from congso.directory import demo as directory_demo

from .. import demo, selectors
from ..models import Calendar, Status, Version

pytestmark = pytest.mark.django_db


def test_demo_calendars_in_every_state(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    directory_demo.load(io.StringIO())
    accounts_demo.load(io.StringIO())
    logins = demo.load(io.StringIO())
    count = Version.objects.count()
    assert demo.load(io.StringIO()) == [] and Version.objects.count() == count
    assert {u for _label, u, _p in logins} == {"vanthu.tinh", "vanthu.tuphap", "vanthu.pleiku"}
    assert Calendar.objects.count() == 6
    statuses = set(Version.objects.values_list("status", flat=True))
    assert {Status.DRAFT, Status.SUBMITTED, Status.RETURNED, Status.APPROVED} <= statuses
    leader = Calendar.objects.get(leader__username="lanhdao.tinh")
    this = selectors.monday(timezone.localdate())
    assert len(selectors.public_week(leader, this)["items"]) == len(demo.PROVINCE)
    # the unit's calendar lists lanhdao.tinh attending the same work: conflicts are flagged on the draft
    week = leader.weeks.get(start=this)
    assert selectors.conflicts(week.current)
