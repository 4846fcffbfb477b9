"""Who may do what in evaluations (ADR 0150). Each rule takes the object it is about.

- a framework is edited by the agency administrators of its owner (the province's People's
  Committee, say) and by system administrators;
- a unit's values are entered by its leaders and administrators (``SELF_ASSESS_ROLES``);
- the province's evaluators (``Role.EVALUATOR`` at the owner agency, or over it) review the values,
  never those of a unit they work in themselves (any membership at the unit or inside it);
- the evaluators and the owner's administrators move a round along; the owner's leaders publish it
  (the annex carries the owner's seal);
- results are read by the owner's leaders, evaluators, administrators and the operations centre, and
  by everyone once published; a unit reads its own values and results.
"""

from congso.core.permissions import rule
from congso.directory.models import Role
from congso.directory.scope import active_memberships, has_role, is_sysadmin

SELF_ASSESS_ROLES = {Role.LEADER, Role.AGENCY_ADMIN}
OWNER_VIEW_ROLES = {Role.EVALUATOR, Role.LEADER, Role.AGENCY_ADMIN, Role.IOC_VIEWER}
ROUND_ROLES = {Role.EVALUATOR, Role.AGENCY_ADMIN}


def works_in(user, unit) -> bool:
    """The user holds any role at ``unit`` or at an agency inside it: it is their own unit."""
    return active_memberships(user).filter(agency__path__startswith=unit.path).exists()


@rule("evaluations.manage_framework")
def manage_framework(user, owner) -> bool:
    """``owner``: the framework's owner agency (a framework, or the agency a new one is made for)."""
    owner = getattr(owner, "owner", owner)
    return is_sysadmin(user) or has_role(user, Role.AGENCY_ADMIN, owner)


@rule("evaluations.view_framework")
def view_framework(user, framework) -> bool:
    return (
        is_sysadmin(user)
        or has_role(user, OWNER_VIEW_ROLES, framework.owner)
        or active_memberships(user).filter(agency__path__startswith=framework.owner.path).exists()
    )


@rule("evaluations.view_round")
def view_round(user, round_) -> bool:
    """The round itself (its state, its framework): whoever may see the framework."""
    return view_framework(user, round_.framework)


@rule("evaluations.manage_round")
def manage_round(user, round_) -> bool:
    return has_role(user, ROUND_ROLES, round_.framework.owner)


@rule("evaluations.publish")
def publish(user, round_) -> bool:
    return has_role(user, Role.LEADER, round_.framework.owner)


@rule("evaluations.self_assess")
def self_assess(user, unit) -> bool:
    """The unit's own leaders and administrators (a membership at the unit itself, not a province role
    reaching it through a sub-tree: the province evaluates, the unit assesses itself)."""
    return active_memberships(user, SELF_ASSESS_ROLES).filter(agency=unit).exists()


@rule("evaluations.view_unit")
def view_unit(user, assessment) -> bool:
    """``assessment``: (round, unit). The unit's own staff, and the owner's evaluators and leaders."""
    round_, unit = assessment
    return has_role(user, OWNER_VIEW_ROLES, round_.framework.owner) or self_assess(user, unit)


@rule("evaluations.review")
def review(user, entry) -> bool:
    """A province evaluator, on a unit they do not work in."""
    return has_role(user, Role.EVALUATOR, entry.round.framework.owner) and not works_in(user, entry.unit)


@rule("evaluations.view_results")
def view_results(user, round_) -> bool:
    if round_.state == round_.State.PUBLISHED:
        return bool(getattr(user, "is_authenticated", False))
    return has_role(user, OWNER_VIEW_ROLES, round_.framework.owner)


@rule("evaluations.open_round")
def open_round(user, framework) -> bool:
    return has_role(user, ROUND_ROLES, framework.owner)
