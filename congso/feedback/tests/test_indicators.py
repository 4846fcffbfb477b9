"""Feedback's scorecard indicators on real reports: Decision 766 items HL1 and HL2 are computed."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine

from congso.evaluations import hooks as evaluation_hooks
from congso.scorecard import index766, selectors, units
from congso.scorecard.indicators import Period
from congso.scorecard.models import IndexItem

from .. import services
from .conftest import pothole

VN = ZoneInfo("Asia/Ho_Chi_Minh")
MARCH = (dt.date(2027, 3, 1), dt.date(2027, 3, 31))

pytestmark = pytest.mark.django_db


def _reports(world):
    """Three reports about phường Pleiku in March 2027: one answered on time and rated satisfied, one
    answered on time and rated unsatisfied twice (re-complained, then closed), one never answered."""
    u = world.users
    with time_machine.travel(dt.datetime(2027, 3, 1, 9, 0, tzinfo=VN), tick=True):
        good = services.submit(pothole(world), actor=u["citizen"], ip="10.0.3.1")
        bad = services.submit(
            pothole(world, category="moi-truong", title="Rác thải ùn ứ ở chợ Pleiku"),
            actor=u["elder"],
            ip="10.0.3.2",
        )
        services.submit(pothole(world, title="Đèn đường hỏng ở ngã tư"), actor=u["citizen"], ip="10.0.3.3")
        for r in (good, bad):
            services.act(r.code, "accept", actor=u["ward_officer"])
            services.act(r.code, "draft", actor=u["ward_officer"], note="Đã xử lý xong, mời kiểm tra.")
            services.act(r.code, "approve", actor=u["ward_leader"])
        services.rate(good.code, actor=u["citizen"], rating="satisfied")
        services.rate(bad.code, actor=u["elder"], rating="unsatisfied")
        services.act(bad.code, "draft", actor=u["ward_officer"], note="Đã thu gom lại toàn bộ khu vực chợ.")
        services.act(bad.code, "approve", actor=u["ward_leader"])


def test_hl1_and_hl2_are_computed_from_the_reports(world):
    _reports(world)
    assert dict(IndexItem.objects.filter(code__in=("HL1", "HL2")).values_list("code", "indicator")) == {
        "HL1": "feedback_on_time",
        "HL2": "feedback_satisfaction",
    }
    ward = world.agencies["pleiku_pc"].code
    with time_machine.travel(dt.datetime(2027, 3, 10, 9, 0, tzinfo=VN), tick=False):
        # two answered on time, the third not due yet; one of three disliked / re-complained
        assert selectors.indicator_value("feedback_on_time", "agency", ward, *MARCH) == 100
        assert selectors.indicator_value("feedback_satisfaction", "agency", ward, *MARCH) == Decimal("66.67")
        pleiku = world.units["pleiku"].code
        assert selectors.indicator_value("feedback_satisfaction", "commune", pleiku, *MARCH) == Decimal(
            "66.67"
        )
    with time_machine.travel(dt.datetime(2027, 5, 10, 9, 0, tzinfo=VN), tick=False):
        # the third is overdue now: on time 2 of 3, satisfied 1 of 3
        assert selectors.indicator_value("feedback_on_time", "agency", ward, *MARCH) == Decimal("66.67")
        assert selectors.indicator_value("feedback_satisfaction", "agency", ward, *MARCH) == Decimal("33.33")
        province = world.units["province"].code
        assert selectors.indicator_value("feedback_on_time", "province", province, *MARCH) == Decimal("66.67")
        unit = units.resolve("agency", ward)
        score = index766.score(unit, Period(*MARCH, "month", "03/2027"))
        items = {i.item.code: i for i in score.items}
        assert items["HL1"].counted and items["HL1"].points == Decimal("4.000")  # 6 × 2/3
        assert items["HL2"].counted and items["HL2"].points == Decimal("2.000")  # 6 × 1/3
        # the province's board (one read of the feedback figures per unit)
        whole, _rows = selectors.province_board(world.units["province"], Period(*MARCH, "month", "03/2027"))
        board = {i.item.code: i for i in whole.items}
        assert board["HL1"].points == Decimal("4.000") and board["HL2"].points == Decimal("2.000")
        # the same figures reach evaluation frameworks
        tz = VN
        start, end = dt.datetime(2027, 3, 1, tzinfo=tz), dt.datetime(2027, 4, 1, tzinfo=tz)
        source = evaluation_hooks.source("scorecard.feedback_on_time")
        assert source.value("agency", ward, start, end) == Decimal("66.67")


def test_nothing_to_count_and_units_without_feedback(world):
    ward = world.agencies["pleiku_pc"].code
    assert selectors.indicator_value("feedback_on_time", "agency", ward, *MARCH) is None
    unit = units.resolve("agency", ward)
    items = {i.item.code: i for i in index766.score(unit, Period(*MARCH, "month", "03/2027")).items}
    assert not items["HL1"].counted and "Không có" in items["HL1"].note
    listed = {key: kinds for key, _name, kinds in selectors.indicators()}
    assert listed["feedback_satisfaction"] == ("agency", "commune", "province")


def test_one_grouped_read_gives_every_scope_the_figures_of_its_own_read(world):
    """A ranking reads the period once (``stats_by_place``) and picks each unit's figures out of it
    (``stats_from``): for every agency, commune and the province they equal ``stats`` for that scope."""
    from .. import selectors as feedback

    _reports(world)
    scopes = [*world.agencies.values(), *world.units.values()]
    with time_machine.travel(dt.datetime(2027, 5, 10, 9, 0, tzinfo=VN), tick=False):
        rows = feedback.stats_by_place(*MARCH)
        assert sum(r["total"] for r in rows) == 3
        for scope in scopes:
            assert feedback.stats_from(rows, scope) == feedback.stats(scope, *MARCH), scope
        assert feedback.stats_from(rows, world.agencies["pleiku_pc"])["total"] == 3
        assert feedback.stats_from(rows, world.agencies["construction"])["total"] == 0
        # inside a read-only scope (the province's board), every unit of the ranking from that one read
        board = selectors.province_board(world.units["province"], Period(*MARCH, "month", "03/2027"))[1]
        alone = {
            r.score.unit.code: index766.score(r.score.unit, Period(*MARCH, "month", "03/2027")) for r in board
        }
        for r in board:
            mine = {i.item.code: i.points for i in r.score.items if i.item.code in ("HL1", "HL2")}
            assert mine == {
                i.item.code: i.points for i in alone[r.score.unit.code].items if i.item.code in ("HL1", "HL2")
            }
