"""The meetings' indicators in the scorecard (``scorecard.hooks.indicators``), registered in ``apps.ready``
and so offered to evaluation frameworks too (``scorecard.<key>``). Computed by ``selectors.stats`` — the
one place the formulas live — over the scorecard unit's agencies (an agency with its sub-tree, a commune's
agencies, the province's), for the meetings that start in the period (Vietnam days, both included).
Procedures and fields hold no meetings: not computed for them."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from congso.core import memo
from congso.scorecard import sources
from congso.scorecard.indicators import Indicator, stats_ratio

from . import selectors

UNIT_KINDS = ("agency", "commune", "province")


def _midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _stats(unit, start, end) -> dict | None:
    """One read of ``selectors.stats`` for the three indicators while a ``memo.scope`` is open."""
    if unit.kind not in UNIT_KINDS or unit.agency_ids is None:
        return None
    return memo.cached(
        ("meetings.stats", unit.kind, unit.code, start, end),
        lambda: selectors.stats(
            sorted(unit.agency_ids), _midnight(start), _midnight(end + dt.timedelta(days=1))
        ),
    )


MEETINGS = (
    Indicator(
        key="meetings_pc_in_system",
        name=_("Tỷ lệ phiên họp Ủy ban nhân dân được tổ chức qua hệ thống họp không giấy"),
        formula=_(
            "Phiên họp thường kỳ của Ủy ban nhân dân đã họp trong kỳ có tài liệu gửi và thành viên điểm danh "
            "trên hệ thống ÷ phiên họp thường kỳ của Ủy ban nhân dân đã họp trong kỳ"
        ),
        numerator=_("phiên họp tổ chức qua hệ thống"),
        denominator=_("phiên họp Ủy ban nhân dân đã họp"),
        unit_kinds=UNIT_KINDS,
        compute=stats_ratio(_stats, "pc_meetings_in_system", "pc_meetings_held"),
        source="meetings",
    ),
    Indicator(
        key="meetings_papers_on_time",
        name=_("Tỷ lệ cuộc họp gửi tài liệu đúng hạn"),
        formula=_(
            "Cuộc họp trong kỳ gửi tài liệu cho thành viên trước hạn gửi ÷ cuộc họp trong kỳ đã đến hạn gửi "
            "tài liệu hoặc đã gửi tài liệu"
        ),
        numerator=_("cuộc họp gửi tài liệu đúng hạn"),
        denominator=_("cuộc họp đến hạn gửi tài liệu"),
        unit_kinds=UNIT_KINDS,
        compute=stats_ratio(_stats, "papers_on_time", "papers_due"),
        source="meetings",
    ),
    Indicator(
        key="meetings_conclusions_on_time",
        name=_("Tỷ lệ kết luận cuộc họp được thực hiện đúng hạn"),
        formula=_(
            "Kết luận đã giao việc của các cuộc họp trong kỳ, đã đến hạn, có nhiệm vụ hoàn thành trong hạn ÷ "
            "kết luận đã giao việc đã đến hạn"
        ),
        numerator=_("kết luận thực hiện đúng hạn"),
        denominator=_("kết luận đã đến hạn"),
        unit_kinds=UNIT_KINDS,
        compute=stats_ratio(_stats, "conclusions_on_time", "conclusions_due"),
        source="meetings",
    ),
)


def register() -> None:
    for indicator in MEETINGS:
        sources.register(indicator)
