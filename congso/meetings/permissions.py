"""Who may see and do what in meetings (ADR 0164).

- The agency's leaders, văn thư and administrators schedule meetings (``meetings.schedule``); they, the
  chair and the secretary organise it (invitees, agenda, papers, publishing: ``meetings.organise``).
- The chair runs the meeting: starts and ends it, gives the floor, opens and closes votes.
- The secretary (or the chair) writes the minutes and the conclusions.
- Invitees — and the delegate an invitee sent, while the delegation stands — see the meeting, check in,
  ask to speak and vote. A closed item's papers are seen only by invitees, their standing delegates and
  the organisers; an open item's papers also by the agency's staff.
"""

from django.db.models import Q

from congso.core.compiled import CompiledQuery, fields_of
from congso.core.permissions import rule
from congso.directory.models import Role
from congso.directory.scope import has_role
from congso.documents.permissions import member_of

from .models import Invitee, Meeting

SCHEDULE_ROLES = [Role.LEADER, Role.CLERICAL, Role.AGENCY_ADMIN]


def _seats(user_id, meeting_id):
    mine = Q(user_id=user_id) | Q(delegate_id=user_id, answer=Invitee.Answer.DELEGATED)
    return Invitee.objects.filter(mine, meeting_id=meeting_id)


# the vote's and the check-in's read, compiled once (``core.compiled``): 200 members at once
_LOCKED_SEATS = CompiledQuery(
    lambda user_id, meeting_id: (
        _seats(user_id, meeting_id).select_for_update().order_by("pk").values_list(*fields_of(Invitee))
    ),
    model=Invitee,
)


def seat_of(user, meeting, *, for_update: bool = False) -> Invitee | None:
    """The invitation this user acts for: their own (unless they sent a delegate), or the one whose
    delegate they are while the delegation stands. ``meeting``: the meeting or its id. ``for_update``:
    read under row locks, in the caller's transaction (one statement), so a delegation changed a moment
    before is seen."""
    if user is None or not getattr(user, "pk", None):
        return None
    meeting_id = getattr(meeting, "pk", meeting)
    seats = _LOCKED_SEATS.instances(user.pk, meeting_id) if for_update else _seats(user.pk, meeting_id)
    for inv in seats:
        if inv.acting_user_id == user.pk:
            return inv
    return None


def invited(user, meeting) -> bool:
    """Invited in their own name (even after sending a delegate) or a standing delegate."""
    return _seats(user.pk, getattr(meeting, "pk", meeting)).exists()


@rule("meetings.schedule")
def schedule(user, agency) -> bool:
    return has_role(user, SCHEDULE_ROLES, agency)


@rule("meetings.organise")
def organise(user, meeting: Meeting) -> bool:
    return user.pk in (meeting.chair_id, meeting.secretary_id) or has_role(
        user, SCHEDULE_ROLES, meeting.agency
    )


@rule("meetings.view")
def view(user, meeting: Meeting) -> bool:
    return organise(user, meeting) or invited(user, meeting)


@rule("meetings.chair")
def chair(user, meeting: Meeting) -> bool:
    return user.pk == meeting.chair_id


@rule("meetings.minutes")
def minutes(user, meeting: Meeting) -> bool:
    return user.pk in (meeting.secretary_id, meeting.chair_id)


@rule("meetings.view_papers")
def view_papers(user, item) -> bool:
    meeting = item.meeting
    if organise(user, meeting) or invited(user, meeting):
        return True
    return not item.closed and member_of(user, meeting.agency)


@rule("meetings.stats")
def stats(user, agency) -> bool:
    return has_role(user, [Role.LEADER, Role.AGENCY_ADMIN, Role.IOC_VIEWER], agency)
