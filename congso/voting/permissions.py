"""Who may do what with voting (``core.permissions`` rules).

- manage (rules, bodies): system administrators and the agency administrators of the body's agency
  (for a new rule or body: any agency administrator — a rule is shared reference data);
- run a poll (send, remind, close early, follow the answers): the body's secretaries;
- answer a poll: checked by the ballot itself (the electorate, ``services.voter_for``);
- view a poll (draft, result): the body's members and secretaries, and its managers.
"""

from congso.core.permissions import rule
from congso.directory.models import Role
from congso.directory.scope import has_any_role, has_role, is_sysadmin


def _signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


@rule("voting.manage")
def manage(user, obj=None) -> bool:
    if is_sysadmin(user):
        return True
    agency = getattr(obj, "agency", None)
    if agency is not None:
        return has_role(user, Role.AGENCY_ADMIN, agency)
    return has_any_role(user, Role.AGENCY_ADMIN)


@rule("voting.run_poll")
def run_poll(user, body) -> bool:
    return _signed_in(user) and body is not None and body.secretaries.filter(pk=user.pk).exists()


@rule("voting.view_body")
def view_body(user, body) -> bool:
    if not _signed_in(user) or body is None:
        return False
    return (
        body.members.filter(pk=user.pk).exists()
        or body.secretaries.filter(pk=user.pk).exists()
        or manage(user, body)
    )


@rule("voting.see_rules")
def see_rules(user, _obj=None) -> bool:
    """Officials (the rules are reference data of collectives, not public)."""
    return _signed_in(user) and (is_sysadmin(user) or has_any_role(user))
