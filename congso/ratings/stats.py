"""Satisfaction statistics per agency and period, for leaders' pages, the API and the scorecards.

``summary(agencies, start, end)`` returns one row per agency with the number of ratings given in
[start, end) and, for the overall verdict and every criterion, the count and percentage of each answer
plus the share of favourable answers. ``satisfaction_rate`` (satisfied ÷ rated, in %) is the ratio the
real-time service index (Decision 766/QĐ-TTg, "satisfaction with dossier handling", target 90 %) uses.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Count, Q
from django.utils import timezone

from .criteria import ALL
from .models import Rating

BY = {"receiving": "receiving_agency", "processing": "processing_agency"}


def _pct(n: int, total: int) -> Decimal | None:
    return (Decimal(n) * 100 / total).quantize(Decimal("0.01")) if total else None


def _bound(value, end=False) -> dt.datetime:
    """A date means the whole day in local time (an end date is inclusive); datetimes pass through."""
    if isinstance(value, dt.datetime):
        return value
    tz = timezone.get_current_timezone()
    day = value + dt.timedelta(days=1) if end else value
    return dt.datetime.combine(day, dt.time.min, tzinfo=tz)


def aggregate(ratings) -> dict:
    """Counts and percentages of every answer over a queryset of ratings (one SQL query)."""
    annotations = {"total": Count("pk")}
    for c in ALL:
        for value, _label in c.choices:
            annotations[f"{c.key}__{value}"] = Count("pk", filter=Q(**{c.key: value}))
    raw = ratings.aggregate(**annotations)
    total = raw["total"]
    out = {"total": total}
    for c in ALL:
        answers = {}
        for value, label in c.choices:
            n = raw[f"{c.key}__{value}"]
            answers[value] = {"label": str(label), "count": n, "percent": _pct(n, total)}
        favourable = sum(answers[v]["count"] for v in c.favourable)
        out[c.key] = {
            "question": str(c.question),
            "answers": answers,
            "favourable": favourable,
            "favourable_percent": _pct(favourable, total),
        }
    out["satisfaction_rate"] = out["overall"]["favourable_percent"]
    return out


def summary(agencies, start, end, *, by: str = "receiving", include_subtree: bool = False) -> list[dict]:
    """One row per agency: ``{"agency": Agency, "total": n, "overall": {...}, "<criterion>": {...},
    "satisfaction_rate": Decimal | None}``, for ratings given from ``start`` to ``end`` (dates are whole
    local days, the end included; datetimes are [start, end)). ``by`` chooses whether a rating counts
    for the agency that received the dossier or the one that processed it; ``include_subtree`` adds
    the agencies below each one (a department with its divisions, a province with everything)."""
    field = BY[by]
    period = Rating.objects.filter(created_at__gte=_bound(start), created_at__lt=_bound(end, end=True))
    rows = []
    for agency in agencies:
        if include_subtree:
            scoped = period.filter(**{f"{field}__path__startswith": agency.path})
        else:
            scoped = period.filter(**{field: agency})
        rows.append({"agency": agency, **aggregate(scoped)})
    return rows
