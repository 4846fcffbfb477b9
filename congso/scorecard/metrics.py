"""Figures: indicator values for a unit and period, from the daily facts or the indicator's own function."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum

from .hooks import indicators as registry
from .indicators import Indicator, Period, ProcedureSums
from .models import MEASURES, DailyFact
from .units import Unit


@dataclass(frozen=True)
class Figure:
    indicator: Indicator
    numerator: int | None
    denominator: int | None
    computable: bool  # False: the platform cannot compute it here (not the same as "no dossiers")

    @property
    def value(self) -> Decimal | None:
        """Per cent with two decimals; None when it cannot be computed or there is nothing to count."""
        if not self.computable or not self.denominator:
            return None
        return self.indicator.ratio(self.numerator, self.denominator)


def sums_by_procedure(unit: Unit, period: Period) -> ProcedureSums:
    """The unit's daily facts in the period summed per procedure (one query)."""
    rows = (
        DailyFact.objects.filter(unit.fact_filter(), day__gte=period.start, day__lte=period.end)
        .order_by()
        .values("procedure_id")
        .annotate(**{f"s_{m}": Sum(m) for m in MEASURES})
    )
    return {r["procedure_id"]: {m: r[f"s_{m}"] or 0 for m in MEASURES} for r in rows}


def sums_by_agency_procedure(agency_ids, period: Period) -> dict[int, ProcedureSums]:
    """{agency id: {procedure id: measures}} for many agencies at once (a province's ranking)."""
    out: dict[int, ProcedureSums] = defaultdict(dict)
    rows = (
        DailyFact.objects.filter(agency_id__in=sorted(agency_ids), day__gte=period.start, day__lte=period.end)
        .order_by()
        .values("agency_id", "procedure_id")
        .annotate(**{f"s_{m}": Sum(m) for m in MEASURES})
    )
    for r in rows:
        out[r["agency_id"]][r["procedure_id"]] = {m: r[f"s_{m}"] or 0 for m in MEASURES}
    return out


def merge(parts) -> ProcedureSums:
    """Sum several agencies' {procedure: measures} into one unit's."""
    total: dict[int, dict[str, int]] = {}
    for sums in parts:
        for procedure, measures in sums.items():
            row = total.setdefault(procedure, dict.fromkeys(MEASURES, 0))
            for m, n in measures.items():
                row[m] += n
    return total


def figure(indicator: Indicator, unit: Unit, period: Period, sums: ProcedureSums | None = None) -> Figure:
    """``indicator`` for ``unit`` over ``period``; ``sums`` may be given when already read."""
    if unit.kind not in indicator.unit_kinds:
        return Figure(indicator, None, None, computable=False)
    if indicator.facts is not None:
        if sums is None:
            sums = sums_by_procedure(unit, period)
        numerator, denominator = indicator.facts(sums)
        return Figure(indicator, numerator, denominator, computable=True)
    if indicator.compute is not None:
        answer = indicator.compute(unit=unit, start=period.start, end=period.end)
        if answer is None:
            return Figure(indicator, None, None, computable=False)
        return Figure(indicator, answer[0], answer[1], computable=True)
    return Figure(indicator, None, None, computable=False)


def get(key: str) -> Indicator | None:
    return registry[key] if key in registry else None


def all_indicators() -> list[Indicator]:
    return list(registry)
