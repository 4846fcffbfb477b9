"""The monthly sums (ADR 0182): kept by the same statement as the daily ones, and a period read as its
whole months plus the days at either end gives exactly the figures the days alone give."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from congso.dossiers.tests.conftest import vn
from congso.scorecard import facts, metrics, selectors, units
from congso.scorecard.indicators import Period
from congso.scorecard.models import MEASURES, DailyFact, MonthlyFact

from .test_facts import finish, receive

D = dt.date


@pytest.mark.parametrize(
    ("start", "end", "months", "days"),
    [
        # a year: twelve whole months, no day
        (D(2027, 1, 1), D(2027, 12, 31), (D(2027, 1, 1), D(2027, 12, 1)), []),
        # one whole month
        (D(2027, 2, 1), D(2027, 2, 28), (D(2027, 2, 1), D(2027, 2, 1)), []),
        # inside one month: days only
        (D(2027, 2, 3), D(2027, 2, 24), None, [(D(2027, 2, 3), D(2027, 2, 24))]),
        # across a month's end without a whole month: days only
        (D(2027, 1, 15), D(2027, 2, 10), None, [(D(2027, 1, 15), D(2027, 2, 10))]),
        # days, whole months, days
        (
            D(2027, 1, 15),
            D(2027, 4, 10),
            (D(2027, 2, 1), D(2027, 3, 1)),
            [(D(2027, 1, 15), D(2027, 1, 31)), (D(2027, 4, 1), D(2027, 4, 10))],
        ),
        # a leap February's last day closes its month
        (D(2028, 2, 10), D(2028, 2, 29), None, [(D(2028, 2, 10), D(2028, 2, 29))]),
        (D(2028, 1, 20), D(2028, 2, 29), (D(2028, 2, 1), D(2028, 2, 1)), [(D(2028, 1, 20), D(2028, 1, 31))]),
        # one day
        (D(2027, 3, 1), D(2027, 3, 1), None, [(D(2027, 3, 1), D(2027, 3, 1))]),
        # across a year's end
        (D(2026, 12, 1), D(2027, 1, 31), (D(2026, 12, 1), D(2027, 1, 1)), []),
    ],
)
def test_a_period_splits_into_whole_months_and_the_days_left(start, end, months, days):
    assert metrics.split(start, end) == (months, days)


def _from_days(unit, start, end):
    """The reference: the unit's daily facts summed per procedure, without the monthly table."""
    out = {}
    for row in DailyFact.objects.filter(unit.fact_filter(), day__gte=start, day__lte=end):
        sums = out.setdefault(row.procedure_id, dict.fromkeys(MEASURES, 0))
        for m in MEASURES:
            sums[m] += getattr(row, m)
    return out


@pytest.mark.django_db
def test_the_months_are_kept_and_any_period_reads_what_the_days_say(
    staff, agencies, procedure_version, applicant
):
    """Two dossiers received in January, one finished on time in February, the other late in March, and
    a third received and finished on time in March: the monthly
    rows equal the days summed, and every period — whole months, parts of months, across them — gives
    the figures of the days alone."""
    with time_machine.travel(vn(2027, 1, 28, 9, 0), tick=False):
        early = receive(staff, agencies, procedure_version, applicant)
        late = receive(staff, agencies, procedure_version, applicant)
    with time_machine.travel(vn(2027, 2, 2, 9, 0), tick=False):
        finish(staff, early.pk)
    with time_machine.travel(vn(2027, 3, 3, 9, 0), tick=False):
        third = receive(staff, agencies, procedure_version, applicant)
    with time_machine.travel(vn(2027, 3, 5, 9, 0), tick=False):
        finish(staff, late.pk)
        finish(staff, third.pk)
    assert facts.snapshot() == facts.expected_snapshot()
    ward = agencies["ward"]
    jan, feb, mar = (MonthlyFact.objects.get(agency=ward, month=D(2027, m, 1)) for m in (1, 2, 3))
    assert (jan.received, jan.finished) == (2, 0)
    assert (feb.received, feb.finished, feb.on_time) == (0, 1, 1)
    assert (mar.received, mar.finished, mar.timed, mar.on_time) == (1, 2, 2, 1)

    unit = units.resolve("agency", ward.code)
    for start, end in [
        (D(2027, 1, 1), D(2027, 12, 31)),
        (D(2027, 1, 28), D(2027, 3, 4)),
        (D(2027, 1, 29), D(2027, 3, 5)),
        (D(2027, 2, 1), D(2027, 2, 28)),
        (D(2027, 2, 2), D(2027, 2, 2)),
        (D(2027, 3, 3), D(2027, 3, 31)),
        (D(2027, 1, 1), D(2027, 2, 27)),
    ]:
        period = Period(start, end, "custom", "")
        assert metrics.sums_by_procedure(unit, period) == _from_days(unit, start, end), (start, end)
    q1 = (D(2027, 1, 1), D(2027, 3, 31))
    assert selectors.indicator_value("on_time", "agency", ward.code, *q1) == Decimal("66.67")


@pytest.mark.django_db
def test_the_trend_reads_its_months_from_the_monthly_sums(staff, agencies, procedure_version, applicant):
    """The twelve months of a trend (one query of the monthly sums): the month with a dossier counts it,
    the others count nothing."""
    with time_machine.travel(vn(2027, 2, 2, 9, 0), tick=False):
        finish(staff, receive(staff, agencies, procedure_version, applicant).pk)
    unit = units.resolve("agency", agencies["ward"].code)
    series = selectors.monthly_series(unit, 12, today=D(2027, 6, 15))
    assert [row["month"] for row in series][0] == "2026-07"
    february = next(row for row in series if row["month"] == "2027-02")
    assert (february["on_time"].numerator, february["on_time"].denominator) == (1, 1)
    assert all(row["on_time"].denominator == 0 for row in series if row["month"] != "2027-02")


@pytest.mark.django_db
def test_a_rebuild_fills_the_months_from_the_records(staff, agencies, procedure_version, applicant):
    with time_machine.travel(vn(2027, 2, 2, 9, 0), tick=False):
        finish(staff, receive(staff, agencies, procedure_version, applicant).pk)
    kept = facts.snapshot()
    MonthlyFact.objects.all().delete()
    assert facts.snapshot() != facts.expected_snapshot()
    result = facts.rebuild()
    assert result["months"] == 1
    assert facts.snapshot() == kept
