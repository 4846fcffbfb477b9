"""Statistics per agency and period: counts, percentages, the Decision 766 satisfaction rate."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from congso.accounts.models import User
from congso.dossiers.services import Applicant
from congso.dossiers.tests.conftest import vn
from congso.ratings import services, stats

from .conftest import file_and_finish

pytestmark = pytest.mark.django_db


@pytest.fixture
def rated(staff, agencies, procedure_version, answers):
    """Four ratings in March 2027 at the ward (3 satisfied, 1 dissatisfied), one in April."""
    verdicts = [
        ("satisfied", "1", vn(2027, 3, 2, 9)),
        ("satisfied", "2", vn(2027, 3, 10, 9)),
        ("satisfied", "1", vn(2027, 3, 31, 16)),
        ("dissatisfied", "3+", vn(2027, 3, 15, 9)),
        ("normal", "1", vn(2027, 4, 1, 9)),
    ]
    for i, (overall, contacts, when) in enumerate(verdicts):
        user = User.objects.create_user(f"cd.{i}", password="x", full_name=f"Công dân {i}", kind="citizen")
        d = file_and_finish(staff, agencies, procedure_version, Applicant(name=f"Công dân {i}", user=user))
        with time_machine.travel(when, tick=False):
            services.rate(d, actor=user, answers={**answers, "overall": overall, "contacts": contacts})


def test_summary_for_a_month(rated, agencies):
    (row,) = stats.summary([agencies["ward"]], dt.date(2027, 3, 1), dt.date(2027, 3, 31))
    assert row["agency"] == agencies["ward"] and row["total"] == 4
    overall = row["overall"]["answers"]
    assert (overall["satisfied"]["count"], overall["satisfied"]["percent"]) == (3, Decimal("75.00"))
    assert (overall["normal"]["count"], overall["dissatisfied"]["count"]) == (0, 1)
    assert row["satisfaction_rate"] == Decimal("75.00")
    contacts = row["contacts"]
    assert [contacts["answers"][k]["count"] for k in ("1", "2", "3+")] == [2, 1, 1]
    assert contacts["favourable_percent"] == Decimal("50.00")
    assert row["fees"]["favourable"] == 4  # "none" counts as favourable
    assert row["on_time"]["answers"]["yes"]["percent"] == Decimal("100.00")


def test_other_agencies_and_periods(rated, agencies):
    ward, other = stats.summary(
        [agencies["ward"], agencies["other"]], dt.date(2027, 4, 1), dt.date(2027, 4, 30)
    )
    assert ward["total"] == 1 and ward["overall"]["answers"]["normal"]["count"] == 1
    assert other["total"] == 0 and other["satisfaction_rate"] is None
    assert other["overall"]["answers"]["satisfied"]["percent"] is None


def test_by_processing_agency_and_subtree(rated, agencies, units):
    (row,) = stats.summary([agencies["justice"]], dt.date(2027, 1, 1), dt.date(2027, 12, 31), by="processing")
    assert row["total"] == 0
    agencies["ward"].parent = agencies["justice"]  # any parent will do to test the sub-tree
    agencies["ward"].save()
    (row,) = stats.summary(
        [agencies["justice"]], dt.date(2027, 1, 1), dt.date(2027, 12, 31), include_subtree=True
    )
    assert row["total"] == 5
