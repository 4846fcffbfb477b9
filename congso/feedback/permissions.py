"""Who may do what with feedback (``core.permissions`` rules).

- handle (accept, reject, transfer, ask for help, draft, merge): a clerk, officer or leader of the
  agency handling the report (or over it through a sub-tree membership);
- approve (publish the answer, return the draft, close): a leader of the handling agency;
- dispatch (assign another agency): a clerk or leader of the handling agency or above it;
- view_identity (the reporter's name and contacts): staff of the agencies that handle or handled it,
  or were asked to help — nobody else, never the public;
- rate / reopen: the reporter's own account;
- manage (categories, routing, Open311 keys): system administrators and the province committee's
  administrators.
"""

import datetime as dt

from django.utils import timezone

from congso.core.permissions import rule
from congso.directory.models import Agency, Role
from congso.directory.scope import active_memberships, has_any_role, has_role, is_sysadmin

HANDLER_ROLES = {Role.CLERK, Role.OFFICER, Role.LEADER}
DISPATCH_ROLES = {Role.CLERK, Role.LEADER}
STATS_ROLES = {Role.LEADER, Role.AGENCY_ADMIN, Role.IOC_VIEWER, Role.CLERK}
REOPEN_DAYS = 7


@rule("feedback.handle")
def handle(user, report) -> bool:
    return has_role(user, HANDLER_ROLES, report.agency)


@rule("feedback.approve")
def approve(user, report) -> bool:
    return has_role(user, Role.LEADER, report.agency)


@rule("feedback.dispatch")
def dispatch(user, report) -> bool:
    return has_role(user, DISPATCH_ROLES, report.agency)


def involved_agencies(report) -> set[int]:
    ids = {report.agency_id}
    for a, b in report.events.values_list("agency_id", "to_agency_id"):
        ids.update(x for x in (a, b) if x)
    ids.update(report.help_requests.values_list("agency_id", flat=True))
    return ids


@rule("feedback.view_identity")
def view_identity(user, report) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if report.reporter_id and report.reporter_id == user.pk:
        return True
    return view_staff(user, report)


@rule("feedback.view_staff")
def view_staff(user, report) -> bool:
    """The staff page of a report (timeline with people, actions): the involved agencies' staff."""
    roles = HANDLER_ROLES | {Role.AGENCY_ADMIN}
    return any(has_role(user, roles, a) for a in Agency.objects.filter(pk__in=involved_agencies(report)))


@rule("feedback.rate")
def rate(user, report) -> bool:
    return bool(report.reporter_id) and report.reporter_id == user.pk


@rule("feedback.reopen")
def reopen(user, report) -> bool:
    if not rate(user, report) or report.reopened or report.answered_at is None:
        return False
    return timezone.now() - report.answered_at <= dt.timedelta(days=REOPEN_DAYS)


@rule("feedback.enter")
def enter(user, _obj=None) -> bool:
    """Staff enter reports received by hotline, e-mail, social media or in person."""
    return has_any_role(user, HANDLER_ROLES)


@rule("feedback.manage")
def manage(user, _obj=None) -> bool:
    if is_sysadmin(user):
        return True
    return active_memberships(user, Role.AGENCY_ADMIN).filter(agency__parent__isnull=True).exists()


@rule("feedback.view_stats")
def view_stats(user, _obj=None) -> bool:
    return is_sysadmin(user) or has_any_role(user, STATS_ROLES)
