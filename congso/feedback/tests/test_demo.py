"""The demo step, after the directory's and the accounts' steps, runs twice and leaves realistic reports
in several communes and states."""

import io

import pytest

from congso.accounts import demo as accounts_demo
from congso.directory import demo as directory_demo

from .. import demo, selectors
from ..models import Report, Status

pytestmark = pytest.mark.django_db


def test_demo_reports_in_several_communes_and_states(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    directory_demo.load(io.StringIO())
    accounts_demo.load(io.StringIO())
    logins = demo.load(io.StringIO())
    count = Report.objects.count()
    assert demo.load(io.StringIO()) == [] and Report.objects.count() == count
    assert {u for _label, u, _p in logins} == {"lanhdao.pleiku", "canbo.phuongpleiku"}
    assert Report.objects.values("unit").distinct().count() == 3
    statuses = set(Report.objects.values_list("status", flat=True))
    assert {
        Status.RECEIVED,
        Status.PROCESSING,
        Status.DRAFTED,
        Status.ANSWERED,
        Status.CLOSED,
        Status.REJECTED,
    } <= statuses
    assert Report.objects.filter(reopened=True).exists()
    assert selectors.public_reports().count() >= 4
