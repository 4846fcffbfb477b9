"""The documents' tile on the operations-centre dashboard /dieu-hanh/ (ADR 0170): overdue tasks of the
viewer's agencies, from the same figures as the documents' indicators."""

import datetime as dt

import pytest
from django.utils import timezone

from congso.directory.models import Membership
from congso.documents import services
from congso.documents.models import Task
from congso.scorecard import dashboard, units

pytestmark = pytest.mark.django_db


def _tile(board):
    return {tile.key: value for tile, value in dashboard.tile_values(board)}.get("documents")


def test_overdue_tasks_of_the_viewers_agencies(world):
    u, justice = world.users, world.agencies["justice"]
    late = services.create_task(
        actor=u["leader"],
        agency=justice,
        title="Báo cáo chuyển đổi số quý",
        owner=u["officer"],
        working_days=5,
    )
    services.create_task(
        actor=u["leader"], agency=justice, title="Rà soát quy chế văn thư", owner=u["officer"], working_days=5
    )
    today = timezone.localdate()
    Task.objects.filter(pk=late.pk).update(deadline=today - dt.timedelta(days=3))
    period = units.period("month", today)
    Membership.objects.filter(user=u["leader"]).update(include_subtree=True)
    tile = _tile(dashboard.board_for(u["leader"], period=period))
    assert tile.number == 1 and dict(tile.parts) == {"Nhiệm vụ đang thực hiện": 2}
    assert tile.url == "/van-ban/dieu-hanh/"  # the department's leader may open the documents' dashboard
    # the operations centre sees the province's figure, which holds the department's
    ioc = _tile(dashboard.board_for(world.users["ioc_viewer"], period=period))
    assert ioc.number == 1
    # the leader of another department counts nothing of it
    other = _tile(dashboard.board_for(u["cx_leader"], period=period))
    assert other is None or other.number == 0
