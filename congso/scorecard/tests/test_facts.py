"""Facts kept in the dossier's transaction: receipt, finish on time or late, fees, ratings."""

import datetime as dt

import pytest
import time_machine

from congso.core.uploads import Upload
from congso.dossiers import services
from congso.dossiers.models import Channel
from congso.dossiers.testing import advance
from congso.dossiers.tests.conftest import pdf, vn
from congso.scorecard import facts, selectors
from congso.scorecard.models import DailyFact, DossierFact

pytestmark = pytest.mark.django_db


def receive(staff, agencies, version, applicant, **kw):
    return services.receive(
        actor=staff["clerk"],
        agency=agencies["ward"],
        procedure_version=version,
        channel=Channel.IN_PERSON,
        applicant=applicant,
        uploads=[Upload("Tờ khai đăng ký khai sinh", pdf(), "to-khai.pdf")],
        accept_now=True,
        **kw,
    )


def finish(staff, pk):
    for who in ("officer", "leader", "leader"):
        advance(pk, actor=staff[who])
    return services.issue_result(
        pk,
        actor=staff["clerical"],
        number="12/GKS",
        title="Giấy khai sinh",
        upload=Upload("KQ", pdf(), "kq.pdf"),
    )


def test_a_dossier_finished_on_time_then_one_late(staff, agencies, procedure_version, applicant):
    with time_machine.travel(vn(2027, 2, 3, 9, 0), tick=False):
        first = receive(staff, agencies, procedure_version, applicant)
        second = receive(staff, agencies, procedure_version, applicant)
        fact = DossierFact.objects.get(dossier_id=first.pk)
        assert fact.received_day == dt.date(2027, 2, 3) and fact.digitised and fact.finished_day is None
        finish(staff, first.pk)
    row = DailyFact.objects.get(day=dt.date(2027, 2, 3), agency=agencies["ward"])
    assert (row.received, row.digitised, row.finished, row.timed, row.on_time, row.e_result) == (
        2,
        2,
        1,
        1,
        1,
        1,
    )
    # The second finishes three weeks later: past its legal due moment, so late.
    with time_machine.travel(vn(2027, 2, 24, 9, 0), tick=False):
        finish(staff, second.pk)
    late_day = DailyFact.objects.get(day=dt.date(2027, 2, 24), agency=agencies["ward"])
    assert (late_day.received, late_day.finished, late_day.timed, late_day.on_time) == (0, 1, 1, 0)
    feb = (dt.date(2027, 2, 1), dt.date(2027, 2, 28))
    assert selectors.indicator_value("on_time", "agency", agencies["ward"].code, *feb) == 50
    assert selectors.indicator_value("digitised", "commune", "23575", *feb) == 100
    assert selectors.indicator_value("satisfaction", "agency", agencies["ward"].code, *feb) is None
    assert facts.snapshot() == facts.expected_snapshot()


def test_higher_apps_register_indicators_and_read_them_by_key(agencies):
    """The registry: an indicator computed by its own app's function; "cannot compute" is None, never 0."""
    from congso.scorecard.hooks import indicators
    from congso.scorecard.indicators import Indicator

    def handled_on_time(*, unit, start, end):
        return (3, 4) if unit.kind == "agency" else None

    indicators.register(
        "test_feedback_on_time",
        Indicator(
            key="test_feedback_on_time",
            name="Phản ánh được xử lý đúng hạn",
            formula="Phản ánh xử lý đúng hạn ÷ phản ánh đã xử lý",
            numerator="phản ánh đúng hạn",
            denominator="phản ánh đã xử lý",
            compute=handled_on_time,
        ),
    )
    try:
        year = (dt.date(2027, 1, 1), dt.date(2027, 12, 31))
        assert (
            selectors.indicator_value("test_feedback_on_time", "agency", agencies["ward"].code, *year) == 75
        )
        assert selectors.indicator_value("test_feedback_on_time", "commune", "23575", *year) is None
        assert selectors.indicator_value("no_such_indicator", "agency", agencies["ward"].code, *year) is None
        assert selectors.indicator_value("on_time", "agency", "KHONG-CO", *year) is None
        listed = {key: kinds for key, _name, kinds in selectors.indicators()}
        assert "test_feedback_on_time" in listed and listed["procedures_paid_online"] == (
            "agency",
            "commune",
            "province",
            "field",
        )
    finally:
        indicators.unregister("test_feedback_on_time")
