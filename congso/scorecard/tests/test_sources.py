"""The scorecard's indicators as evaluation metric sources: one implementation, the same figure."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from congso.evaluations import hooks as evaluation_hooks
from congso.evaluations import selectors as evaluation_selectors
from congso.evaluations.models import Criterion
from congso.scorecard import selectors, sources
from congso.scorecard.hooks import indicators
from congso.scorecard.indicators import Indicator

from .helpers import february, make_late

pytestmark = pytest.mark.django_db


def test_every_indicator_is_offered_and_the_duplicates_are_gone():
    keys = dict(evaluation_hooks.metric_sources.items())
    for indicator in indicators:
        assert sources.metric_key(indicator.key) in keys
    for old in ("dossiers.on_time_rate", "dossiers.online_share", "ratings.satisfaction_rate"):
        assert evaluation_hooks.source(old) is None
    assert ("scorecard.on_time", "Tỷ lệ hồ sơ giải quyết đúng hạn") in evaluation_hooks.choices()


def test_a_rounds_metric_value_is_the_scorecards_figure(staff, agencies, procedure_version, applicant):
    _done, open_one = february(staff, agencies, procedure_version, applicant)
    make_late(staff, open_one)  # two on time, one late: 66.67 %
    ward = agencies["ward"]
    year = (dt.date(2027, 1, 1), dt.date(2027, 12, 31))
    for key in ("on_time", "online_filing", "digitised", "e_result"):
        criterion = Criterion(metric_key=sources.metric_key(key))
        figure = selectors.indicator_value(key, "agency", ward.code, *year)
        assert figure is not None
        if key == "on_time":
            assert figure == Decimal("66.67")
        assert evaluation_selectors.metric_value(criterion, ward, 2027) == figure.quantize(Decimal("0.001"))
    # nothing to count is None for both, never 0
    assert (
        evaluation_selectors.metric_value(Criterion(metric_key="scorecard.satisfaction"), ward, 2027) is None
    )
    assert evaluation_selectors.metric_value(Criterion(metric_key="scorecard.on_time"), ward, 2026) is None


def test_the_period_is_converted_to_vietnam_days(staff, agencies, procedure_version, applicant):
    """evaluations' [start, end) in local time ends on the last day it includes, not the next one."""
    february(staff, agencies, procedure_version, applicant)  # received 3 February 2027
    tz = timezone.get_current_timezone()
    source = evaluation_hooks.source("scorecard.online_filing")
    code = agencies["ward"].code
    feb3 = dt.datetime(2027, 2, 3, tzinfo=tz)
    assert source.value("agency", code, feb3, feb3 + dt.timedelta(days=1)) == Decimal("0.00")
    assert source.value("agency", code, feb3 + dt.timedelta(days=1), feb3 + dt.timedelta(days=2)) is None
    assert source.value("agency", code, feb3 - dt.timedelta(days=1), feb3) is None  # end excluded
    assert source.value("thon", code, feb3, feb3 + dt.timedelta(days=1)) is None
    assert source.value("agency", "KHONG-CO", feb3, feb3 + dt.timedelta(days=1)) is None


def test_a_higher_apps_indicator_registered_later_is_offered_too(agencies):
    indicator = Indicator(
        key="test_later",
        name="Chỉ số thử nghiệm",
        formula="a ÷ b",
        numerator="a",
        denominator="b",
        compute=lambda *, unit, start, end: (1, 4),
    )
    sources.register(indicator)
    try:
        tz = timezone.get_current_timezone()
        start, end = dt.datetime(2027, 1, 1, tzinfo=tz), dt.datetime(2028, 1, 1, tzinfo=tz)
        source = evaluation_hooks.source("scorecard.test_later")
        assert source.label == "Chỉ số thử nghiệm"
        assert source.value("agency", agencies["ward"].code, start, end) == Decimal("25.00")
    finally:
        indicators.unregister("test_later")
        evaluation_hooks.metric_sources.unregister("scorecard.test_later")
