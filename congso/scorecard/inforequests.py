"""The indicator "information requests answered on time" (Luật Tiếp cận thông tin 2016), registered
here because access to information sits below the scorecard in the layers: it cannot register itself.
Computed by ``inforequests.selectors.stats`` — the one place the counts live — over the scorecard unit's
agencies (an agency with its sub-tree, a commune's agencies, the province's), for the requests received
in the period. A refusal in writing with its ground is an answer under the law (Điều 28), so answered
and refused requests both count; a request still open past its due moment counts as late.
Procedures and fields receive no requests: not computed for them. Imported by ``ScorecardConfig.ready()``
(it reads models through the selectors)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from congso.core import memo
from congso.inforequests import selectors

from . import sources
from .indicators import Indicator

UNIT_KINDS = ("agency", "commune", "province")


def answered_on_time(*, unit, start, end) -> tuple[int, int] | None:
    if unit.kind not in UNIT_KINDS or unit.agency_ids is None:
        return None
    s = memo.cached(
        ("inforequests.stats", unit.kind, unit.code, start, end),
        lambda: selectors.stats(unit.root, start, end, agency_ids=unit.agency_ids),
    )
    return s.closed_on_time, s.closed + s.overdue_open


INFOREQUESTS = (
    Indicator(
        key="inforequests_on_time",
        name=_("Tỷ lệ yêu cầu cung cấp thông tin được trả lời đúng hạn"),
        formula=_(
            "Yêu cầu cung cấp thông tin tiếp nhận trong kỳ đã trả lời (cung cấp hoặc từ chối có lý do) trong "
            "hạn ÷ yêu cầu tiếp nhận trong kỳ đã trả lời hoặc đã quá hạn trả lời"
        ),
        numerator=_("yêu cầu trả lời đúng hạn"),
        denominator=_("yêu cầu đã trả lời hoặc quá hạn"),
        unit_kinds=UNIT_KINDS,
        compute=answered_on_time,
        source="inforequests",
    ),
)


def register() -> None:
    for indicator in INFOREQUESTS:
        sources.register(indicator)
