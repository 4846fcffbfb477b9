"""The integration platform's tile on the operations-centre dashboard ``/dieu-hanh/``
(``scorecard.hooks.tiles``, registered in ``apps.ready``): whether the outbox keeps up — its state, the
deliveries waiting, the dead letters and the lag (``selectors.health``, the figures of the health page
and Prometheus). Platform-wide and without personal data; the link to the health page is given only to
those who may run the platform (``integration.view``)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from congso.core.permissions import can
from congso.scorecard.dashboard import Tile, TileValue

from . import selectors

STATES = {
    "ok": gettext_lazy("Bình thường"),
    "warning": gettext_lazy("Cần chú ý"),
    "problem": gettext_lazy("Có sự cố"),
}


def integration_tile(board) -> TileValue:
    h = selectors.health(board.now)
    detail = _("Độ trễ %(minutes)s phút; %(hour)s lần gửi trong giờ qua, %(failed)s lần lỗi.") % {
        "minutes": int(h.lag_seconds // 60),
        "hour": h.attempts_hour,
        "failed": h.failed_attempts_hour,
    }
    return TileValue(
        str(STATES[h.state]),
        None,
        detail,
        reverse("integration:health") if can(board.user, "integration.view") else "",
        parts=((_("Đang chờ gửi"), h.pending), (_("Gửi lỗi (thư hồi)"), h.dead)),
        link=_("Tình trạng tích hợp"),
    )


TILE = Tile("integration", gettext_lazy("Tích hợp, liên thông dữ liệu"), 90, integration_tile)


def register(registry) -> None:
    registry.register(TILE.key, TILE)
