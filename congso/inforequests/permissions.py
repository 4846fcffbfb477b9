"""Who may do what with information requests (``core.permissions`` rules).

- handle (accept, extend, answer, refuse; see the requester's identity): a clerk, officer or leader of
  the agency asked (or over it through a sub-tree membership) — the agency's information focal point
  (đầu mối cung cấp thông tin, Decree 13/2018) is one of these; no new directory role;
- view_own: the requester's own account;
- manage_disclosure (the agency's list of information it must publish): the agency's administrator or
  leader, or a system administrator.
"""

from congso.core.permissions import rule
from congso.directory.models import Role
from congso.directory.scope import has_any_role, has_role, is_sysadmin

HANDLER_ROLES = {Role.CLERK, Role.OFFICER, Role.LEADER}
DISCLOSURE_ROLES = {Role.AGENCY_ADMIN, Role.LEADER}


@rule("inforequests.handle")
def handle(user, request) -> bool:
    return has_role(user, HANDLER_ROLES, request.agency)


@rule("inforequests.view_own")
def view_own(user, request) -> bool:
    return bool(request.requester_id) and request.requester_id == getattr(user, "pk", None)


@rule("inforequests.manage_disclosure")
def manage_disclosure(user, agency=None) -> bool:
    if is_sysadmin(user):
        return True
    if agency is None:
        return has_any_role(user, DISCLOSURE_ROLES)
    return has_role(user, DISCLOSURE_ROLES, agency)
