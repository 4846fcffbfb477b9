"""What the portals read from the rest of the platform (one source of truth, never copied)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from congso.catalog.selectors import procedure_by_code
from congso.core.errors import ServiceError
from congso.directory.models import Agency, Membership, Role
from congso.documents import selectors as documents
from congso.inforequests import selectors as inforequests
from congso.scorecard import selectors as scorecard
from congso.scorecard import units as scorecard_units
from congso.workcalendars import selectors as workcalendars

LEADER_ROLES = (Role.LEADER,)


def organisation(agency: Agency, language: str) -> dict:
    """The agency, its leaders (from the directory's leader role and position) and its units' contacts,
    named in ``language`` where the directory has the English name or title (ADR 0181), else in
    Vietnamese; ``lang`` says which, for the page's markup."""
    today = timezone.localdate()
    active = Q(valid_from__lte=today) & (Q(valid_to__isnull=True) | Q(valid_to__gt=today))
    leaders = (
        Membership.objects.filter(active, agency=agency, role__in=LEADER_ROLES)
        .select_related("user")
        .order_by("user__full_name")
    )
    units = agency.children.filter(is_active=True).order_by("name")
    return {
        "agency": {**_contact(agency), **_named(agency.display_name(language), agency.name, language)},
        "leaders": [
            {
                "person": m.user.full_name or m.user.username,
                "email": m.user.email,
                **_named(m.display_position(language), m.position, language),
            }
            for m in leaders
        ],
        "units": [{**_contact(u), **_named(u.display_name(language), u.name, language)} for u in units],
    }


def _contact(agency: Agency) -> dict:
    return {"address": agency.address, "phone": agency.phone, "email": agency.email}


def _named(shown: str, vietnamese: str, language: str) -> dict:
    """A name as shown, with ``lang="vi"`` when a page in another language fell back to the Vietnamese."""
    fell_back = shown and shown == vietnamese and not language.startswith("vi")
    return {"name": shown, "lang": "vi" if fell_back else ""}


def procedures(codes: str) -> list:
    found = []
    for line in (codes or "").splitlines():
        procedure = procedure_by_code(line.strip()) if line.strip() else None
        if procedure is not None:
            found.append(procedure)
    return found


def score_unit(agency: Agency) -> scorecard_units.Unit | None:
    """The scorecard's unit of an agency's portal: its commune, its province, or the agency itself."""
    unit = agency.unit
    try:
        if unit.kind in scorecard_units.COMMUNE_KINDS:
            return scorecard_units.resolve("commune", unit.code)
        if agency.kind == Agency.Kind.PEOPLES_COMMITTEE:
            return scorecard_units.resolve("province", unit.code)
        return scorecard_units.resolve("agency", agency.code)
    except ServiceError:  # a unit the scorecard does not rank shows no figures (NotFound is one)
        return None


def statistics(agency: Agency, months: int = 6) -> dict:
    """The Decision 766 index of the last months for the agency's unit (the scorecard's figures)."""
    unit = score_unit(agency)
    if unit is None:
        return {"unit": None, "rows": []}
    rows = scorecard.monthly_series(unit, months=months)
    return {"unit": unit, "rows": list(reversed(rows))}


# --- what a portal's home shows from the platform (issue 21: reuse, never copy) ---------------------

DOCUMENTS_ON_HOME = 10
CALENDAR_ITEMS_ON_HOME = 6


def document_agency_ids(agency: Agency) -> list[int]:
    """Whose public documents a portal lists: the agency's own and its divisions' (which have no portal
    of their own), never another agency's."""
    divisions = agency.children.filter(is_active=True, kind=Agency.Kind.DIVISION).values_list("pk", flat=True)
    return [agency.pk, *divisions]


def legal_documents(agency: Agency, *, limit: int = DOCUMENTS_ON_HOME) -> list:
    """The agency's released documents marked public (``documents.selectors.public_documents``)."""
    return documents.public_documents(document_agency_ids(agency), limit=limit)


def work_calendars(agency: Agency, *, today: dt.date | None = None) -> dict:
    """The agency's public work calendars (leaders' first) with this week's published entries
    (``workcalendars.selectors.public_week``) and the address of each on /lich-cong-tac/."""
    start = workcalendars.monday(today or timezone.localdate())
    calendars = workcalendars.public_calendars().filter(agency=agency)
    rows = []
    for calendar in sorted(calendars, key=lambda c: (c.kind != "leader", c.position, c.pk)):
        week = workcalendars.public_week(calendar, start)
        url = reverse("workcalendars:public_week", args=[calendar.pk])
        rows.append(
            {
                "calendar": calendar,
                "published": week["published"],
                "count": len(week["items"]),
                "items": week["items"][:CALENDAR_ITEMS_ON_HOME],
                "more": max(0, len(week["items"]) - CALENDAR_ITEMS_ON_HOME),
                "url": f"{url}?tuan={start.isoformat()}",
            }
        )
    return {"start": start, "end": start + dt.timedelta(days=6), "calendars": rows}


def disclosure(agency: Agency) -> dict:
    """The agency's list of information public by law (``inforequests.selectors.disclosure``): the
    categories with entries and the address of the whole list on /tiep-can-thong-tin/."""
    groups = [g for g in inforequests.disclosure(agency) if g.items]
    return {
        "groups": groups,
        "count": sum(len(g.items) for g in groups),
        "url": reverse("inforequests:agency", args=[agency.code]),
    }
