"""The documents' indicators in the scorecard (``scorecard.hooks.indicators``), registered in ``apps.ready``
and so offered to evaluation frameworks too (``scorecard.<key>``). Computed by ``selectors.stats`` — the
one place the formulas live — over the scorecard unit's agencies (an agency with its sub-tree, a commune's
agencies, the province's). Procedures and fields have no documents: not computed for them."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from congso.core import memo
from congso.scorecard import sources
from congso.scorecard.indicators import Indicator, stats_ratio

from . import selectors

UNIT_KINDS = ("agency", "commune", "province")


def _stats(unit, start, end) -> dict | None:
    """One read of ``selectors.stats`` for the three indicators while a ``memo.scope`` is open."""
    if unit.kind not in UNIT_KINDS or unit.agency_ids is None:
        return None
    return memo.cached(
        ("documents.stats", unit.kind, unit.code, start, end),
        lambda: selectors.stats(unit.root, start, end, agency_ids=unit.agency_ids),
    )


DOCUMENTS = (
    Indicator(
        key="documents_signed_electronic",
        name=_("Tỷ lệ văn bản đi được ký số và gửi điện tử"),
        formula=_(
            "Văn bản đi (trừ văn bản mật) ban hành trong kỳ có ký số và gửi điện tử đến mọi nơi nhận ÷ "
            "văn bản đi (trừ văn bản mật) ban hành trong kỳ"
        ),
        numerator=_("văn bản ký số, gửi điện tử"),
        denominator=_("văn bản đi ban hành"),
        unit_kinds=UNIT_KINDS,
        compute=stats_ratio(_stats, "outgoing_signed_electronic", "outgoing_released"),
        source="documents",
    ),
    Indicator(
        key="documents_incoming_on_time",
        name=_("Tỷ lệ văn bản đến được xử lý đúng hạn"),
        formula=_("Văn bản đến hoàn thành xử lý trong hạn ÷ văn bản đến có hạn xử lý đã hoàn thành trong kỳ"),
        numerator=_("văn bản đến xử lý đúng hạn"),
        denominator=_("văn bản đến có hạn xử lý đã hoàn thành"),
        unit_kinds=UNIT_KINDS,
        compute=stats_ratio(_stats, "incoming_on_time", "incoming_finished"),
        source="documents",
    ),
    Indicator(
        key="documents_tasks_overdue",
        name=_("Tỷ lệ nhiệm vụ được giao bị quá hạn"),
        formula=_(
            "Nhiệm vụ có hạn trong kỳ hoàn thành sau hạn hoặc chưa hoàn thành khi đã quá hạn ÷ nhiệm vụ có "
            "hạn hoàn thành trong kỳ (tỷ lệ càng thấp càng tốt)"
        ),
        numerator=_("nhiệm vụ quá hạn"),
        denominator=_("nhiệm vụ đến hạn trong kỳ"),
        unit_kinds=UNIT_KINDS,
        compute=stats_ratio(_stats, "tasks_late", "tasks_due"),
        source="documents",
        tags=("lower_is_better",),
    ),
)


def register() -> None:
    for indicator in DOCUMENTS:
        sources.register(indicator)
