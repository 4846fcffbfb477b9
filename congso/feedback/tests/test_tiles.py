"""Feedback's tile on the operations-centre dashboard /dieu-hanh/ (scorecard.hooks.tiles, ADR 0170):
the reports the viewer's agencies handle, open and overdue, and the period's answers on time."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from congso.directory.models import Membership
from congso.directory.testing import TWO_TIER, login_verified
from congso.scorecard import dashboard, units

from .. import services
from .conftest import pothole

VN = ZoneInfo("Asia/Ho_Chi_Minh")
MARCH = units.period("month", dt.date(2027, 3, 1))

pytestmark = pytest.mark.django_db


def _march(world):
    """Two reports to the ward in March 2027: one answered on time, one left open."""
    u = world.users
    with time_machine.travel(dt.datetime(2027, 3, 1, 9, 0, tzinfo=VN), tick=True):
        answered = services.submit(pothole(world), actor=u["citizen"], ip="10.0.4.1")
        services.submit(pothole(world, title="Đèn đường hỏng ở ngã tư"), actor=u["elder"], ip="10.0.4.2")
        services.act(answered.code, "accept", actor=u["ward_officer"])
        services.act(answered.code, "draft", actor=u["ward_officer"], note="Đã vá xong ổ gà.")
        services.act(answered.code, "approve", actor=u["ward_leader"])


def _tile(board):
    return {tile.key: value for tile, value in dashboard.tile_values(board)}.get("feedback")


def test_the_tile_counts_the_handled_reports(world):
    _march(world)
    leader = world.users["ward_leader"]
    Membership.objects.filter(user=leader).update(include_subtree=True)
    now = dt.datetime(2027, 3, 5, 9, 0, tzinfo=VN)
    tile = _tile(dashboard.board_for(leader, period=MARCH, now=now))
    assert tile.number == 1  # one open
    assert dict(tile.parts) == {"Quá hạn": 0}
    assert "tiếp nhận 2" in tile.detail and "1/1" in tile.detail
    assert tile.url == "/phan-anh/xu-ly/"  # the leader handles the ward's reports
    later = _tile(dashboard.board_for(leader, period=MARCH, now=dt.datetime(2027, 4, 30, 9, 0, tzinfo=VN)))
    assert dict(later.parts) == {"Quá hạn": 1}


def test_the_operations_centre_sees_the_figures_but_no_inbox_link(world, client):
    _march(world)
    ioc = world.users["ioc_viewer"]
    tile = _tile(dashboard.board_for(ioc, period=MARCH, now=dt.datetime(2027, 3, 5, 9, 0, tzinfo=VN)))
    assert tile.number == 1 and tile.url == ""
    login_verified(client, ioc)
    page = client.get("/dieu-hanh/?ky=month&ngay=2027-03-01").content.decode()
    assert "Phản ánh, kiến nghị đang xử lý" in page
    assert "Nguyễn Văn An" not in page  # no reporter's identity on the dashboard
    api = client.get("/api/v1/scorecards/dashboard?period=month&at=2027-03-01").json()
    assert "feedback" in [t["key"] for t in api["tiles"]]


def test_a_viewer_of_another_agency_counts_nothing_of_the_ward(world):
    _march(world)
    leader = world.users["dept_leader"]
    Membership.objects.filter(user=leader).update(include_subtree=True, valid_from=TWO_TIER)
    tile = _tile(dashboard.board_for(leader, period=MARCH, now=dt.datetime(2027, 3, 5, 9, 0, tzinfo=VN)))
    assert tile.number == 0 and "tiếp nhận 0" in tile.detail
