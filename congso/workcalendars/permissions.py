"""Who may do what with work calendars (``core.permissions`` rules); ``obj`` is a ``Calendar``.

- draft (entries, submit, amend an approved week): the agency's văn thư (``Role.CLERICAL``), directly or
  through a sub-tree membership above it;
- approve (approve, return with a reason): a leader (``Role.LEADER``) of the agency;
- view_staff (drafts, versions, conflicts): whoever may draft or approve, and the calendar's own leader;
- create (a new calendar of the agency or of one of its leaders): the agency's văn thư or administrator.
Published weeks of public calendars are public (``selectors.public_week``); nothing else is.
"""

from congso.core.permissions import rule
from congso.directory.models import Role
from congso.directory.scope import has_role

DRAFT_ROLES = {Role.CLERICAL}
APPROVE_ROLES = {Role.LEADER}
STAFF_ROLES = DRAFT_ROLES | APPROVE_ROLES


@rule("workcalendars.draft")
def draft(user, calendar) -> bool:
    return calendar is not None and has_role(user, Role.CLERICAL, calendar.agency)


@rule("workcalendars.approve")
def approve(user, calendar) -> bool:
    return calendar is not None and has_role(user, Role.LEADER, calendar.agency)


@rule("workcalendars.view_staff")
def view_staff(user, calendar) -> bool:
    if calendar is None or not getattr(user, "is_authenticated", False):
        return False
    if calendar.leader_id and calendar.leader_id == user.pk:
        return True
    return has_role(user, STAFF_ROLES, calendar.agency)


@rule("workcalendars.create")
def create(user, agency) -> bool:
    return agency is not None and has_role(user, (Role.CLERICAL, Role.AGENCY_ADMIN), agency)
