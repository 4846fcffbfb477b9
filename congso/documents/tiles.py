"""The documents' tile on the operations-centre dashboard ``/dieu-hanh/`` (``scorecard.hooks.tiles``,
registered in ``apps.ready``): the assigned tasks of the viewer's agencies that are past their deadline,
with the open tasks and the period's incoming documents handled on time, from ``selectors.stats`` (the
one place the formulas live). The link opens the documents' own dashboard for a viewer allowed there."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from congso.directory.scope import agencies_for
from congso.scorecard.dashboard import Tile, TileValue, percent

from . import selectors
from .permissions import STATS_ROLES


def documents_tile(board) -> TileValue | None:
    agency_ids = board.unit.agency_ids
    if not agency_ids:
        return None
    s = selectors.stats(None, board.period.start, board.period.end, agency_ids=agency_ids)
    detail = _("Văn bản đến xử lý đúng hạn trong kỳ: %(n)s/%(of)s (%(rate)s).") % {
        "n": s["incoming_on_time"],
        "of": s["incoming_finished"],
        "rate": percent(s["incoming_on_time_share"]),
    }
    allowed = agencies_for(board.user, list(STATS_ROLES)).filter(pk__in=sorted(agency_ids)).exists()
    return TileValue(
        str(s["overdue_tasks"]),
        s["overdue_tasks"],
        detail,
        reverse("documents:dashboard") if allowed else "",
        parts=((_("Nhiệm vụ đang thực hiện"), s["open_tasks"]),),
        link=_("Điều hành văn bản, nhiệm vụ"),
    )


TILE = Tile("documents", gettext_lazy("Nhiệm vụ được giao quá hạn"), 76, documents_tile)


def register(registry) -> None:
    registry.register(TILE.key, TILE)
