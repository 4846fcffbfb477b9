"""Who may do what with voting (``core.permissions`` rules).

- manage (rules, bodies): system administrators; a body: also its agency's administrators; the rules
  (shared reference data): also the province People's Committee's administrators;
- run a poll (send, remind, close early, follow the answers): the body's secretaries;
- answer a poll: checked by the ballot itself (the electorate, ``services.voter_for``);
- view a poll (draft, result): the body's members and secretaries, and its managers.
"""

from congso.core.permissions import rule
from congso.directory.models import Role
from congso.directory.scope import active_memberships, has_any_role, has_role, is_sysadmin


def _signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


@rule("voting.manage")
def manage(user, obj=None) -> bool:
    if is_sysadmin(user):
        return True
    agency = getattr(obj, "agency", None)
    if agency is not None:
        return has_role(user, Role.AGENCY_ADMIN, agency)
    # the rules are shared reference data: the province committee's administrators
    return active_memberships(user, Role.AGENCY_ADMIN).filter(agency__parent__isnull=True).exists()


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
