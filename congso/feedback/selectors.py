"""Reads of feedback that pages, the API, Open311 and other apps use.

- ``public_reports(...)``: the public board's queryset — public, accepted reports, without any column of
  the reporter's identity; ``public_name``/``mask_text`` mask what the public sees;
- ``inbox(user, ...)``: the reports a staff member's agencies handle or were asked to help with;
- ``stats(scope, start, end)``: answered on time and satisfaction (Decision 766), for the scorecard.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from congso.core.text import fold
from congso.directory.models import AdministrativeUnit, Agency
from congso.directory.scope import agencies_for

from .models import OPEN_STATUSES, PUBLIC_STATUSES, Rating, Report, RoutingRule, Status
from .permissions import HANDLER_ROLES

# what Open311 lists: accepted public reports, rejected ones excluded, merged ones included (closed)
PUBLIC_STATUSES_ALL = (*PUBLIC_STATUSES, Status.MERGED)
IDENTITY_FIELDS = ("reporter", "reporter_name", "reporter_phone", "reporter_email", "entered_by", "dossier")
PUBLIC_FIELDS = (
    "pk",
    "code",
    "title",
    "description",
    "status",
    "category__code",
    "category__name",
    "unit__name",
    "unit__code",
    "address",
    "lat",
    "lon",
    "received_at",
    "answered_at",
    "updated_at",
    "due_at",
    "answer",
    "agency__name",
    "show_name",
    "is_public",
    "closed_at",
    "rating",
)
_PHONE = re.compile(r"(?<!\d)(?:\+84|0)(?:[\s.-]?\d){8,10}(?!\d)")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_CCCD = re.compile(r"(?<!\d)\d{12}(?!\d)")


def mask_text(text: str) -> str:
    """Phone numbers, e-mail addresses and identity numbers written in a report's text, masked."""
    text = _EMAIL.sub("***@***", text or "")
    text = _CCCD.sub("************", text)
    return _PHONE.sub(lambda m: m.group(0)[:3] + "*******", text)


def public_name(report) -> str:
    """The reporter as the public sees them: "Nguyễn V. A." if they chose to show their name, else
    anonymous. Never a contact detail."""
    name = (getattr(report, "reporter_name", "") or "").split()
    if not getattr(report, "show_name", False) or not name:
        return "Người dân (ẩn danh)"
    return " ".join([name[0]] + [w[0] + "." for w in name[1:]])


def public_reports(
    *,
    category: str = "",
    unit: str = "",
    status: str = "",
    q: str = "",
    start: dt.date | None = None,
    end: dt.date | None = None,
    procedure: str = "",
) -> QuerySet[Report]:
    qs = Report.objects.filter(is_public=True, status__in=PUBLIC_STATUSES).select_related(
        "category", "unit", "agency", "procedure"
    )
    # the linked dossier is never public: its column is not even read
    qs = qs.defer(*[f for f in IDENTITY_FIELDS if f != "reporter"], "reporter_id", "text_folded")
    if procedure:
        qs = qs.filter(procedure__code=procedure)
    if category:
        qs = qs.filter(Q(category__code=category) | Q(category__parent__code=category))
    if unit:
        qs = qs.filter(unit__code=unit)
    if status == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif status in Status.values:
        qs = qs.filter(status=status)
    if start:
        qs = qs.filter(received_at__gte=_day(start))
    if end:
        qs = qs.filter(received_at__lt=_day(end + dt.timedelta(days=1)))
    folded = fold(q)
    if folded:
        for word in folded.split()[:6]:
            qs = qs.filter(text_folded__contains=word)
    return qs.order_by("-received_at", "-id")


MAP_LIMIT = 500


def board_province_code() -> str:
    """The province of the board (the one the routing rules serve), for the map's area."""
    rules = RoutingRule.objects.filter(province__isnull=False).order_by("pk")
    return rules.values_list("province__code", flat=True).first() or ""


def public_points(limit: int = MAP_LIMIT, **filters) -> list[dict]:
    """The board-wide map's markers: the newest public reports with a point, under the board's filters
    (``public_reports``' arguments), at most ``limit`` — code, title, place and status, nothing else."""
    rows = (
        public_reports(**filters)
        .filter(lat__isnull=False, lon__isnull=False)
        .values("code", "title", "lat", "lon", "status")[:limit]
    )
    return [
        {
            "code": r["code"],
            "title": r["title"],
            "lat": float(r["lat"]),
            "lon": float(r["lon"]),
            "status": r["status"],
            "status_label": str(Status(r["status"]).label),
        }
        for r in rows
    ]


def public_report(code: str) -> Report | None:
    return public_reports().filter(code=code).first()


def public_timeline(report) -> list:
    return list(
        report.events.filter(public=True).order_by("at", "id").values("at", "label", "action", "note")
    )


def _day(d: dt.date) -> dt.datetime:
    return dt.datetime.combine(d, dt.time.min, tzinfo=timezone.get_current_timezone())


def staff_agencies(user) -> QuerySet[Agency]:
    return agencies_for(user, HANDLER_ROLES)


def inbox(user, *, status: str = "open", procedure: str = "", dossier: str = "") -> QuerySet[Report]:
    """The reports the user's agencies handle (or were asked to help with), most urgent first; with
    ``procedure`` / ``dossier``, those linked to that catalogue code or dossier code."""
    agencies = staff_agencies(user)
    qs = Report.objects.filter(Q(agency__in=agencies) | Q(help_requests__agency__in=agencies)).distinct()
    if procedure:
        qs = qs.filter(procedure__code=procedure)
    if dossier:
        qs = qs.filter(dossier__code=dossier)
    if status == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif status in Status.values:
        qs = qs.filter(status=status)
    return qs.select_related("category", "unit", "agency").order_by(F("due_at").asc(nulls_last=True), "id")


def inbox_counts(user) -> dict:
    agencies = staff_agencies(user)
    rows = (
        Report.objects.filter(agency__in=agencies, status__in=OPEN_STATUSES)
        .values("status")
        .annotate(n=Count("pk"))
    )
    counts = {r["status"]: r["n"] for r in rows}
    counts["overdue"] = Report.objects.filter(
        agency__in=agencies, status__in=OPEN_STATUSES, due_at__lt=timezone.now()
    ).count()
    counts["open"] = sum(counts.get(s, 0) for s in OPEN_STATUSES)
    return counts


def _scoped(scope) -> QuerySet[Report]:
    qs = Report.objects.exclude(status=Status.MERGED)
    if isinstance(scope, Agency):
        return qs.filter(agency__path__startswith=scope.path)
    if isinstance(scope, AdministrativeUnit):
        if scope.level == AdministrativeUnit.Level.PROVINCE:
            return qs.filter(province=scope)
        return qs.filter(unit=scope)
    return qs


def share(n: int, total: int) -> Decimal | None:
    return (Decimal(n) * 100 / total).quantize(Decimal("0.01")) if total else None


def _stats_counts(now: dt.datetime) -> dict:
    """The counts behind ``stats``, as aggregates (additive: grouped rows can be summed)."""
    overdue_q = Q(answered_at__isnull=True, due_at__lt=now, status__in=OPEN_STATUSES) | Q(
        answered_at__gt=F("due_at")
    )
    return {
        "total": Count("pk"),
        "rejected": Count("pk", filter=Q(status=Status.REJECTED)),
        "answered": Count("pk", filter=Q(answered_at__isnull=False)),
        "on_time": Count("pk", filter=Q(answered_at__isnull=False, answered_at__lte=F("due_at"))),
        "overdue": Count("pk", filter=overdue_q),
        "due": Count("pk", filter=Q(answered_at__isnull=False) | Q(due_at__lt=now, status__in=OPEN_STATUSES)),
        "satisfied": Count("pk", filter=Q(rating=Rating.SATISFIED)),
        "disliked": Count("pk", filter=Q(rating=Rating.UNSATISFIED)),
        "recomplained": Count("pk", filter=Q(reopened=True)),
        "disliked_or_late": Count("pk", filter=Q(rating=Rating.UNSATISFIED) | Q(reopened=True) | overdue_q),
    }


def _with_rates(raw: dict) -> dict:
    total = raw["total"]
    return {
        **raw,
        "answered_on_time_rate": share(raw["on_time"], raw["due"]),
        "satisfaction_rate": share(total - raw["disliked_or_late"], total),
    }


def _received_in(start: dt.date, end: dt.date) -> Q:
    return Q(received_at__gte=_day(start), received_at__lt=_day(end + dt.timedelta(days=1)))


def stats(scope, start: dt.date, end: dt.date) -> dict:
    """Feedback figures for reports received from ``start`` to ``end`` (whole local days, inclusive) in a
    province or commune (``AdministrativeUnit``) or an agency and its sub-tree (``Agency``):

    - ``answered_on_time_rate``: answers published by their deadline ÷ reports answered or due by now;
    - ``satisfaction_rate`` (Decision 766): (all − disliked − overdue − re-complained) ÷ all.
    """
    counts = _stats_counts(timezone.now())
    return _with_rates(_scoped(scope).filter(_received_in(start, end)).aggregate(**counts))


def stats_by_place(start: dt.date, end: dt.date) -> list[dict]:
    """``stats``'s counts for every report received in the period, in one grouped read: rows of
    {"agency_path", "unit_id", "province_id", counts…}. ``stats_from`` picks a scope's figures out of
    them (a ranking of a hundred units reads once, not a hundred times)."""
    rows = (
        Report.objects.exclude(status=Status.MERGED)
        .filter(_received_in(start, end))
        .order_by()
        .values("agency__path", "unit_id", "province_id")
        .annotate(**_stats_counts(timezone.now()))
    )
    return [{**r, "agency_path": r.pop("agency__path")} for r in rows]


def stats_from(rows: list[dict], scope) -> dict:
    """``stats(scope, …)`` out of ``stats_by_place``'s rows for the same period: the same figures."""
    if isinstance(scope, Agency):
        mine = [r for r in rows if r["agency_path"] is not None and r["agency_path"].startswith(scope.path)]
    elif isinstance(scope, AdministrativeUnit) and scope.level == AdministrativeUnit.Level.PROVINCE:
        mine = [r for r in rows if r["province_id"] == scope.pk]
    elif isinstance(scope, AdministrativeUnit):
        mine = [r for r in rows if r["unit_id"] == scope.pk]
    else:
        mine = rows
    keys = _stats_counts(timezone.now()).keys()
    return _with_rates({k: sum(r[k] for r in mine) for k in keys})


def tile_counts(agency_ids, start: dt.date, end: dt.date, now: dt.datetime) -> dict:
    """The operations-centre tile's figures for the reports these agencies handle (one read): open now,
    open past their deadline, received in the period, and of those answered, answered by the deadline."""
    qs = Report.objects.filter(agency_id__in=sorted(agency_ids)).exclude(status=Status.MERGED)
    in_period = Q(received_at__gte=_day(start), received_at__lt=_day(end + dt.timedelta(days=1)))
    return qs.aggregate(
        open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
        overdue=Count("pk", filter=Q(status__in=OPEN_STATUSES, due_at__lt=now)),
        received=Count("pk", filter=in_period),
        answered=Count("pk", filter=in_period & Q(answered_at__isnull=False)),
        on_time=Count("pk", filter=in_period & Q(answered_at__isnull=False, answered_at__lte=F("due_at"))),
    )
