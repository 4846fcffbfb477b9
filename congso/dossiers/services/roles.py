"""Who acts as what on a dossier: the counter's roles, the applicant (and a consenting helper's)
stand-in, the system's pseudo-roles, and the transitions a user may take now.
"""

from __future__ import annotations

from dataclasses import dataclass

from congso.accounts.services import ConsentRequired, require_consent
from congso.directory.models import Agency, Role
from congso.directory.scope import active_memberships, agencies_for, roles_at

from ..models import Dossier
from ..workflow import APPLICANT, DOSSIER, step_kind


@dataclass(frozen=True)
class SystemActor:
    """The system acting on a dossier with one pseudo-role of ``workflow.py`` (no user, no session).

    Built only in code, never from a request: a person can never obtain such a role, because
    ``roles_for`` gives pseudo-roles to SystemActor instances only. Used by ``record_gateway_payment``.
    """

    role: str
    name: str
    is_authenticated = False
    pk = None

    def __str__(self):
        return self.name


def counter_roles(user, agency: Agency) -> set[str]:
    """Roles at ``agency`` plus the counter role a Public Administration Service Centre's clerk holds for
    every agency the centre serves (``Agency.serves``, with their sub-trees)."""
    roles = roles_at(user, agency)
    if Role.CLERK not in roles:
        centres = active_memberships(user, Role.CLERK).filter(agency__kind=Agency.Kind.SERVICE_CENTRE)
        served = Agency.objects.filter(served_by__in=centres.values("agency_id")).values_list(
            "path", flat=True
        )
        if any(agency.path.startswith(path) for path in served):
            roles.add(Role.CLERK)
    return roles


@dataclass(frozen=True)
class CounterScope:
    """Where a user receives at the counter: agencies where they are a clerk (sub-trees expanded) and
    the trees their service centres serve. ``covers(agency)`` gives the same answer as
    ``Role.CLERK in counter_roles(user, agency)``, from two queries for every agency at once."""

    agency_ids: frozenset
    served_paths: tuple

    def covers(self, agency: Agency) -> bool:
        return agency.pk in self.agency_ids or any(agency.path.startswith(p) for p in self.served_paths)


def counter_scope(user) -> CounterScope:
    ids = frozenset(agencies_for(user, Role.CLERK).values_list("pk", flat=True))
    centres = active_memberships(user, Role.CLERK).filter(agency__kind=Agency.Kind.SERVICE_CENTRE)
    served = Agency.objects.filter(served_by__in=centres.values("agency_id")).values_list("path", flat=True)
    return CounterScope(ids, tuple(served))


def acts_as_applicant(user, dossier: Dossier) -> bool:
    """The applicant's account, or the community helper who filed it while the applicant's consent
    (accounts.services.require_consent, for this procedure) is active — never after it is revoked or
    has expired, and never when the dossier has no applicant account to have consented (ADR 0071)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.pk == dossier.applicant_id:
        return True
    if user.pk != dossier.assisted_by_id or dossier.applicant_id is None:
        return False
    try:
        require_consent(user, dossier.applicant, dossier.procedure_version.procedure.code)
    except ConsentRequired:
        return False
    return True


def roles_for(user, dossier: Dossier) -> set[str]:
    if isinstance(user, SystemActor):
        return {user.role}
    roles = roles_at(user, dossier.current_agency)
    # The counter that receives for the agency keeps its counter role (check, return, payments).
    roles |= counter_roles(user, dossier.receiving_agency) & {Role.CLERK}
    if acts_as_applicant(user, dossier):
        roles.add(APPLICANT)
    return roles


def available_transitions(user, dossier: Dossier, *, roles: set[str] | None = None) -> list:
    """The transitions ``user`` may take on ``dossier`` now: its status, the user's roles there and the
    kind of its current step (e.g. "issue result" only at văn thư's issue step). Pages and the API
    list their actions with this. ``roles``: the user's roles there when the caller has them."""
    roles = roles_for(user, dossier) if roles is None else roles
    return DOSSIER.available(dossier.status, roles, step=step_kind(dossier.current_step))
