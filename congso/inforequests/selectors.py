"""Reads of access to information that pages, the API and other apps use.

``stats(scope, start, end)`` gives the figures a scorecard indicator "requests answered on time" needs;
this app sits below the scorecard in the layers, so the scorecard registers it (``scorecard.inforequests``).
``public_stats`` is the anonymised figure the public sees: counts only, never a requester.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from congso.calendar import engine
from congso.directory.models import Agency
from congso.directory.scope import agencies_for

from .models import (
    CLOSED_STATUSES,
    OPEN_STATUSES,
    DisclosureCategory,
    DisclosureItem,
    InfoRequest,
    RefusalGround,
    Status,
)
from .permissions import HANDLER_ROLES


def staff_agencies(user) -> QuerySet[Agency]:
    """The agencies whose requests ``user`` handles (memberships with a handler role, sub-trees included)."""
    if not getattr(user, "is_authenticated", False):
        return Agency.objects.none()
    return agencies_for(user, HANDLER_ROLES)


def inbox(user, *, status: str = "open") -> QuerySet[InfoRequest]:
    qs = InfoRequest.objects.filter(agency__in=staff_agencies(user)).select_related("agency", "agency__unit")
    if status == "open":
        return qs.filter(status__in=OPEN_STATUSES).order_by("due_at", "id")
    if status in Status.values:
        return qs.filter(status=status).order_by("-received_at", "-id")
    return qs.order_by("-received_at", "-id")


def open_count(user) -> int:
    return inbox(user).count()


def mine(user) -> QuerySet[InfoRequest]:
    if not getattr(user, "is_authenticated", False):
        return InfoRequest.objects.none()
    return InfoRequest.objects.filter(requester=user).select_related("agency", "ground")


def annotate_deadlines(rows, now: dt.datetime | None = None) -> list[InfoRequest]:
    """Each request with ``deadline`` ("on_time", "due_soon", "overdue"; "late" once closed after its
    due moment), one calendar per province for the whole list."""
    now = now or timezone.now()
    calendars: dict = {}
    rows = list(rows)
    for r in rows:
        if r.closed_at is not None:
            r.deadline = "on_time" if r.closed_at <= r.due_at else "late"
            continue
        unit = r.agency.unit_id
        cal = calendars.get(unit) or calendars.setdefault(unit, engine.get_calendar(unit))
        r.deadline = str(cal.status_at(r.due_at, now))
    return rows


def disclosure_agencies() -> QuerySet[Agency]:
    """Agencies that publish a list (at least one active entry), by name."""
    ids = DisclosureItem.objects.filter(is_active=True).values("agency_id")
    return Agency.objects.filter(pk__in=ids, is_active=True).order_by("name")


def request_agencies() -> QuerySet[Agency]:
    """Agencies a citizen can address a request to: every active agency with a handler."""
    return Agency.objects.filter(is_active=True).exclude(kind=Agency.Kind.DIVISION).order_by("name")


@dataclass
class DisclosureGroup:
    category: DisclosureCategory
    items: list = field(default_factory=list)


def disclosure(agency: Agency, *, include_inactive: bool = False) -> list[DisclosureGroup]:
    """The agency's list, grouped by the categories of Điều 17 (every category, empty ones too: the
    public sees what is still missing)."""
    items = DisclosureItem.objects.filter(agency=agency).select_related("category")
    if not include_inactive:
        items = items.filter(is_active=True)
    groups = {c.pk: DisclosureGroup(c) for c in DisclosureCategory.objects.all()}
    for item in items:
        groups[item.category_id].items.append(item)
    return list(groups.values())


def _midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(0, 0)))


@dataclass(frozen=True)
class Stats:
    total: int
    open: int
    overdue_open: int
    answered: int
    answered_on_time: int
    refused: int
    extended: int
    on_time_rate: Decimal | None
    refusals: list = field(default_factory=list)  # (ground label, legal basis, count)
    closed: int = 0  # answered or refused
    closed_on_time: int = 0  # of which no later than the due moment


def stats(
    scope: Agency | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    *,
    agency_ids=None,
) -> Stats:
    """Counts of the requests received between ``start`` and ``end`` (inclusive) by the agency ``scope``
    (or all; or exactly the agencies ``agency_ids``, a scorecard unit's): answered, answered on time
    (closed no later than the due moment, after any extension), refused by ground, still open and
    overdue. ``on_time_rate`` = closed on time / closed, in percent."""
    qs = InfoRequest.objects.all()
    if agency_ids is not None:
        qs = qs.filter(agency_id__in=sorted(agency_ids))
    elif scope is not None:
        qs = qs.filter(agency__path__startswith=scope.path)
    # a range on the indexed moment, not ``__date`` (which would cast every row)
    if start:
        qs = qs.filter(received_at__gte=_midnight(start))
    if end:
        qs = qs.filter(received_at__lt=_midnight(end + dt.timedelta(days=1)))
    now = timezone.now()
    agg = qs.aggregate(
        total=Count("id"),
        open=Count("id", filter=Q(status__in=OPEN_STATUSES)),
        overdue_open=Count("id", filter=Q(status__in=OPEN_STATUSES, due_at__lt=now)),
        answered=Count("id", filter=Q(status=Status.ANSWERED)),
        answered_on_time=Count("id", filter=Q(status=Status.ANSWERED, closed_at__lte=F("due_at"))),
        closed=Count("id", filter=Q(status__in=CLOSED_STATUSES)),
        closed_on_time=Count("id", filter=Q(status__in=CLOSED_STATUSES, closed_at__lte=F("due_at"))),
        refused=Count("id", filter=Q(status=Status.REFUSED)),
        extended=Count("id", filter=Q(extended_at__isnull=False)),
    )
    by_ground = (
        qs.filter(status=Status.REFUSED)
        .values("ground_id")
        .annotate(n=Count("id"))
        .order_by("-n", "ground_id")
    )
    counts = [(row["ground_id"], row["n"]) for row in by_ground]
    grounds = {g.pk: g for g in RefusalGround.objects.filter(pk__in=[pk for pk, _n in counts])}
    refusals = [(grounds[pk].label, grounds[pk].legal_basis, n) for pk, n in counts if pk in grounds]
    rate = None
    if agg["closed"]:
        rate = (Decimal(agg["closed_on_time"] * 100) / agg["closed"]).quantize(Decimal("0.1"))
    return Stats(
        total=agg["total"],
        open=agg["open"],
        overdue_open=agg["overdue_open"],
        answered=agg["answered"],
        answered_on_time=agg["answered_on_time"],
        refused=agg["refused"],
        extended=agg["extended"],
        on_time_rate=rate,
        refusals=refusals,
        closed=agg["closed"],
        closed_on_time=agg["closed_on_time"],
    )
