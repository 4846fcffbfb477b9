"""Dossier statistics by agency, procedure, field, channel and period. They feed the scorecards.

Definitions (Gia Lai's published formulas): late rate = (late dossiers still in process + late
dossiers finished) / dossiers handled; on-time rate = 100 % − late rate.

A dossier is late once an apology with a new date was sent (``is_late``, never cleared) or once it is
finished after its legal due moment; one still in process is overdue when late or past its due moment
while its clock runs (waiting for a supplement or a fee stops the clock).

A dossier with no time limit (received before limits were resolved, ADR 0143) is neither on time nor
late: it is counted apart (``no_deadline``) and left out of the rates, which are None ("không tính")
when no handled dossier had a deadline. A service centre's report covers the agencies it receives
for (``Agency.serves``), as its counter does (``reported_dossiers``).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from congso.directory.models import Agency

from .models import FINISHED_STATUSES, OPEN_STATUSES, Channel, ClockPause, Dossier, Status, TimelineEntry

PAUSED = (Status.SUPPLEMENT, Status.FINANCIAL)

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
    "no_deadline",
)

# A dossier has a deadline when it was given a time limit (ADR 0143).
HAS_DEADLINE = Q(allowance_value__isnull=False) & ~Q(allowance_unit="")


def reported_dossiers(agency: Agency):
    """The dossiers an agency's report covers: those received by it or an agency under it, and for a
    service centre those of the agencies it receives for (``Agency.serves``, with their sub-trees)."""
    q = Q(receiving_agency__path__startswith=agency.path)
    if agency.kind == Agency.Kind.SERVICE_CENTRE:
        for path in agency.serves.values_list("path", flat=True):
            q |= Q(receiving_agency__path__startswith=path)
    return Dossier.objects.filter(q)


def channel_name(value) -> str:
    """Trực tiếp, Trực tuyến, Dịch vụ bưu chính công ích — not 1, 2, 3."""
    return str(Channel(value).label) if value in Channel.values else str(value or "")


# Grouping by period: the period [start, end) cut into Vietnam days, months, quarters or years.
PERIODS = ("day", "month", "quarter", "year")
MAX_PERIODS = 400  # rows (one query each) a period grouping may produce


def period_starts(start: dt.datetime, end: dt.datetime, period: str) -> list[dt.datetime]:
    tz = timezone.get_default_timezone()
    day = timezone.localtime(start, tz).date()
    if period == "month":
        day = day.replace(day=1)
    elif period == "quarter":
        day = day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)
    elif period == "year":
        day = day.replace(month=1, day=1)
    starts = []
    while (moment := dt.datetime.combine(day, dt.time.min, tzinfo=tz)) < end:
        starts.append(max(moment, start))
        if period == "day":
            day += dt.timedelta(days=1)
        else:
            months = {"month": 1, "quarter": 3, "year": 12}[period]
            month0 = day.month - 1 + months
            day = day.replace(year=day.year + month0 // 12, month=month0 % 12 + 1)
    return starts


def _label(moment: dt.datetime, period: str) -> str:
    day = timezone.localtime(moment).date()
    return {
        "day": day.isoformat(),
        "month": f"{day:%Y-%m}",
        "quarter": f"{day.year}-Q{(day.month - 1) // 3 + 1}",
        "year": str(day.year),
    }[period]


def counts(
    dossiers, *, start: dt.datetime, end: dt.datetime, group_by: str = "agency", now=None
) -> list[dict]:
    """One row per group with the standard counters for the period [start, end).

    ``group_by``: agency, procedure, field, channel (``GROUPS``), or day, month, quarter, year
    (``PERIODS``: one row per such period within [start, end), labelled ``period``, with the counters of
    that part of the period; "in process" counters are as of now, as for the other groupings)."""
    now = now or timezone.now()
    if group_by in PERIODS:
        starts = period_starts(start, end, group_by)
        if len(starts) > MAX_PERIODS:
            raise ValueError(f"{len(starts)} periods")
        rows = []
        for i, part_start in enumerate(starts):
            part_end = starts[i + 1] if i + 1 < len(starts) else end
            for row in _counts(dossiers, start=part_start, end=part_end, fields=(), now=now):
                rows.append({"period": _label(part_start, group_by), **row})
        return rows
    if group_by not in GROUPS:
        raise ValueError(group_by)
    return _counts(dossiers, start=start, end=end, fields=GROUPS[group_by], now=now)


def _counts(dossiers, *, start, end, fields, now) -> list[dict]:
    in_period = {"gte": start, "lt": end}
    finished = Q(status__in=FINISHED_STATUSES, finished_at__gte=start, finished_at__lt=end)
    open_at_end = Q(status__in=OPEN_STATUSES, received_at__lt=end)
    # Late for good (an apology was sent, or it went past its legal due), or past its due moment while
    # its clock runs: a dossier waiting for a supplement or a fee is not overdue (the clock is stopped).
    overdue = Q(is_late=True) | (Q(due_at__lt=now) & ~Q(status__in=PAUSED))
    annotated = dossiers.annotate(
        had_supplement=Exists(
            ClockPause.objects.filter(
                dossier=OuterRef("pk"), reason="supplement", started_at__gte=start, started_at__lt=end
            )
        ),
        withdrew=Exists(
            TimelineEntry.objects.filter(dossier=OuterRef("pk"), action="withdraw", at__gte=start, at__lt=end)
        ),
    )
    counters = {
        "received": Count("pk", filter=Q(submitted_at__gte=start, submitted_at__lt=end)),
        "accepted": Count("pk", filter=Q(received_at__gte=in_period["gte"], received_at__lt=in_period["lt"])),
        "finished_on_time": Count("pk", filter=finished & HAS_DEADLINE & Q(is_late=False)),
        "finished_late": Count("pk", filter=finished & HAS_DEADLINE & Q(is_late=True)),
        "in_process_on_time": Count("pk", filter=open_at_end & HAS_DEADLINE & ~overdue),
        "in_process_overdue": Count("pk", filter=open_at_end & HAS_DEADLINE & overdue),
        "no_deadline": Count("pk", filter=(finished | open_at_end) & ~HAS_DEADLINE),
        "supplements": Count("pk", filter=Q(had_supplement=True)),
        "refusals": Count(
            "pk", filter=Q(status=Status.NOT_ACCEPTED, finished_at__gte=start, finished_at__lt=end)
        ),
        "withdrawals": Count("pk", filter=Q(withdrew=True)),
    }
    if fields:
        rows = annotated.values(*fields).annotate(**counters).order_by(*fields)
    else:
        rows = [annotated.aggregate(**counters)]
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
        if "channel" in row:
            row["channel_name"] = channel_name(row["channel"])
        if any(row[c] for c in COLUMNS):
            result.append(row)
    return result
