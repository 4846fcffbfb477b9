"""JSON API of the queue-ticket system (/api/v1/counters/…).

Public: list centres and services, take a number (rate-limited per IP; no session, so no CSRF),
follow a ticket by its token, read the display feed. Staff (Django session, CSRF-checked): call the
next number, act on a ticket, read statistics, configure counters and services.
"""

from datetime import date, datetime

from django.utils import timezone
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from congso.core.api_auth import api_auth
from congso.core.openapi import RATE_LIMITED

from . import ratelimit, services
from .models import Counter, Ticket, TicketService

# Refusals (``QueueError``, a ServiceError with its own status; ``PermissionDenied``; ``RateLimited``)
# are answered by the API's one error handler (congso.core.api_errors).
router = Router(tags=["Xếp hàng lấy số"])


def _centre(code: str):
    return services.get_centre(code)


class CentreOut(Schema):
    code: str
    name: str
    address: str


class ServiceOut(Schema):
    id: int
    prefix: str
    name: str
    description: str
    is_priority: bool
    waiting: int


class TicketOut(Schema):
    token: str
    code: str
    centre: str
    service_prefix: str
    service_name: str
    state: str
    state_label: str
    taken_at: datetime
    counter: int | None
    ahead: int | None
    estimate_minutes: int | None


class StaffTicketOut(Schema):
    id: int
    code: str
    service_prefix: str
    state: str
    state_label: str
    priority: bool
    counter: int | None
    taken_at: datetime
    called_at: datetime | None
    recall_count: int
    transferred_to: str | None = None


class TakeIn(Schema):
    service_id: int


class TicketActionIn(Schema):
    action: str
    counter: int | None = None
    service_id: int | None = None


class CounterRow(Schema):
    counter: int
    label: str
    code: str | None
    service_name: str | None
    state: str | None


class CallOut(Schema):
    code: str
    counter: int
    called_at: datetime


class WaitingRow(Schema):
    prefix: str
    name: str
    waiting: int


class DisplayOut(Schema):
    centre: str
    counters: list[CounterRow]
    recent: list[CallOut]
    waiting: list[WaitingRow]


class Minutes(Schema):
    avg: float | None
    median: float | None
    max: float | None


class CounterStatsRow(Schema):
    service_prefix: str | None
    service_name: str | None
    taken: int
    waiting: int
    in_service: int
    done: int
    no_show: int
    transferred: int
    wait_minutes: Minutes
    service_minutes: Minutes


class CounterIn(Schema):
    label: str = ""
    service_ids: list[int] = []
    is_active: bool = True


class CounterOut(Schema):
    number: int
    label: str
    is_active: bool
    services: list[str]


class ServiceIn(Schema):
    name: str
    is_priority: bool = False
    typical_minutes: int = 10
    daily_limit: int | None = None
    position: int = 0
    is_active: bool = True


def _ticket_out(ticket: Ticket) -> dict:
    pos = services.position(ticket)
    return {
        "token": ticket.token,
        "code": ticket.code,
        "centre": ticket.centre.code,
        "service_prefix": ticket.service.prefix,
        "service_name": ticket.service.name,
        "state": ticket.state,
        "state_label": str(ticket.get_state_display()),
        "taken_at": ticket.taken_at,
        "counter": ticket.counter.number if ticket.counter_id else None,
        "ahead": pos.ahead if ticket.state == Ticket.State.WAITING else None,
        "estimate_minutes": pos.estimate_minutes,
    }


def _staff_out(ticket: Ticket) -> dict:
    nxt = Ticket.objects.filter(transferred_from=ticket).values_list("code", flat=True).first()
    return {
        "id": ticket.pk,
        "code": ticket.code,
        "service_prefix": ticket.service.prefix,
        "state": ticket.state,
        "state_label": str(ticket.get_state_display()),
        "priority": ticket.priority,
        "counter": ticket.counter.number if ticket.counter_id else None,
        "taken_at": ticket.taken_at,
        "called_at": ticket.called_at,
        "recall_count": ticket.recall_count,
        "transferred_to": nxt,
    }


# Public endpoints (anyone, signed in or not: kiosks, phones, the display board) say so with auth=None;
# ticket-taking is held back by rate limits instead. Staff endpoints use api_auth like every app.


@router.get("/centres", response=list[CentreOut], auth=None, summary="Các trung tâm phát số")
def list_centres(request):
    return [{"code": c.code, "name": c.name, "address": c.address} for c in services.centres()]


@router.get(
    "/centres/{code}/services", response=list[ServiceOut], auth=None, summary="Dịch vụ lấy số của trung tâm"
)
def list_services(request, code: str):
    centre = _centre(code)
    today = timezone.localdate()
    return [
        {
            "id": s.pk,
            "prefix": s.prefix,
            "name": s.name,
            "description": s.description,
            "is_priority": s.is_priority,
            "waiting": Ticket.objects.filter(service=s, day=today, state=Ticket.State.WAITING).count(),
        }
        for s in services.active_services(centre)
    ]


@router.post(
    "/centres/{code}/tickets",
    response={201: TicketOut},
    auth=None,
    summary="Lấy số thứ tự",
    description="Không cần đăng nhập. Giới hạn số lượt theo địa chỉ IP (HTTP 429 khi vượt quá).",
    openapi_extra=RATE_LIMITED,
)
def take(request, code: str, payload: TakeIn):
    centre = _centre(code)
    ratelimit.check_ip(request)
    actor = request.user if request.user.is_authenticated else None
    ticket = services.take_ticket(payload.service_id, actor=actor, channel=Ticket.Channel.API, centre=centre)
    return Status(201, _ticket_out(ticket))


@router.get(
    "/tickets/{token}",
    response=TicketOut,
    auth=None,
    summary="Tình trạng phiếu số (theo mã bí mật của phiếu)",
)
def ticket_status(request, token: str):
    ticket = Ticket.objects.select_related("service", "centre", "counter").filter(token=token).first()
    if ticket is None:
        raise HttpError(404, "Không tìm thấy phiếu số.")
    return _ticket_out(ticket)


@router.get("/centres/{code}/display", response=DisplayOut, auth=None, summary="Dữ liệu màn hình gọi số")
def display(request, code: str):
    board = services.board(_centre(code))
    return {
        "centre": board.centre.code,
        "counters": [
            {
                "counter": row["counter"].number,
                "label": row["counter"].label,
                "code": row["ticket"].code if row["ticket"] else None,
                "service_name": row["ticket"].service.name if row["ticket"] else None,
                "state": row["ticket"].state if row["ticket"] else None,
            }
            for row in board.counters
        ],
        "recent": [
            {"code": t.code, "counter": t.counter.number, "called_at": t.called_at} for t in board.recent
        ],
        "waiting": [
            {"prefix": r["service"].prefix, "name": r["service"].name, "waiting": r["count"]}
            for r in board.waiting
        ],
    }


def _counter(code: str, number: int) -> Counter:
    return services.get_counter(_centre(code), number)


@router.post(
    "/centres/{code}/counters/{number}/call-next",
    response=StaffTicketOut,
    auth=api_auth("write"),
    summary="Gọi số tiếp theo (cán bộ một cửa)",
)
def call_next(request, code: str, number: int):
    counter = _counter(code, number)
    ticket = services.call_next(request.auth, counter.pk)
    return _staff_out(ticket)


@router.post(
    "/centres/{code}/tickets/{ticket_id}/actions",
    response=StaffTicketOut,
    auth=api_auth("write"),
    summary="Cập nhật trạng thái phiếu: recall, start, finish, no_show, transfer, requeue",
)
def act(request, code: str, ticket_id: int, payload: TicketActionIn):
    centre = _centre(code)
    counter = None
    if payload.counter is not None:
        counter = _counter(code, payload.counter)
    if not Ticket.objects.filter(pk=ticket_id, centre=centre).exists():
        raise HttpError(404, "Không tìm thấy phiếu số.")
    ticket = services.act(
        request.auth, ticket_id, payload.action, counter=counter, target_service_id=payload.service_id
    )
    return _staff_out(ticket)


@router.get(
    "/centres/{code}/statistics",
    response=list[CounterStatsRow],
    auth=api_auth("read"),
    summary="Thời gian chờ và phục vụ theo dịch vụ trong ngày (dòng cuối: cả trung tâm)",
)
def statistics(request, code: str, day: date | None = None):
    centre = _centre(code)
    rows = services.statistics_for(request.auth, centre, day or timezone.localdate())
    return [
        {
            "service_prefix": r["service"].prefix if r["service"] else None,
            "service_name": r["service"].name if r["service"] else None,
            "taken": r["taken"],
            "waiting": r["waiting"],
            "in_service": r["in_service"],
            "done": r["done"],
            "no_show": r["no_show"],
            "transferred": r["transferred"],
            "wait_minutes": r["wait"],
            "service_minutes": r["service_time"],
        }
        for r in rows
    ]


@router.put(
    "/centres/{code}/counters/{number}",
    response=CounterOut,
    auth=api_auth("write"),
    summary="Tạo hoặc sửa quầy và các dịch vụ quầy phục vụ (quản trị)",
)
def put_counter(request, code: str, number: int, payload: CounterIn):
    centre = _centre(code)
    counter = services.configure_counter(
        request.auth,
        centre,
        number,
        label=payload.label,
        service_ids=payload.service_ids,
        is_active=payload.is_active,
    )
    return {
        "number": counter.number,
        "label": counter.label,
        "is_active": counter.is_active,
        "services": sorted(counter.services.values_list("prefix", flat=True)),
    }


@router.put(
    "/centres/{code}/services/{prefix}",
    response=ServiceOut,
    auth=api_auth("write"),
    summary="Tạo hoặc sửa dịch vụ lấy số (quản trị)",
)
def put_service(request, code: str, prefix: str, payload: ServiceIn):
    centre = _centre(code)
    service: TicketService = services.configure_service(
        request.auth,
        centre,
        prefix,
        name=payload.name,
        is_priority=payload.is_priority,
        typical_minutes=payload.typical_minutes,
        daily_limit=payload.daily_limit,
        position=payload.position,
        is_active=payload.is_active,
    )
    return {
        "id": service.pk,
        "prefix": service.prefix,
        "name": service.name,
        "description": service.description,
        "is_priority": service.is_priority,
        "waiting": 0,
    }
