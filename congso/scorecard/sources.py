"""The scorecard's indicators offered to evaluation frameworks (``evaluations.hooks.metric_sources``).

An evaluation indicator "filled automatically" takes its value from a metric source; every scorecard
indicator is one, under the key ``scorecard.<indicator key>``, so a framework and the scorecard show the
same figure from the same daily facts (one implementation). The two apps speak of periods differently:
evaluations gives [start, end) as timezone-aware datetimes, the scorecard counts Vietnam days, both
included — ``IndicatorSource.value`` converts.

The scorecard offers its own indicators in ``ScorecardConfig.ready()`` (this module reads models: imported
there, once the app registry is ready); a higher app registers its
indicators with ``register()`` below (the scorecard registry and the evaluations one together), since
its ``ready()`` runs after the scorecard's.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from congso.evaluations.hooks import metric_sources

from .hooks import indicators
from .indicators import UNIT_KINDS, Indicator
from .selectors import indicator_value

PREFIX = "scorecard."


def metric_key(indicator_key: str) -> str:
    return f"{PREFIX}{indicator_key}"


def _day(moment: dt.datetime | dt.date, *, exclusive_end: bool = False) -> dt.date:
    """The Vietnam day of ``moment``; for the end of a half-open range, the last day it includes."""
    if isinstance(moment, dt.datetime):
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        if exclusive_end:
            moment -= dt.timedelta(microseconds=1)
        return timezone.localtime(moment).date()
    return moment - dt.timedelta(days=1) if exclusive_end else moment


@dataclass(frozen=True)
class IndicatorSource:
    """An evaluations metric source reading one scorecard indicator (in per cent, two decimals)."""

    key: str  # the scorecard indicator's key

    @property
    def label(self):
        indicator = indicators[self.key] if self.key in indicators else None
        return indicator.name if indicator else self.key

    @property
    def lower_is_better(self) -> bool:
        """The indicator's direction (its ``lower_is_better`` tag): evaluations score it the same way."""
        indicator = indicators[self.key] if self.key in indicators else None
        return indicator is not None and "lower_is_better" in indicator.tags

    def value(self, unit_kind, unit_code, start, end) -> Decimal | None:
        # evaluations' unit kinds: "agency" (with its sub-tree), the scorecard's too; others are not ours
        if unit_kind not in UNIT_KINDS:
            return None
        first, last = _day(start), _day(end, exclusive_end=True)
        if last < first:
            return None
        return indicator_value(self.key, unit_kind, unit_code, first, last)


def offer(indicator: Indicator) -> None:
    """Offer ``indicator`` to the evaluation frameworks (idempotent)."""
    metric_sources.register(metric_key(indicator.key), IndicatorSource(indicator.key))


def offer_all() -> None:
    for indicator in indicators:
        offer(indicator)


def register(indicator: Indicator) -> Indicator:
    """Register a higher app's indicator in the scorecard and offer it to the evaluation frameworks."""
    indicators.register(indicator.key, indicator)
    offer(indicator)
    return indicator
