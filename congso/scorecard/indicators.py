"""What an indicator is (ADR 0148): declared once, in code, registered in ``hooks.indicators``.

An indicator answers a ratio ``numerator / denominator`` for a unit and a range of days, or None when
it cannot be computed there (no denominator, or the data does not exist on the platform yet). It is
either computed from the daily fact table (``facts``: a function of the unit's sums per procedure,
which lets a province's ranking compute every unit from one query) or by its own function
(``compute``), which a higher app provides for its own records.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q

# The kinds of unit an indicator may be computed for.
UNIT_KINDS = ("agency", "commune", "province", "procedure", "field")

# {procedure id: {measure: count}} for one unit and period (see facts.sums_by_procedure).
ProcedureSums = dict[int, dict[str, int]]


@dataclass(frozen=True)
class Drilldown:
    """The records behind an indicator's lost points: the dossiers counted in the denominator but not
    in the numerator — as a filter over ``DossierFact`` (``day_field`` within the period, ``base`` and
    not ``hit``) — or, with ``procedures=True``, the procedures that are."""

    day_field: str
    base: Q
    hit: Q
    label: str
    procedures: bool = False
    procedure_base: str = ""  # for procedures: the measure making a procedure count
    procedure_hit: str = ""  # … and the one making it score


@dataclass(frozen=True)
class Indicator:
    key: str
    name: str
    formula: str
    numerator: str
    denominator: str
    unit_kinds: tuple[str, ...] = UNIT_KINDS
    facts: Callable[[ProcedureSums], tuple[int, int]] | None = None
    compute: Callable[..., tuple[int, int] | None] | None = None
    drilldown: Drilldown | None = None
    source: str = ""
    tags: tuple[str, ...] = field(default=())

    def ratio(self, numerator: int, denominator: int) -> Decimal | None:
        """The value in per cent (two decimals), None without a denominator."""
        if not denominator:
            return None
        return (Decimal(numerator) * 100 / Decimal(denominator)).quantize(Decimal("0.01"))


def measure_sum(measure: str) -> Callable[[ProcedureSums], int]:
    def total(sums: ProcedureSums) -> int:
        return sum(row.get(measure, 0) for row in sums.values())

    return total


def fact_ratio(numerator: str, denominator: str) -> Callable[[ProcedureSums], tuple[int, int]]:
    """numerator measure ÷ denominator measure, summed over the unit's procedures."""
    num, den = measure_sum(numerator), measure_sum(denominator)
    return lambda sums: (num(sums), den(sums))


def stats_ratio(
    stats: Callable[..., dict | None], numerator: str, denominator: str
) -> Callable[..., tuple[int, int] | None]:
    """An indicator's ``compute`` read off an app's stats dict: ``stats(unit, start, end)`` gives the
    dict (None where the app does not measure that unit), its ``numerator`` ÷ ``denominator`` keys the
    pair. Several indicators of one app share one (memoised) read of its stats."""

    def compute(*, unit, start, end) -> tuple[int, int] | None:
        s = stats(unit, start, end)
        return None if s is None else (s[numerator], s[denominator])

    return compute


def procedure_ratio(hit: str, base: str) -> Callable[[ProcedureSums], tuple[int, int]]:
    """Procedures with some ``hit`` ÷ procedures with some ``base`` in the period."""

    def ratio(sums: ProcedureSums) -> tuple[int, int]:
        counted = [row for row in sums.values() if row.get(base)]
        return sum(1 for row in counted if row.get(hit)), len(counted)

    return ratio


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date  # inclusive
    kind: str
    label: str
