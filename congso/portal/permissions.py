"""Who may see the portal's pages about a dossier: the person it was filed for, and the helper who filed
it while the citizen's consent lasts — the same rule as the citizen's dossier pages (ADR 0071).

Who may define online forms (the form builder): an agency's administrators (``Role.AGENCY_ADMIN``, over
its sub-tree when the membership says so) for that agency's forms, and system administrators for every
agency and for the national forms (``agency`` None) — the same people who manage the agency's
offerings in the catalogue (``catalog.permissions.managed_agencies``).
"""

from congso.core.permissions import rule
from congso.directory.models import Role
from congso.directory.scope import has_role, is_sysadmin
from congso.dossiers.services import acts_as_applicant


@rule("portal.own_dossier")
def own_dossier(user, dossier) -> bool:
    return acts_as_applicant(user, dossier)


@rule("portal.manage_forms")
def manage_forms(user, agency) -> bool:
    """``agency``: the agency whose forms are managed, or None for the national forms."""

    if is_sysadmin(user):
        return True
    return agency is not None and agency.is_active and has_role(user, Role.AGENCY_ADMIN, agency)
