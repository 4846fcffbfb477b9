"""Feedback's tile on the operations-centre dashboard ``/dieu-hanh/`` (``scorecard.hooks.tiles``,
registered in ``apps.ready``): the reports the viewer's agencies handle — open now, overdue, and the
period's answers given by their deadline. The figures come from ``selectors.tile_counts``; the link
goes to the staff inbox for a viewer who handles feedback. No reporter's identity is shown."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from congso.scorecard.dashboard import Tile, TileValue, percent

from . import selectors


def feedback_tile(board) -> TileValue | None:
    agency_ids = board.unit.agency_ids
    if not agency_ids:
        return None
    c = selectors.tile_counts(agency_ids, board.period.start, board.period.end, board.now)
    rate = percent(selectors.share(c["on_time"], c["answered"]))
    detail = _("Trong kỳ: tiếp nhận %(received)s, trả lời đúng hạn %(on_time)s/%(answered)s (%(rate)s).") % {
        **c,
        "rate": rate,
    }
    handles = selectors.staff_agencies(board.user).filter(pk__in=sorted(agency_ids)).exists()
    return TileValue(
        str(c["open"]),
        c["open"],
        detail,
        reverse("feedback:inbox") if handles else "",
        parts=((_("Quá hạn"), c["overdue"]),),
        link=_("Hộp xử lý phản ánh, kiến nghị"),
    )


TILE = Tile("feedback", gettext_lazy("Phản ánh, kiến nghị đang xử lý"), 75, feedback_tile)


def register(registry) -> None:
    registry.register(TILE.key, TILE)
