"""Figures: indicator values for a unit and period, from the daily facts or the indicator's own function."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, Sum

from .hooks import indicators as registry
from .indicators import Indicator, Period, ProcedureSums
from .models import MEASURES, DailyFact, MonthlyFact
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


def _next_month(day: dt.date) -> dt.date:
    return (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1)


def split(
    start: dt.date, end: dt.date
) -> tuple[tuple[dt.date, dt.date] | None, list[tuple[dt.date, dt.date]]]:
    """[start, end] as the whole calendar months inside it (first days of the first and last such month,
    for ``MonthlyFact``; None when there is none) and the ranges of days left at either end (for
    ``DailyFact``; both ends included)."""
    first = start if start.day == 1 else _next_month(start)
    last_end = (
        end if _next_month(end) - dt.timedelta(days=1) == end else end.replace(day=1) - dt.timedelta(days=1)
    )
    if first > last_end:
        return None, [(start, end)]
    days = []
    if start < first:
        days.append((start, first - dt.timedelta(days=1)))
    if last_end < end:
        days.append((last_end + dt.timedelta(days=1), end))
    return (first, last_end.replace(day=1)), days


def _summed(where: Q, period: Period, group: tuple[str, ...]) -> dict[tuple, dict[str, int]]:
    """The facts matching ``where`` in ``period`` summed per ``group`` columns: whole months from
    ``MonthlyFact``, the days at either end from ``DailyFact`` (ADR 0182)."""
    months, days = split(period.start, period.end)
    sums = {f"s_{m}": Sum(m) for m in MEASURES}
    queries = []
    if days:
        in_days = Q()
        for lo, hi in days:
            in_days |= Q(day__gte=lo, day__lte=hi)
        queries.append(DailyFact.objects.filter(where, in_days))
    if months is not None:
        queries.append(MonthlyFact.objects.filter(where, month__gte=months[0], month__lte=months[1]))
    out: dict[tuple, dict[str, int]] = {}
    for qs in queries:
        for r in qs.order_by().values(*group).annotate(**sums):
            row = out.setdefault(tuple(r[g] for g in group), dict.fromkeys(MEASURES, 0))
            for m in MEASURES:
                row[m] += r[f"s_{m}"] or 0
    return out


def sums_by_procedure(unit: Unit, period: Period) -> ProcedureSums:
    """The unit's facts in the period summed per procedure (one query per table read)."""
    return {
        key[0]: measures for key, measures in _summed(unit.fact_filter(), period, ("procedure_id",)).items()
    }


def sums_by_agency_procedure(agency_ids, period: Period) -> dict[int, ProcedureSums]:
    """{agency id: {procedure id: measures}} for many agencies at once (a province's ranking)."""
    out: dict[int, ProcedureSums] = defaultdict(dict)
    where = Q(agency_id__in=sorted(agency_ids))
    for (agency, procedure), measures in _summed(where, period, ("agency_id", "procedure_id")).items():
        out[agency][procedure] = measures
    return out


def sums_by_month_procedure(unit: Unit, first: dt.date, last: dt.date) -> dict[dt.date, ProcedureSums]:
    """{first day of a month: {procedure id: measures}} for the whole months from ``first`` to ``last``
    (first days of months), in one query (the trends and the open data series)."""
    out: dict[dt.date, ProcedureSums] = defaultdict(dict)
    rows = (
        MonthlyFact.objects.filter(unit.fact_filter(), month__gte=first, month__lte=last)
        .order_by()
        .values("month", "procedure_id")
        .annotate(**{f"s_{m}": Sum(m) for m in MEASURES})
    )
    for r in rows:
        out[r["month"]][r["procedure_id"]] = {m: r[f"s_{m}"] or 0 for m in MEASURES}
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
