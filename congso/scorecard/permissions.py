"""Who may see what of the scorecards.

The public index page and the open data are public (no personal data). The list of the dossiers
behind a lost point is personal data (masked, but dossiers all the same): only the unit's leaders,
administrators, clerks, officers and the operations centre — a role over the unit's root agency (the
agency itself, the commune's or the province's People's Committee), sub-trees included — and system
administrators.
"""

from congso.core.permissions import public, rule
from congso.directory.models import Role
from congso.directory.scope import has_any_role, has_role, is_sysadmin

VIEW_ROLES = (Role.LEADER, Role.AGENCY_ADMIN, Role.IOC_VIEWER, Role.CLERK, Role.OFFICER)
# The operations-centre dashboard /dieu-hanh/ (ADR 0162), over the agencies where they hold the role.
DASHBOARD_ROLES = (Role.IOC_VIEWER, Role.LEADER)


@rule("scorecard.view_public")
@public
def view_public(user, obj=None) -> bool:
    return True


@rule("scorecard.drill_down")
def drill_down(user, agency) -> bool:
    """The lost points' dossiers of a unit whose root is ``agency``."""
    return is_sysadmin(user) or (agency is not None and has_role(user, VIEW_ROLES, agency))


@rule("scorecard.drill_down_any")
def drill_down_any(user, obj=None) -> bool:
    """A procedure's or field's dossiers, limited to the agencies where the viewer holds a role."""
    return is_sysadmin(user) or has_any_role(user, VIEW_ROLES)


@rule("scorecard.rebuild")
def rebuild(user, obj=None) -> bool:
    return is_sysadmin(user)
