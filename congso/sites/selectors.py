"""What the portals read from the rest of the platform (one source of truth, never copied)."""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone

from congso.catalog.selectors import procedure_by_code
from congso.core.errors import ServiceError
from congso.directory.models import Agency, Membership, Role
from congso.scorecard import selectors as scorecard
from congso.scorecard import units as scorecard_units

LEADER_ROLES = (Role.LEADER,)


def organisation(agency: Agency) -> dict:
    """The agency, its leaders (from the directory's leader role and position) and its units' contacts."""
    today = timezone.localdate()
    active = Q(valid_from__lte=today) & (Q(valid_to__isnull=True) | Q(valid_to__gt=today))
    leaders = (
        Membership.objects.filter(active, agency=agency, role__in=LEADER_ROLES)
        .select_related("user")
        .order_by("user__full_name")
    )
    units = agency.children.filter(is_active=True).order_by("name")
    return {"agency": agency, "leaders": list(leaders), "units": list(units)}


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
