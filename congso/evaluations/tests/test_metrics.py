"""The platform metrics this app registers (``hooks.metric_sources``), on real dossiers and ratings."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from congso.dossiers.tests.conftest import *  # noqa: F403
from congso.evaluations import hooks, metrics
from congso.ratings import services as rating_services
from congso.ratings.tests.conftest import answers, file_and_finish  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _year():
    now = timezone.now()
    return now - dt.timedelta(days=30), now + dt.timedelta(days=1)


def test_sources_are_registered_by_key():
    assert hooks.source("dossiers.on_time_rate") is metrics.ON_TIME_RATE
    assert hooks.source("ratings.satisfaction_rate") is metrics.SATISFACTION_RATE
    assert ("dossiers.online_share", "Tỷ lệ hồ sơ nộp trực tuyến (%)") in hooks.choices()
    assert hooks.source("khong.co") is None


def test_on_time_online_and_satisfaction_from_the_records(
    staff,
    agencies,
    procedure_version,
    applicant,
    citizen,
    answers,  # noqa: F811 — the ratings fixture
):
    start, end = _year()
    ward = agencies["ward"].code
    assert metrics.ON_TIME_RATE.value("agency", ward, start, end) is None  # no dossier: no number
    assert metrics.SATISFACTION_RATE.value("agency", ward, start, end) is None
    dossier = file_and_finish(staff, agencies, procedure_version, applicant)
    assert metrics.ON_TIME_RATE.value("agency", ward, start, end) == Decimal("100.00")
    assert metrics.ONLINE_SHARE.value("agency", ward, start, end) == Decimal("0.00")  # filed at the counter
    rating_services.rate(dossier, actor=citizen, answers=answers)
    assert metrics.SATISFACTION_RATE.value("agency", ward, start, end) == Decimal("100.00")
    answers_bad = {**answers, "overall": "dissatisfied"}
    other = file_and_finish(staff, agencies, procedure_version, applicant)
    rating_services.rate(other, actor=citizen, answers=answers_bad)
    assert metrics.SATISFACTION_RATE.value("agency", ward, start, end) == Decimal("50.00")
    assert metrics.ON_TIME_RATE.value("agency", "KHONG.CO", start, end) is None
