"""Use cases of the queue-ticket system. Views and API endpoints call these and nothing else.

Every function that changes state runs in one transaction, takes the row lock it needs, checks
permission through ``congso.core.permissions`` and writes its audit entry in the same transaction.
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from congso.calendar.engine import get_calendar
from congso.core import audit
from congso.core.errors import Forbidden, ServiceError
from congso.core.locking import lock
from congso.core.permissions import require
from congso.core.text import ascii_digits
from congso.directory.models import Agency
from congso.directory.selectors import agency_by_code

from .models import Counter, DailySequence, Ticket, TicketService, validate_prefix
from .transitions import TICKET_ACTIONS, TICKETS, TRANSITIONS

S = Ticket.State


# The HTTP status of a refusal, by its code (anything else: 400).
QUEUE_ERROR_STATUS = {
    "not_found": 404,
    "invalid_state": 409,
    "counter_busy": 409,
    "queue_empty": 409,
    "other_counter": 409,
    "closed": 409,
}


class QueueError(ServiceError):
    """A refused request, with a Vietnamese message fit to show to the person who made it.

    A ``ServiceError`` whose status follows its code (``QUEUE_ERROR_STATUS``), so the API's one
    error handler answers 404 / 409 / 400 as the queue's endpoints always have."""

    def __init__(self, message: str, code: str = "invalid", *, field: str | None = None):
        super().__init__(message, code=code, field=field)
        self.status = QUEUE_ERROR_STATUS.get(code, 400)


# --- lookups --------------------------------------------------------------------------------


def centres():
    return Agency.objects.filter(kind=Agency.Kind.SERVICE_CENTRE, is_active=True).order_by("code")


def get_centre(code: str) -> Agency:
    centre = agency_by_code(code, active_only=True, kind=Agency.Kind.SERVICE_CENTRE)
    if centre is None:
        raise QueueError(_("Không tìm thấy trung tâm phục vụ hành chính công này."), "not_found")
    return centre


def active_services(centre: Agency):
    return TicketService.objects.filter(centre=centre, is_active=True).order_by(
        "-is_priority", "position", "prefix"
    )


def get_counter(centre: Agency, number: int) -> Counter:
    try:
        return Counter.objects.get(centre=centre, number=number)
    except Counter.DoesNotExist:
        raise QueueError(_("Không tìm thấy quầy số %(number)s.") % {"number": number}, "not_found") from None


def _describe(ticket: Ticket, **extra) -> dict:
    data = {
        "code": ticket.code,
        "service": ticket.service.prefix,
        "day": ticket.day.isoformat(),
        "state": ticket.state,
    }
    if ticket.counter_id:
        data["counter"] = ticket.counter.number
    data.update(extra)
    return data


# --- office hours ---------------------------------------------------------------------------

WEEKDAYS = (
    gettext_lazy("thứ Hai"),
    gettext_lazy("thứ Ba"),
    gettext_lazy("thứ Tư"),
    gettext_lazy("thứ Năm"),
    gettext_lazy("thứ Sáu"),
    gettext_lazy("thứ Bảy"),
    gettext_lazy("Chủ nhật"),
)


def _weekday(day: date) -> str:
    return str(WEEKDAYS[day.weekday()])


@dataclass(frozen=True)
class Opening:
    """Whether a centre issues numbers now, from the working-day calendar of its province (days off,
    make-up working days, office hours): what the kiosk announces and what take_ticket enforces."""

    is_open: bool
    hours: str  # "07:30–11:30, 13:30–17:00"
    message: str  # why it is closed and when it opens again ("" while open)
    next_opening: datetime | None


def opening(centre: Agency, now: datetime | None = None) -> Opening:
    now = now or timezone.now()
    cal = get_calendar(centre.unit if centre.unit_id else None)
    local = cal.local(now)
    today = local.date()
    hours = ", ".join(f"{a:%H:%M}–{b:%H:%M}" for a, b in cal.hours.intervals)
    if cal.is_working_day(today) and cal.opening(today) <= local < cal.closing(today):
        return Opening(True, hours, "", None)
    if cal.is_working_day(today) and local < cal.opening(today):
        day = today
        why = _("Trung tâm chưa đến giờ làm việc.")
    elif cal.is_working_day(today):
        day = cal.next_working_day(today)
        why = _("Trung tâm đã hết giờ làm việc hôm nay.")
    else:
        day = cal.next_working_day(today)
        reason = cal.day_notes(today.year).get(today, (False, ""))[1]
        why = _("Hôm nay (%(weekday)s, %(date)s) là ngày nghỉ%(reason)s, trung tâm không phát số.") % {
            "weekday": _weekday(today),
            "date": today.strftime("%d/%m/%Y"),
            "reason": f" — {reason}" if reason else "",
        }
    opens = cal.opening(day)
    message = _("%(why)s Mời quay lại từ %(time)s %(weekday)s, %(date)s.") % {
        "why": why,
        "time": opens.strftime("%H:%M"),
        "weekday": _weekday(day),
        "date": day.strftime("%d/%m/%Y"),
    }
    return Opening(False, hours, message, opens)


def closed_now(centre: Agency, now: datetime | None = None) -> Opening | None:
    """The centre's closed state if it issues no numbers now (None while open, or when the setting
    ``CONGSO_QUEUE_OFFICE_HOURS_ONLY`` is off)."""
    if not getattr(settings, "CONGSO_QUEUE_OFFICE_HOURS_ONLY", True):
        return None
    state = opening(centre, now)
    return None if state.is_open else state


def check_open(centre: Agency, now: datetime) -> None:
    """Refuse a number outside the centre's working hours (kiosk, phone and API alike)."""
    state = closed_now(centre, now)
    if state is not None:
        raise QueueError(state.message, "closed")


# --- taking a number ------------------------------------------------------------------------


def _issue(service: TicketService, *, now: datetime, channel: str, actor=None, **fields) -> Ticket:
    """Give the next number of ``service`` today. Caller holds a transaction."""
    day = timezone.localdate(now)
    DailySequence.objects.bulk_create([DailySequence(service=service, day=day)], ignore_conflicts=True)
    sequence = DailySequence.objects.select_for_update().get(service=service, day=day)
    number = sequence.last_number + 1
    if service.daily_limit and number > service.daily_limit:
        raise QueueError(
            _(
                "Dịch vụ “%(service)s” đã phát hết %(limit)s số của hôm nay. Mời quay lại vào ngày làm việc sau."
            )
            % {"service": service.name, "limit": service.daily_limit},
            "sold_out",
        )
    sequence.last_number = number
    sequence.save(update_fields=["last_number"])
    fields.setdefault("priority", service.is_priority)
    fields.setdefault("queued_at", now)
    ticket = Ticket.objects.create(
        centre=service.centre,
        service=service,
        day=day,
        number=number,
        code=Ticket.format_code(service.prefix, number),
        channel=channel,
        taken_at=now,
        **fields,
    )
    return ticket


def take_ticket(
    service_id, *, actor=None, channel: str = Ticket.Channel.KIOSK, centre: Agency | None = None
) -> Ticket:
    """Take the next number of a service. Anyone may; rate limits are applied by the caller."""
    with transaction.atomic():
        try:
            service = TicketService.objects.select_related("centre").get(pk=int(service_id))
        except (TicketService.DoesNotExist, TypeError, ValueError):
            raise QueueError(_("Hãy chọn một dịch vụ trong danh sách."), "invalid_service") from None
        if centre is not None and service.centre_id != centre.pk:
            raise QueueError(_("Hãy chọn một dịch vụ trong danh sách."), "invalid_service")
        require(actor, "counters.take", service, _("Dịch vụ này hiện không phát số."))
        now = timezone.now()
        check_open(service.centre, now)
        ticket = _issue(service, now=now, channel=channel, actor=actor)
        audit.record("counters.ticket.take", obj=ticket, actor=actor, data=_describe(ticket, channel=channel))
        return ticket


# --- calling and serving --------------------------------------------------------------------


def current_ticket(counter: Counter) -> Ticket | None:
    """The ticket called to (or being served at) this counter today, if any."""
    ticket = counter.last_called
    if ticket and ticket.day == timezone.localdate() and ticket.state in (S.CALLED, S.SERVING):
        return ticket
    return None


def call_next(user, counter_id) -> Ticket:
    """Call the oldest waiting ticket of the counter's services, priority tickets first.

    The counter row is locked (no double call from one counter); tickets are locked with
    SKIP LOCKED, so two clerks calling at the same moment never get the same ticket.
    """
    with transaction.atomic():
        try:
            if not lock(Counter, pk=counter_id):  # the row alone, then read fresh (core.locking)
                raise Counter.DoesNotExist
            counter = Counter.objects.select_related("centre").get(pk=counter_id)
        except (Counter.DoesNotExist, TypeError, ValueError):
            raise QueueError(_("Không tìm thấy quầy."), "not_found") from None
        TICKETS.authorize("call", user, counter)
        if not counter.is_active:
            raise QueueError(_("Quầy này đang đóng. Hãy mở quầy trước khi gọi số."), "counter_closed")
        busy = current_ticket(counter)
        if busy is not None:
            raise QueueError(
                _("Quầy đang gọi hoặc phục vụ số %(code)s. Hãy kết thúc số này trước khi gọi số tiếp theo.")
                % {"code": busy.code},
                "counter_busy",
            )
        service_ids = list(counter.services.filter(is_active=True).values_list("pk", flat=True))
        if not service_ids:
            raise QueueError(_("Quầy chưa được phân công dịch vụ nào."), "no_services")
        ticket = (
            Ticket.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(
                centre=counter.centre, day=timezone.localdate(), state=S.WAITING, service_id__in=service_ids
            )
            .order_by("-priority", "queued_at", "id")
            .first()
        )
        if ticket is None:
            raise QueueError(_("Không còn ai đang chờ ở các dịch vụ của quầy này."), "queue_empty")
        now = timezone.now()
        stamped = TICKETS.apply(ticket, "call", now=now)  # state and called_at
        ticket.counter = counter
        ticket.handled_by = user
        ticket.first_called_at = ticket.first_called_at or now
        ticket.save(update_fields=[*stamped, "counter", "handled_by", "first_called_at"])
        counter.last_called = ticket
        counter.save(update_fields=["last_called"])
        audit.record("counters.ticket.call", obj=ticket, actor=user, data=_describe(ticket))
        return ticket


def act(user, ticket_id, action: str, *, counter: Counter | None = None, target_service_id=None) -> Ticket:
    """Apply one clerk action (recall, start, finish, no_show, transfer, requeue) to a ticket."""
    if action not in TICKET_ACTIONS:
        raise QueueError(_("Thao tác không hợp lệ."), "invalid_action")
    transition = TRANSITIONS[action]
    with transaction.atomic():
        try:
            if not lock(Ticket, pk=ticket_id):  # the row alone, then read fresh (core.locking)
                raise Ticket.DoesNotExist
            ticket = Ticket.objects.select_related("service", "centre", "counter").get(pk=ticket_id)
        except (Ticket.DoesNotExist, TypeError, ValueError):
            raise QueueError(_("Không tìm thấy phiếu số."), "not_found") from None
        TICKETS.authorize(action, user, ticket)
        if ticket.day != timezone.localdate():
            raise QueueError(
                _("Phiếu %(code)s là của ngày %(day)s, không còn hiệu lực.")
                % {"code": ticket.code, "day": ticket.day.strftime("%d/%m/%Y")},
                "expired",
            )
        if ticket.state not in transition.sources:
            raise QueueError(
                _("Không thể “%(action)s” phiếu %(code)s đang ở trạng thái “%(state)s”.")
                % {"action": transition.label, "code": ticket.code, "state": ticket.get_state_display()},
                "invalid_state",
            )
        if counter is not None and action != "requeue" and ticket.counter_id != counter.pk:
            raise QueueError(
                _("Phiếu %(code)s đang ở quầy khác, không phải quầy số %(number)s.")
                % {"code": ticket.code, "number": counter.number},
                "other_counter",
            )
        before = ticket.state
        now = timezone.now()
        extra = {"from": before}
        new_ticket = None
        if action == "transfer":
            target = _transfer_target(ticket, target_service_id)
            extra["to_service"] = target.prefix
        TICKETS.apply(ticket, action, now=now)  # state and its timestamp
        if action == "recall":
            ticket.recall_count += 1
        if action == "requeue":
            ticket.finished_at = None
            ticket.called_at = None
        ticket.save()
        if action == "transfer":
            new_ticket = _issue(
                target,
                now=now,
                channel=Ticket.Channel.TRANSFER,
                priority=ticket.priority or target.is_priority,
                queued_at=ticket.queued_at,
                transferred_from=ticket,
            )
            extra["new_code"] = new_ticket.code
        audit.record(f"counters.ticket.{action}", obj=ticket, actor=user, data=_describe(ticket, **extra))
        if new_ticket is not None:
            audit.record(
                "counters.ticket.take",
                obj=new_ticket,
                actor=user,
                data=_describe(new_ticket, channel=Ticket.Channel.TRANSFER, transferred_from=ticket.code),
            )
        return ticket


def _transfer_target(ticket: Ticket, target_service_id) -> TicketService:
    try:
        target = TicketService.objects.get(pk=int(target_service_id), centre=ticket.centre, is_active=True)
    except (TicketService.DoesNotExist, TypeError, ValueError):
        raise QueueError(_("Hãy chọn dịch vụ cần chuyển đến."), "invalid_service") from None
    if target.pk == ticket.service_id:
        raise QueueError(_("Phiếu đã thuộc dịch vụ này; hãy chọn một dịch vụ khác."), "same_service")
    return target


def ticket_for_intake(actor, ticket_id, *, serve: bool = False) -> dict:
    """The ticket a clerk called and receives a dossier for at the counter (``directory.queue_ticket``).

    Only today's ticket, called or being served, by a clerk who may operate its counter; ``serve``: mark
    it served (the "finish" transition, audited) in the caller's transaction."""
    try:
        ticket = Ticket.objects.select_related("service", "centre", "counter").get(pk=int(ticket_id))
    except (Ticket.DoesNotExist, TypeError, ValueError):
        raise QueueError(_("Không tìm thấy phiếu số."), "not_found") from None
    try:
        TICKETS.authorize("finish", actor, ticket)
    except PermissionDenied:
        raise Forbidden(
            _("Phiếu %(code)s thuộc quầy mà bạn không phục vụ.") % {"code": ticket.code}
        ) from None
    if ticket.day != timezone.localdate() or ticket.state not in TRANSITIONS["finish"].sources:
        raise QueueError(
            _("Phiếu %(code)s không còn được gọi để tiếp nhận (trạng thái “%(state)s”, ngày %(day)s).")
            % {
                "code": ticket.code,
                "state": ticket.get_state_display(),
                "day": ticket.day.strftime("%d/%m/%Y"),
            },
            "invalid_state",
        )
    if serve:
        ticket = act(actor, ticket.pk, "finish")  # locks the row, checks again, stamps, audits
    return {"id": ticket.pk, "code": ticket.code, "service": ticket.service.name}


def ticket_for_counter(counter: Counter, ticket_id) -> Ticket | None:
    return Ticket.objects.filter(pk=ticket_id, centre=counter.centre).first()


# --- configuration --------------------------------------------------------------------------


def configure_counter(
    user, centre: Agency, number, *, label: str = "", service_ids=(), is_active: bool = True
) -> Counter:
    """Create or change a counter and the services it calls (agency or system administrators)."""
    with transaction.atomic():
        require(user, "counters.configure", centre)
        try:
            number = int(number)
        except (TypeError, ValueError):
            number = 0
        if not 1 <= number <= 999:
            raise QueueError(_("Số quầy phải là số nguyên từ 1 đến 999."), "invalid_number")
        ids = {int(i) for i in service_ids if ascii_digits(str(i))}
        services = list(TicketService.objects.filter(centre=centre, pk__in=ids))
        if len(services) != len(ids) or len(ids) != len(list(service_ids)):
            raise QueueError(_("Có dịch vụ không thuộc trung tâm này."), "invalid_service")
        counter, created = Counter.objects.select_for_update().get_or_create(
            centre=centre, number=number, defaults={"label": label[:150], "is_active": is_active}
        )
        counter.label = label[:150]
        counter.is_active = is_active
        counter.save()
        counter.services.set(services)
        audit.record(
            "counters.counter.create" if created else "counters.counter.update",
            obj=counter,
            actor=user,
            data={
                "centre": centre.code,
                "number": number,
                "services": sorted(s.prefix for s in services),
                "active": is_active,
            },
        )
        return counter


def configure_service(
    user,
    centre: Agency,
    prefix: str,
    *,
    name: str,
    is_priority: bool = False,
    typical_minutes: int = 10,
    daily_limit: int | None = None,
    position: int = 0,
    is_active: bool = True,
) -> TicketService:
    """Create or change a ticket service, found by its prefix (agency or system administrators)."""
    with transaction.atomic():
        require(user, "counters.configure", centre)
        prefix = (prefix or "").strip().upper()
        try:
            validate_prefix(prefix)
        except ValidationError as exc:
            raise QueueError(str(exc.messages[0]), "invalid_prefix") from None
        name = (name or "").strip()
        if not name:
            raise QueueError(_("Hãy nhập tên dịch vụ."), "invalid_name")
        if not 1 <= int(typical_minutes) <= 480:
            raise QueueError(_("Thời gian phục vụ thường lệ phải từ 1 đến 480 phút."), "invalid_minutes")
        if daily_limit is not None and not 1 <= int(daily_limit) <= 9999:
            raise QueueError(_("Số phiếu tối đa mỗi ngày phải từ 1 đến 9999."), "invalid_limit")
        service, created = TicketService.objects.select_for_update().get_or_create(
            centre=centre, prefix=prefix, defaults={"name": name[:150]}
        )
        service.name = name[:150]
        service.is_priority = is_priority
        service.typical_minutes = int(typical_minutes)
        service.daily_limit = daily_limit
        service.position = position
        service.is_active = is_active
        service.save()
        audit.record(
            "counters.service.create" if created else "counters.service.update",
            obj=service,
            actor=user,
            data={"centre": centre.code, "prefix": prefix, "name": service.name, "priority": is_priority},
        )
        return service


# --- where am I in the queue ----------------------------------------------------------------


@dataclass
class Position:
    ahead: int
    open_counters: int
    minutes_per_ticket: float
    estimate_minutes: int | None


def _average_service_minutes(service: TicketService, day: date) -> float:
    done = Ticket.objects.filter(service=service, day=day, state=S.DONE).values_list(
        "first_called_at", "serving_at", "finished_at"
    )
    durations = [(f - (s or c)).total_seconds() / 60 for c, s, f in done if f and (s or c)]
    if len(durations) >= 3:
        return max(1.0, statistics.fmean(durations))
    return float(service.typical_minutes)


def position(ticket: Ticket) -> Position:
    """How many are ahead of a waiting ticket, and a rough estimate of the wait."""
    service = ticket.service
    minutes = _average_service_minutes(service, ticket.day)
    counters = Counter.objects.filter(services=service, is_active=True)
    open_counters = counters.count()
    if ticket.state != S.WAITING:
        return Position(0, open_counters, minutes, None)
    earlier = Q(queued_at__lt=ticket.queued_at) | Q(queued_at=ticket.queued_at, id__lt=ticket.id)
    waiting = Ticket.objects.filter(day=ticket.day, state=S.WAITING)
    if ticket.priority:
        ahead = waiting.filter(earlier, service=service, priority=True).count()
    else:
        ahead = waiting.filter(Q(priority=True) | earlier, service=service).count()
        # Priority tickets of other services are called first at the counters we share with them.
        ahead += (
            waiting.filter(priority=True, service__counters__in=counters)
            .exclude(service=service)
            .distinct()
            .count()
        )
    estimate = math.ceil(ahead * minutes / open_counters) if open_counters else None
    return Position(ahead, open_counters, minutes, estimate)


# --- display board --------------------------------------------------------------------------


@dataclass
class Board:
    centre: Agency
    counters: list[dict]
    recent: list[Ticket]
    waiting: list[dict]
    stamp: str  # marks the latest call shown (microseconds since epoch)
    new_calls: list[Ticket] = field(default_factory=list)


def _stamp(moment: datetime | None) -> str:
    return str(int(moment.timestamp() * 1_000_000)) if moment else "0"


def board(centre: Agency, *, seen: str | None = None, recent: int = 8) -> Board:
    """What the public display shows: the number at each counter and the latest calls."""
    today = timezone.localdate()
    called_today = (
        Ticket.objects.filter(centre=centre, day=today, called_at__isnull=False)
        .select_related("counter", "service")
        .order_by("-called_at", "-id")
    )
    latest = list(called_today[:recent])
    rows = []
    for counter in Counter.objects.filter(centre=centre, is_active=True).select_related(
        "last_called", "last_called__service"
    ):
        ticket = counter.last_called if counter.last_called and counter.last_called.day == today else None
        rows.append({"counter": counter, "ticket": ticket})
    waiting = []
    for service in active_services(centre):
        waiting.append(
            {
                "service": service,
                "count": Ticket.objects.filter(service=service, day=today, state=S.WAITING).count(),
            }
        )
    new_calls: list[Ticket] = []
    if ascii_digits(seen) and len(seen) <= 17 and latest:  # microseconds: up to year 5138
        threshold = datetime.fromtimestamp(int(seen) / 1_000_000, tz=timezone.get_current_timezone())
        new_calls = [t for t in reversed(latest) if t.called_at > threshold][-3:]
    return Board(
        centre=centre,
        counters=rows,
        recent=latest,
        waiting=waiting,
        stamp=_stamp(latest[0].called_at if latest else None),
        new_calls=new_calls,
    )


# --- statistics -----------------------------------------------------------------------------


def _minutes(values: list[timedelta]) -> dict:
    if not values:
        return {"avg": None, "median": None, "max": None}
    mins = [v.total_seconds() / 60 for v in values]
    return {
        "avg": round(statistics.fmean(mins), 1),
        "median": round(statistics.median(mins), 1),
        "max": round(max(mins), 1),
    }


def statistics_for(user, centre: Agency, day: date) -> list[dict]:
    """Waiting and service times per service for one day (clerks, admins, leaders of the centre)."""
    require(user, "counters.view_stats", centre)
    rows = []
    tickets = Ticket.objects.filter(centre=centre, day=day).values_list(
        "service_id", "state", "taken_at", "first_called_at", "serving_at", "finished_at"
    )
    by_service: dict[int, list] = {}
    for row in tickets:
        by_service.setdefault(row[0], []).append(row)
    services = TicketService.objects.filter(centre=centre).order_by("-is_priority", "position", "prefix")
    totals: dict = {
        "taken": 0,
        "waiting": 0,
        "done": 0,
        "no_show": 0,
        "transferred": 0,
        "waits": [],
        "services": [],
    }
    for service in services:
        data = by_service.get(service.pk, [])
        if not data and not service.is_active:
            continue
        waits = [called - taken for _s, _st, taken, called, _sv, _f in data if called]
        served = [
            finished - (serving or called)
            for _s, state, _t, called, serving, finished in data
            if state == S.DONE and finished and (serving or called)
        ]
        counts = {state: sum(1 for r in data if r[1] == state) for state in S.values}
        row = {
            "service": service,
            "taken": len(data),
            "waiting": counts[S.WAITING],
            "in_service": counts[S.CALLED] + counts[S.SERVING],
            "done": counts[S.DONE],
            "no_show": counts[S.NO_SHOW],
            "transferred": counts[S.TRANSFERRED],
            "wait": _minutes(waits),
            "service_time": _minutes(served),
        }
        rows.append(row)
        for key in ("taken", "waiting", "done", "no_show", "transferred"):
            totals[key] += row[key]
        totals["waits"] += waits
        totals["services"] += served
    summary = {
        "service": None,
        "taken": totals["taken"],
        "waiting": totals["waiting"],
        "in_service": sum(r["in_service"] for r in rows),
        "done": totals["done"],
        "no_show": totals["no_show"],
        "transferred": totals["transferred"],
        "wait": _minutes(totals["waits"]),
        "service_time": _minutes(totals["services"]),
    }
    return [*rows, summary]


def check_operate(user, counter: Counter) -> None:
    """Raise PermissionDenied unless the user may work this counter (used by read-only console views)."""
    require(user, "counters.operate", counter)


__all__ = [
    "PermissionDenied",
    "QueueError",
    "act",
    "board",
    "call_next",
    "configure_counter",
    "configure_service",
    "position",
    "statistics_for",
    "take_ticket",
]
