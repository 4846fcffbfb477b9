"""The integration platform's tile on the operations-centre dashboard /dieu-hanh/ (ADR 0170): the
outbox's state, its waiting deliveries and dead letters; the health page linked only for those who run
the platform."""

import pytest

from congso.directory.models import Membership, Role
from congso.integration import outbox
from congso.integration.models import Delivery
from congso.scorecard import dashboard, units

from .helpers import subscriber

pytestmark = pytest.mark.django_db


def _tile(board):
    return {tile.key: value for tile, value in dashboard.tile_values(board)}["integration"]


def test_the_tile_shows_the_outbox_health(sysadmin, agencies, staff):
    leader = staff["leader"]
    period = units.period("month", None)
    tile = _tile(dashboard.board_for(leader, period=period))
    assert tile.value == "Bình thường" and dict(tile.parts) == {"Đang chờ gửi": 0, "Gửi lỗi (thư hồi)": 0}
    assert tile.url == ""  # a leader does not run the platform
    subscriber("https://lgsp.gialai.gov.vn/hooks")
    outbox.publish("procedure.changed", "procedure", "1.001193", {})
    Delivery.objects.update(status=Delivery.Status.DEAD)
    tile = _tile(dashboard.board_for(leader, period=period))
    assert tile.value == "Cần chú ý" and dict(tile.parts)["Gửi lỗi (thư hồi)"] == 1
    Membership.objects.create(user=sysadmin, agency=agencies["ward"], role=Role.LEADER)
    assert _tile(dashboard.board_for(sysadmin, period=period)).url == "/tich-hop/"
