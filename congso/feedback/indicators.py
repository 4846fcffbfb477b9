"""Feedback's indicators in the scorecard (``scorecard.hooks.indicators``), registered in ``apps.ready``.

They feed the Decision 766 "Mức độ hài lòng" items HL1 (feedback handled on time) and HL2 (satisfaction
with the handling of feedback), from ``selectors.stats`` — the one place the formulas live. A scorecard
agency counts the reports that agency and its sub-tree handle; a commune or the province the reports
about its territory. Procedures and fields have no feedback: not computed for them.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from congso.core import memo
from congso.directory.models import AdministrativeUnit, Agency
from congso.scorecard import sources
from congso.scorecard.indicators import Indicator, stats_ratio

from . import selectors

UNIT_KINDS = ("agency", "commune", "province")
# The Decision 766 items these indicators compute (scorecard.IndexItem.code → indicator key).
INDEX_ITEMS = {"HL1": "feedback_on_time", "HL2": "feedback_satisfaction"}


def _scope(unit):
    if unit.kind == "agency":
        return unit.root or Agency.objects.filter(code=unit.code).first()
    if unit.kind in ("commune", "province"):
        if memo.active():  # a ranking: every unit of the province, looked up once
            return _current_units().get(unit.code)
        return AdministrativeUnit.objects.filter(code=unit.code, valid_to__isnull=True).first()
    return None


def _current_units() -> dict[str, AdministrativeUnit]:
    return memo.cached(
        ("feedback.current_units",),
        lambda: {
            u.code: u
            for u in AdministrativeUnit.objects.filter(valid_to__isnull=True).only("pk", "code", "level")
        },
    )


def _stats(unit, start, end) -> dict | None:
    """One read of ``selectors.stats`` for both indicators while a ``memo.scope`` is open (the
    province's ranking scores HL1 and HL2 for every unit): there, every unit's figures come out of one
    grouped read of the period (``selectors.stats_by_place``)."""

    def load():
        scope = _scope(unit)
        if scope is None:
            return None
        if memo.active():
            rows = memo.cached(
                ("feedback.stats_by_place", start, end), lambda: selectors.stats_by_place(start, end)
            )
            return selectors.stats_from(rows, scope)
        return selectors.stats(scope, start, end)

    return memo.cached(("feedback.stats", unit.kind, unit.code, start, end), load)


def satisfaction(*, unit, start, end) -> tuple[int, int] | None:
    s = _stats(unit, start, end)
    return None if s is None else (s["total"] - s["disliked_or_late"], s["total"])


FEEDBACK = (
    Indicator(
        key="feedback_on_time",
        name=_("Tỷ lệ phản ánh, kiến nghị được xử lý đúng hạn"),
        formula=_(
            "Phản ánh, kiến nghị có trả lời công khai đúng hạn ÷ phản ánh, kiến nghị đã trả lời hoặc đã đến "
            "hạn trả lời (tiếp nhận trong kỳ)"
        ),
        numerator=_("phản ánh trả lời đúng hạn"),
        denominator=_("phản ánh đã trả lời hoặc đến hạn"),
        unit_kinds=UNIT_KINDS,
        compute=stats_ratio(_stats, "on_time", "due"),
        source="feedback",
    ),
    Indicator(
        key="feedback_satisfaction",
        name=_("Mức độ hài lòng về xử lý phản ánh, kiến nghị"),
        formula=_(
            "(Phản ánh, kiến nghị − không hài lòng − quá hạn − phản ánh lại) ÷ phản ánh, kiến nghị "
            "tiếp nhận trong kỳ"
        ),
        numerator=_("phản ánh không bị đánh giá không hài lòng, không quá hạn, không phản ánh lại"),
        denominator=_("phản ánh, kiến nghị tiếp nhận"),
        unit_kinds=UNIT_KINDS,
        compute=satisfaction,
        source="feedback",
    ),
)


def register() -> None:
    for indicator in FEEDBACK:
        sources.register(indicator)
