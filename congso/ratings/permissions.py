"""Who may rate a dossier and who may read the statistics.

Only the dossier's applicant (the account that filed it or on whose behalf a community helper filed
it) rates it: the rating is the citizen's own voice. A community helper does not rate for them (ADR 0075).
"""

from congso.core.permissions import rule
from congso.directory.models import Role
from congso.directory.scope import roles_at
from congso.dossiers.models import FINISHED_STATUSES

STATS_ROLES = {Role.LEADER, Role.AGENCY_ADMIN, Role.IOC_VIEWER, Role.CLERK}


@rule("ratings.rate")
def rate(user, dossier) -> bool:
    return dossier.applicant_id == user.pk and dossier.status in FINISHED_STATUSES


@rule("ratings.view_own")
def view_own(user, dossier) -> bool:
    return dossier.applicant_id == user.pk


@rule("ratings.view_stats")
def view_stats(user, agency) -> bool:
    """An agency's rating statistics: its leaders, clerks, administrators and the operations centre."""
    return bool(roles_at(user, agency) & STATS_ROLES)
