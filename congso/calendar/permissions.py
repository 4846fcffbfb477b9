"""Who may change the working-day calendar (ADR 0040).

The rule keeps its historical name ``core.manage_calendar`` (from when the calendar lived in core): it is
named in ADRs 0040 and 0083 and asked by the pages, the API and the services alike.
"""

from django.db.models import Q

from congso.core.permissions import rule
from congso.directory.models import Agency, Role
from congso.directory.scope import agencies_for, is_sysadmin


@rule("core.manage_calendar")
def _may_manage_calendar(user, province) -> bool:
    """Extra days off, make-up working days and office hours of ``province`` (an AdministrativeUnit of
    level 1; None: the nationwide rows). System administrators: everywhere. A province's own
    administrators — agency administrators of its People's Committee or of its root agency (the top of
    the province's directory tree) — for that province only. Nobody else."""
    if is_sysadmin(user):
        return True
    if province is None:
        return False
    return province.pk in administered_province_ids(user)


def administered_province_ids(user) -> set[int]:
    """Provinces whose People's Committee or root agency the user administers (AGENCY_ADMIN, directly
    or through the sub-tree of an agency above it)."""
    return set(
        agencies_for(user, Role.AGENCY_ADMIN)
        .filter(unit__level=1, is_active=True)
        .filter(Q(kind=Agency.Kind.PEOPLES_COMMITTEE) | Q(parent__isnull=True))
        .values_list("unit_id", flat=True)
    )
