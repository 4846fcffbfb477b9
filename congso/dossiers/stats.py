"""Dossier statistics by agency, procedure, field, channel and period. They feed the scorecards.

Definitions (Gia Lai's published formulas): late rate = (late dossiers still in process + late
dossiers finished) / dossiers handled; on-time rate = 100 % − late rate.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from .models import OPEN_STATUSES, ClockPause, Status, TimelineEntry

GROUPS = {
    "agency": ("receiving_agency__code", "receiving_agency__name"),
    "procedure": ("procedure_version__procedure__code", "procedure_version__procedure__name"),
    "field": ("procedure_version__procedure__field__name",),
    "channel": ("channel",),
}
COLUMNS = (
    "received",
    "accepted",
    "finished_on_time",
    "finished_late",
    "in_process_on_time",
    "in_process_overdue",
    "supplements",
    "refusals",
    "withdrawals",
)


def counts(
    dossiers, *, start: dt.datetime, end: dt.datetime, group_by: str = "agency", now=None
) -> list[dict]:
    """One row per group with the standard counters for the period [start, end)."""
    now = now or timezone.now()
    if group_by not in GROUPS:
        raise ValueError(group_by)
    in_period = {"gte": start, "lt": end}
    finished = Q(status__in=(Status.PROCESSED, Status.RETURNED), finished_at__gte=start, finished_at__lt=end)
    open_at_end = Q(status__in=OPEN_STATUSES, received_at__lt=end)
    rows = (
        dossiers.annotate(
            had_supplement=Exists(
                ClockPause.objects.filter(
                    dossier=OuterRef("pk"), reason="supplement", started_at__gte=start, started_at__lt=end
                )
            ),
            withdrew=Exists(
                TimelineEntry.objects.filter(
                    dossier=OuterRef("pk"), action="withdraw", at__gte=start, at__lt=end
                )
            ),
        )
        .values(*GROUPS[group_by])
        .annotate(
            received=Count("pk", filter=Q(submitted_at__gte=start, submitted_at__lt=end)),
            accepted=Count(
                "pk", filter=Q(received_at__gte=in_period["gte"], received_at__lt=in_period["lt"])
            ),
            finished_on_time=Count("pk", filter=finished & Q(is_late=False)),
            finished_late=Count("pk", filter=finished & Q(is_late=True)),
            in_process_on_time=Count(
                "pk", filter=open_at_end & Q(is_late=False) & (Q(due_at__gte=now) | Q(due_at__isnull=True))
            ),
            in_process_overdue=Count("pk", filter=open_at_end & (Q(is_late=True) | Q(due_at__lt=now))),
            supplements=Count("pk", filter=Q(had_supplement=True)),
            refusals=Count(
                "pk", filter=Q(status=Status.NOT_ACCEPTED, finished_at__gte=start, finished_at__lt=end)
            ),
            withdrawals=Count("pk", filter=Q(withdrew=True)),
        )
        .order_by(*GROUPS[group_by])
    )
    result = []
    for row in rows:
        handled = (
            row["finished_on_time"]
            + row["finished_late"]
            + row["in_process_on_time"]
            + row["in_process_overdue"]
        )
        late = row["finished_late"] + row["in_process_overdue"]
        row["late_rate"] = (Decimal(late) / handled * 100).quantize(Decimal("0.01")) if handled else None
        row["on_time_rate"] = (100 - row["late_rate"]) if handled else None
        if any(row[c] for c in COLUMNS):
            result.append(row)
    return result
