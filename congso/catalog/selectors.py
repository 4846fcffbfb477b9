"""Reads of the catalogue that other apps repeat, written once."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from .models import ConsistencyReport, Procedure

CODE_LENGTH = 40  # Procedure.code's max_length


def procedure_by_code(
    code: str | None, *, active_only: bool = True, with_version: bool = True
) -> Procedure | None:
    """The procedure with this code (its current version and field read with it), or None.

    ``active_only`` leaves out withdrawn procedures; ``with_version`` those with no current version
    (nothing can be filed for them)."""
    code = (code or "").strip()[:CODE_LENGTH]
    if not code:
        return None
    qs = Procedure.objects.select_related("current_version", "field").filter(code=code)
    if active_only:
        qs = qs.filter(is_active=True)
    if with_version:
        qs = qs.filter(current_version__isnull=False)
    return qs.first()


@dataclass(frozen=True)
class ConsistencyRate:
    """How far the local catalogue agrees with the national one, as of the latest consistency report.

    ``percent``: procedures of the national export with no open difference, out of those compared
    (differences resolved since the report count as agreeing); None when no report was made yet."""

    percent: Decimal | None
    checked: int
    differing: int
    report_id: int | None
    report_at: datetime.datetime | None


def consistency_rate(report: ConsistencyReport | None = None) -> ConsistencyRate:
    """The consistency rate of ``report`` (default: the latest), for the operations dashboard."""
    report = report or ConsistencyReport.objects.order_by("-created_at", "-pk").first()
    if report is None:
        return ConsistencyRate(None, 0, 0, None, None)
    differing = (
        report.differences.filter(resolved_at__isnull=True).values("code").distinct().count()
        if report.checked
        else 0
    )
    percent = None
    if report.checked:
        percent = (Decimal(100) * (report.checked - differing) / report.checked).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )
    return ConsistencyRate(percent, report.checked, differing, report.pk, report.created_at)
