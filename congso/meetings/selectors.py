"""Reads of meetings that pages, the API and other apps use (ADR 0164)."""

from __future__ import annotations

import dataclasses
import datetime as dt

from django.db.models import Case, Count, F, Q, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from congso.directory.scope import agencies_for
from congso.workcalendars.types import Entry

from .models import Annotation, Conclusion, Invitee, Meeting, Paper, SpeakRequest
from .permissions import SCHEDULE_ROLES

M = Meeting.Status


@dataclasses.dataclass
class Attendance:
    members: int
    present_members: int
    present: int
    invited: int
    quorum_needed: int

    @property
    def quorate(self) -> bool:
        return self.present_members >= self.quorum_needed


def quorum_needed(meeting: Meeting, members: int) -> int:
    """More than half of the members (the People's Committee's working rules), unless the voting rule
    of the meeting's type says otherwise (``quorum_rule`` hook filled once voting is wired)."""
    return members // 2 + 1 if members else 0


def attendance(meeting: Meeting) -> Attendance:
    row = Invitee.objects.filter(meeting=meeting).aggregate(
        invited=Count("id"),
        present=Count("id", filter=Q(checked_in_at__isnull=False)),
        members=Count("id", filter=Q(role=Invitee.Role.MEMBER)),
        present_members=Count("id", filter=Q(role=Invitee.Role.MEMBER, checked_in_at__isnull=False)),
    )
    return Attendance(
        members=row["members"],
        present_members=row["present_members"],
        present=row["present"],
        invited=row["invited"],
        quorum_needed=quorum_needed(meeting, row["members"]),
    )


def queue(meeting: Meeting) -> list[SpeakRequest]:
    return list(
        SpeakRequest.objects.filter(meeting=meeting, state__in=["waiting", "speaking"])
        .select_related("user", "invitee__user")
        .annotate(speaking_first=Case(When(state="speaking", then=Value(0)), default=Value(1)))
        .order_by("speaking_first", "order", "id")  # the speaker first, then the waiting in order
    )


def my_meetings(user, *, upcoming=True):
    """Meetings the user organises, chairs, is its secretary, is invited to or stands in for."""
    agencies = agencies_for(user, SCHEDULE_ROLES)
    qs = Meeting.objects.filter(
        Q(chair=user)
        | Q(secretary=user)
        | Q(invitees__user=user)
        | Q(invitees__delegate=user, invitees__answer=Invitee.Answer.DELEGATED)
        | Q(agency__in=agencies)
    ).distinct()
    now = timezone.now()
    if upcoming:
        return qs.filter(end__gte=now - dt.timedelta(hours=12)).exclude(status=M.CANCELLED).order_by("start")
    return qs.filter(end__lt=now - dt.timedelta(hours=12)).order_by("-start")


def calendar_entries(user_ids: set[int], unit_ids: set[int], start, end) -> list[Entry]:
    """The work calendars' source (``workcalendars.hooks.calendar_sources``): each meeting overlapping
    [start, end) on the calendar of each of its people (chair, secretary, the invitees who attend or
    their delegates) and of its agency. Public unless it has a closed item."""
    user_ids, unit_ids = set(user_ids or ()), set(unit_ids or ())
    if not user_ids and not unit_ids:
        return []
    qs = (
        Meeting.objects.filter(start__lt=end, end__gt=start)
        .exclude(status=M.CANCELLED)
        .filter(
            Q(chair_id__in=user_ids)
            | Q(secretary_id__in=user_ids)
            | Q(invitees__user_id__in=user_ids)
            | Q(invitees__delegate_id__in=user_ids)
            | Q(agency_id__in=unit_ids)
        )
        .distinct()
        .select_related("room")
        .prefetch_related("invitees", "items")
    )
    out = []
    for m in qs:
        url = reverse("meetings:detail", args=[m.pk])
        public = not any(it.closed for it in m.items.all())
        place = m.room.name if m.room else str(_("Họp trực tuyến"))
        people = {m.chair_id, m.secretary_id}
        for inv in m.invitees.all():
            if inv.answer != Invitee.Answer.DECLINED:
                people.add(inv.acting_user_id)
        for uid in sorted(people & user_ids):
            out.append(
                Entry(
                    uid,
                    None,
                    m.start,
                    m.end,
                    m.title,
                    place,
                    url,
                    "meetings",
                    public,
                    f"meeting-{m.pk}-{uid}",
                )
            )
        if m.agency_id in unit_ids:
            out.append(
                Entry(
                    None,
                    m.agency_id,
                    m.start,
                    m.end,
                    m.title,
                    place,
                    url,
                    "meetings",
                    public,
                    f"meeting-{m.pk}",
                )
            )
    return out


def annotations(user, paper: Paper) -> list[Annotation]:
    """The user's own notes on a paper: nobody else's, ever."""
    return list(Annotation.objects.filter(paper=paper, author=user))


def stats(agency_ids=None, start=None, end=None) -> dict:
    """The issue's indicators: the People's Committee meetings held through the system, papers
    published on time, conclusions carried out on time."""
    meetings = Meeting.objects.exclude(status=M.CANCELLED)
    if agency_ids is not None:
        meetings = meetings.filter(agency_id__in=agency_ids)
    if start:
        meetings = meetings.filter(start__gte=start)
    if end:
        meetings = meetings.filter(start__lt=end)
    held = meetings.filter(status=M.ENDED)
    pc = held.filter(meeting_type__kind="pc_regular")
    # held through the system: its members checked in here and its papers were published here
    pc_in_system = (
        pc.filter(papers_published_at__isnull=False, invitees__checked_in_at__isnull=False).distinct().count()
    )
    # papers count once their deadline has passed or they were published (early is on time): the
    # on-time ones are a part of the due ones, so the share never passes 100 %
    now = timezone.now()
    candidates = meetings.filter(
        Q(papers_published_at__isnull=False) | Q(start__lte=now + dt.timedelta(days=30))
    ).select_related("meeting_type")
    papers_due = on_time = 0
    for m in candidates:
        if m.papers_published_at is None and m.papers_due > now:
            continue
        papers_due += 1
        on_time += m.papers_published_at is not None and m.papers_published_at <= m.papers_due
    conclusions = Conclusion.objects.filter(
        meeting__in=held, task__isnull=False, deadline__lte=timezone.localdate()
    )
    done_on_time = conclusions.filter(task__status="done", task__done_at__date__lte=F("deadline")).count()
    return {
        "pc_meetings_held": pc.count(),
        "pc_meetings_in_system": pc_in_system,
        "papers_due": papers_due,
        "papers_on_time": on_time,
        "conclusions_due": conclusions.count(),
        "conclusions_on_time": done_on_time,
    }
