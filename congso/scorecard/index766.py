"""The Decision 766 service index, computed from its items as data (ADR 0149).

Score of an item = max × min(1, ratio ÷ target), or max × ratio without a target. An item the platform
cannot compute (no indicator yet, or one that answers "cannot compute") is left out of the total and
says so; an item with nothing to count in the period (no dossier) is left out the same way, with its
own note. The total is the sum of the items counted, shown with the maximum of those items and the
total brought to 100 points (``score``), which the ranking uses so units with different computable
items compare fairly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from . import metrics
from .indicators import Period, ProcedureSums
from .metrics import Figure
from .models import IndexGroup, IndexItem
from .units import Unit

POINTS = Decimal("0.001")


def q(value: Decimal) -> Decimal:
    return value.quantize(POINTS, rounding=ROUND_HALF_UP)


@dataclass
class ItemScore:
    item: IndexItem
    figure: Figure | None
    points: Decimal | None = None
    note: str = ""

    @property
    def counted(self) -> bool:
        return self.points is not None

    @property
    def lost(self) -> Decimal | None:
        return q(self.item.max_points - self.points) if self.points is not None else None

    @property
    def value(self) -> Decimal | None:
        return self.figure.value if self.figure else None


@dataclass
class GroupScore:
    group: IndexGroup
    items: list[ItemScore] = field(default_factory=list)

    @property
    def max_points(self) -> Decimal:
        return sum((i.item.max_points for i in self.items), Decimal(0))

    @property
    def points(self) -> Decimal:
        return q(sum((i.points for i in self.items if i.counted), Decimal(0)))

    @property
    def counted_max(self) -> Decimal:
        return sum((i.item.max_points for i in self.items if i.counted), Decimal(0))


@dataclass
class IndexScore:
    unit: Unit
    period: Period
    groups: list[GroupScore]

    @property
    def items(self) -> list[ItemScore]:
        return [i for g in self.groups for i in g.items]

    @property
    def total(self) -> Decimal:
        return q(sum((g.points for g in self.groups), Decimal(0)))

    @property
    def counted_max(self) -> Decimal:
        return sum((g.counted_max for g in self.groups), Decimal(0))

    @property
    def max_points(self) -> Decimal:
        return sum((g.max_points for g in self.groups), Decimal(0))

    @property
    def score(self) -> Decimal | None:
        """The total brought to 100 points over the items counted; None when no item could be counted."""
        if not self.counted_max:
            return None
        return q(self.total * 100 / self.counted_max)

    @property
    def not_counted(self) -> list[ItemScore]:
        return [i for i in self.items if not i.counted]


def load_items() -> list[IndexItem]:
    return list(IndexItem.objects.select_related("group").order_by("group__position", "position"))


def item_points(item: IndexItem, numerator: int, denominator: int) -> Decimal:
    """Points for the exact ratio numerator ÷ denominator (not the rounded per cent)."""
    ratio = Decimal(numerator) / Decimal(denominator)
    if item.target:
        return q(item.max_points * min(Decimal(1), ratio * 100 / item.target))
    return q(item.max_points * min(Decimal(1), ratio))


def score_item(item: IndexItem, unit: Unit, period: Period, sums: ProcedureSums | None) -> ItemScore:
    indicator = metrics.get(item.indicator) if item.indicator else None
    if indicator is None:
        return ItemScore(item, None, None, item.note or _("Hệ thống chưa tính được tiêu chí này."))
    fig = metrics.figure(indicator, unit, period, sums)
    if not fig.computable:
        return ItemScore(item, fig, None, item.note or _("Chỉ số chưa tính được cho loại đơn vị này."))
    if not fig.denominator:
        return ItemScore(item, fig, None, _("Không có %(what)s trong kỳ.") % {"what": indicator.denominator})
    return ItemScore(item, fig, item_points(item, fig.numerator, fig.denominator), item.note)


def score(unit: Unit, period: Period, *, items=None, sums: ProcedureSums | None = None) -> IndexScore:
    items = load_items() if items is None else items
    if sums is None:
        sums = metrics.sums_by_procedure(unit, period)
    groups: dict[int, GroupScore] = {}
    for item in items:
        g = groups.setdefault(item.group_id, GroupScore(item.group))
        g.items.append(score_item(item, unit, period, sums))
    return IndexScore(unit, period, list(groups.values()))
