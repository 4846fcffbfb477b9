"""Officials' inboxes: what each role has to do now, with filters and search.

Every box is one indexed range: ``(current_agency, holder_role, status, due_at)``. The agencies a
user may see come from their directory memberships (and the sub-trees they were granted), so an
official never sees another agency's work.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from congso.calendar import engine as calendar
from congso.calendar.models import CalendarException, OfficeHours
from congso.core.text import fold
from congso.directory.models import Agency, Role
from congso.directory.scope import active_memberships

from . import clock
from .models import IN_PROCESS_STATUSES, OPEN_STATUSES, Dossier, ProcessStep, Status


class Box(models.TextChoices):
    RECEIVE = "receive", _("Chờ tiếp nhận")
    HANDLE = "handle", _("Chờ xử lý")
    REVIEW = "review", _("Chờ xem xét")
    SIGN = "sign", _("Chờ ký duyệt")
    ISSUE = "issue", _("Chờ phát hành")
    RETURN = "return", _("Chờ trả kết quả")
    DUE_SOON = "due_soon", _("Sắp đến hạn")
    OVERDUE = "overdue", _("Quá hạn")
    LATE_NO_APOLOGY = "late_no_apology", _("Trễ hạn chưa có văn bản xin lỗi")
    SUPPLEMENT = "supplement", _("Chờ bổ sung")
    TRANSFERRED_IN = "transferred_in", _("Liên thông chuyển đến")
    ALL = "all", _("Tất cả hồ sơ")


# box -> (role whose inbox it is, statuses, extra filter)
ROLE_BOXES = {
    Box.RECEIVE: (Role.CLERK, (Status.NEW,), Q()),
    Box.HANDLE: (Role.OFFICER, IN_PROCESS_STATUSES, Q()),
    Box.REVIEW: (
        Role.LEADER,
        IN_PROCESS_STATUSES,
        ~Q(current_step__kind=ProcessStep.Kind.APPROVE),
    ),
    Box.SIGN: (
        Role.LEADER,
        IN_PROCESS_STATUSES,
        Q(current_step__kind=ProcessStep.Kind.APPROVE),
    ),
    Box.ISSUE: (Role.CLERICAL, IN_PROCESS_STATUSES, Q()),
    Box.RETURN: (Role.CLERK, (Status.PROCESSED,), Q()),
}


def agency_scope(user, roles=None) -> Q:
    """Q over ``current_agency`` for the agencies where ``user`` holds any of ``roles`` (if None, any
    role but system administration, which gives no access to dossiers: ADR 0003)."""
    if roles is None:
        roles = [r for r in Role.values if r != Role.SYSADMIN]
    q = Q(pk__in=[])
    direct = []
    for m in active_memberships(user, roles).select_related("agency"):
        if m.include_subtree:
            q |= Q(current_agency__path__startswith=m.agency.path)
        else:
            direct.append(m.agency_id)
        if m.role == Role.CLERK and m.agency.kind == Agency.Kind.SERVICE_CENTRE:
            # A service centre's counter receives and returns for the agencies it serves (Agency.serves,
            # with their sub-trees), as services.counter_roles says.
            for path in m.agency.serves.values_list("path", flat=True):
                q |= Q(current_agency__path__startswith=path)
    if direct:
        q |= Q(current_agency_id__in=direct)
    return q


def boxes_for(user) -> list[Box]:
    roles = set(active_memberships(user).values_list("role", flat=True))
    boxes = [box for box, (role, _s, _q) in ROLE_BOXES.items() if role in roles]
    if roles & {Role.CLERK, Role.OFFICER, Role.LEADER, Role.CLERICAL}:
        boxes += [Box.DUE_SOON, Box.OVERDUE, Box.SUPPLEMENT, Box.TRANSFERRED_IN, Box.ALL]
    if Role.LEADER in roles:
        boxes.insert(boxes.index(Box.OVERDUE) + 1, Box.LATE_NO_APOLOGY)
    return boxes


def box_counts(user, boxes) -> dict[Box, int]:
    """How many dossiers wait in each of ``boxes`` that is a role's inbox, in one query (the
    officials' navigation shows them on every page)."""
    aggregates = {}
    for box in boxes:
        if box in ROLE_BOXES:
            role, statuses, extra = ROLE_BOXES[box]
            scope = agency_scope(user, [role]) & Q(holder_role=role, status__in=statuses) & extra
            aggregates[Box(box).value] = models.Count("pk", filter=scope)
    if not aggregates:
        return {}
    return {Box(key): value for key, value in Dossier.objects.aggregate(**aggregates).items()}


def _due_soon_horizon(now: dt.datetime) -> dt.datetime:
    """A moment after which no dossier is "due soon" under ANY province's calendar: the close of the
    (threshold + 1)-th working day from today, under the nationwide calendar and under each province
    that has its own days or office hours (the others follow the nationwide one)."""
    import math

    threshold = getattr(settings, "CONGSO_CALENDAR_DUE_SOON_DAYS", 1)
    n = math.ceil(float(getattr(threshold, "amount", threshold))) + 1
    provinces = {None}
    provinces |= set(CalendarException.objects.filter(unit__isnull=False).values_list("unit_id", flat=True))
    provinces |= set(OfficeHours.objects.filter(unit__isnull=False).values_list("unit_id", flat=True))
    horizon = now
    for province in provinces:
        cal = calendar.get_calendar(province)
        horizon = max(horizon, cal.closing(cal.nth_working_day_after(cal.local(now).date(), n)))
    return horizon


def _due_soon(qs, now: dt.datetime):
    """Open dossiers whose flag is "due soon" by their OWN province's calendar (clock.flag): a cheap
    index range up to a horizon no calendar exceeds, then the exact flag of the few rows in it."""
    window = qs.filter(status__in=OPEN_STATUSES, due_at__gte=now, due_at__lte=_due_soon_horizon(now))
    ids = [
        d.pk
        for d in window.select_related(None)
        .select_related("receiving_agency")
        .only("pk", "due_at", "finished_at", "receiving_agency__unit_id")
        if clock.flag(d, now) == calendar.DeadlineStatus.DUE_SOON
    ]
    return qs.filter(pk__in=ids)


def inbox(
    user,
    box: str,
    *,
    q: str = "",
    procedure: str = "",
    channel: int | None = None,
    mine: bool = False,
    now: dt.datetime | None = None,
):
    """The dossiers in ``box`` for ``user``, most urgent first."""
    now = now or timezone.now()
    box = Box(box)
    qs = Dossier.objects.select_related(
        "procedure_version__procedure", "receiving_agency", "current_agency", "current_step", "assignee"
    )
    if box in ROLE_BOXES:
        role, statuses, extra = ROLE_BOXES[box]
        qs = qs.filter(agency_scope(user, [role]), holder_role=role, status__in=statuses).filter(extra)
    else:
        qs = qs.filter(agency_scope(user))
        if box == Box.OVERDUE:
            qs = qs.filter(status__in=OPEN_STATUSES, due_at__lt=now)
        elif box == Box.LATE_NO_APOLOGY:
            # Flagged to leaders: overdue, and nobody sent the apology and new date before the deadline.
            qs = qs.filter(status__in=OPEN_STATUSES, due_at__lt=now, is_late=False)
        elif box == Box.DUE_SOON:
            qs = _due_soon(qs, now)
        elif box == Box.SUPPLEMENT:
            qs = qs.filter(status=Status.SUPPLEMENT)
        elif box == Box.TRANSFERRED_IN:
            qs = qs.filter(status__in=OPEN_STATUSES).exclude(current_agency=models.F("receiving_agency"))
    if mine:
        qs = qs.filter(assignee=user)
    if channel:
        qs = qs.filter(channel=channel)
    if procedure:
        qs = qs.filter(procedure_version__procedure__code=procedure)
    if q:
        text = q.strip()
        folded = fold(text)
        qs = qs.filter(
            Q(code__iexact=text)
            | Q(code__istartswith=text)
            | Q(applicant_id_number=text)
            | Q(applicant_phone=text)
            | Q(applicant_folded__contains=folded)
        )
    return qs.order_by(models.F("due_at").asc(nulls_last=True), "submitted_at")
