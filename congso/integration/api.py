"""Integration API under /api/v1/integration (system administrators): health, webhook subscribers
(register, change, test, delivery log) and the dead letters with replay. The webhook signature scheme,
with a Python verification snippet, is in the description of the subscriber operations."""

import datetime as dt

from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from congso.core.api_auth import read_auth, write_auth
from congso.core.errors import NotFound
from congso.core.pagination import NumberedPages
from congso.core.permissions import require

from . import selectors, services
from .models import Attempt, Delivery, InboundDossier, ReconcileRun, Subscriber
from .national import inbound, reconcile
from .webhooks import SIGNATURE_DOC

router = Router(tags=["Tích hợp"], auth=read_auth)


class IntegrationSubscriberIn(Schema):
    name: str
    url: str
    event_types: list[str]
    secret: str = ""
    active: bool = True


class IntegrationSubscriberOut(Schema):
    id: int
    name: str
    url: str
    event_types: list[str]
    active: bool
    created_at: dt.datetime


class IntegrationSubscriberCreated(IntegrationSubscriberOut):
    secret: str


class IntegrationAttemptOut(Schema):
    id: int
    at: dt.datetime
    event_type: str
    aggregate: str
    sequence: int
    delivery_id: str
    idempotency_key: str
    ok: bool
    status_code: int | None
    error: str
    duration_ms: int


class IntegrationDeliveryOut(Schema):
    id: int
    delivery_id: str
    subscriber: int
    event_type: str
    idempotency_key: str
    aggregate: str
    sequence: int
    status: str
    attempts: int
    last_error: str
    next_attempt_at: dt.datetime | None
    dead_at: dt.datetime | None


class IntegrationSubscriberHealth(Schema):
    id: int
    name: str
    active: bool
    pending: int
    dead: int
    delivered: int
    last_delivered_at: dt.datetime | None


class IntegrationHealthOut(Schema):
    state: str
    pending: int
    due: int
    leased: int
    dead: int
    delivered: int
    lag_seconds: float
    oldest_pending_at: dt.datetime | None
    failed_attempts_hour: int
    attempts_hour: int
    subscribers: list[IntegrationSubscriberHealth]


class IntegrationDeadFilters(Schema):
    subscriber: int | None = None
    event_type: str = ""


class IntegrationReplayIn(Schema):
    subscriber: int | None = None
    event_type: str = ""


class IntegrationReplayOut(Schema):
    replayed: int


def _admin(request):
    require(request.auth, "integration.view", message=str(services.FORBIDDEN))


def _subscriber(pk) -> Subscriber:
    found = Subscriber.objects.filter(pk=pk).first()
    if found is None:
        raise NotFound("Không tìm thấy hệ thống nhận sự kiện.")
    return found


def _sub_out(s: Subscriber, secret=False) -> dict:
    out = {
        "id": s.pk,
        "name": s.name,
        "url": s.url,
        "event_types": s.event_types,
        "active": s.active,
        "created_at": s.created_at,
    }
    if secret:
        out["secret"] = s.secret
    return out


def _attempt_out(a: Attempt) -> dict:
    e = a.delivery.event
    return {
        "id": a.pk,
        "at": a.at,
        "event_type": e.event_type,
        "aggregate": f"{e.aggregate_type}:{e.aggregate_id}",
        "sequence": e.sequence,
        "delivery_id": str(a.delivery.uuid),
        "idempotency_key": str(e.idempotency_key),
        "ok": a.ok,
        "status_code": a.status_code,
        "error": a.error,
        "duration_ms": a.duration_ms,
    }


def _delivery_out(d: Delivery) -> dict:
    return {
        "id": d.pk,
        "delivery_id": str(d.uuid),
        "subscriber": d.subscriber_id,
        "event_type": d.event.event_type,
        "idempotency_key": str(d.event.idempotency_key),
        "aggregate": d.stream,
        "sequence": d.sequence,
        "status": d.status,
        "attempts": d.attempts,
        "last_error": d.last_error,
        "next_attempt_at": d.next_attempt_at if d.status == Delivery.Status.PENDING else None,
        "dead_at": d.dead_at,
    }


@router.get(
    "/health", response=IntegrationHealthOut, summary="Tình trạng tích hợp (hàng đợi, độ trễ, thư hỏng)"
)
def health(request):
    _admin(request)
    h = selectors.health()
    return {
        "state": h.state,
        "pending": h.pending,
        "due": h.due,
        "leased": h.leased,
        "dead": h.dead,
        "delivered": h.delivered,
        "lag_seconds": h.lag_seconds,
        "oldest_pending_at": h.oldest_pending_at,
        "failed_attempts_hour": h.failed_attempts_hour,
        "attempts_hour": h.attempts_hour,
        "subscribers": [
            {
                "id": s.pk,
                "name": s.name,
                "active": s.active,
                "pending": s.pending,
                "dead": s.dead,
                "delivered": s.delivered,
                "last_delivered_at": s.last_delivered_at,
            }
            for s in h.subscribers
        ],
    }


@router.get(
    "/subscribers",
    response=list[IntegrationSubscriberOut],
    summary="Hệ thống nhận sự kiện (webhook)",
    description=SIGNATURE_DOC,
)
def list_subscribers(request):
    _admin(request)
    return [_sub_out(s) for s in Subscriber.objects.order_by("name", "id")]


@router.post(
    "/subscribers",
    response={201: IntegrationSubscriberCreated},
    auth=write_auth,
    summary="Đăng ký hệ thống nhận sự kiện",
    description="Khoá bí mật để trống: hệ thống tự tạo và trả về một lần ở đây.\n" + SIGNATURE_DOC,
)
def create_subscriber(request, body: IntegrationSubscriberIn):
    s = services.create_subscriber(request.auth, body.dict())
    return 201, _sub_out(s, secret=True)


@router.get(
    "/subscribers/{int:subscriber_id}", response=IntegrationSubscriberOut, summary="Một hệ thống nhận"
)
def get_subscriber(request, subscriber_id: int):
    _admin(request)
    return _sub_out(_subscriber(subscriber_id))


@router.put(
    "/subscribers/{int:subscriber_id}",
    response=IntegrationSubscriberOut,
    auth=write_auth,
    summary="Sửa hệ thống nhận (khoá bí mật để trống: giữ khoá cũ)",
)
def update_subscriber(request, subscriber_id: int, body: IntegrationSubscriberIn):
    return _sub_out(services.update_subscriber(request.auth, subscriber_id, body.dict()))


@router.post(
    "/subscribers/{int:subscriber_id}/test",
    response=IntegrationAttemptOut,
    auth=write_auth,
    summary="Gửi thử một sự kiện integration.ping",
    description=SIGNATURE_DOC,
)
def send_test(request, subscriber_id: int):
    attempt = services.send_test(request.auth, subscriber_id)
    return _attempt_out(Attempt.objects.select_related("delivery__event").get(pk=attempt.pk))


@router.get(
    "/subscribers/{int:subscriber_id}/attempts",
    response=list[IntegrationAttemptOut],
    summary="Nhật ký gửi của một hệ thống nhận (mới nhất trước)",
)
@paginate(NumberedPages, page_size=50)
def attempts(request, subscriber_id: int):
    _admin(request)
    return [_attempt_out(a) for a in selectors.attempts_of(_subscriber(subscriber_id))]


@router.get("/dead-letters", response=list[IntegrationDeliveryOut], summary="Thư hỏng (sự kiện đã ngừng thử)")
@paginate(NumberedPages, page_size=50)
def dead_letters(request, filters: Query[IntegrationDeadFilters]):
    _admin(request)
    return [
        _delivery_out(d)
        for d in selectors.dead_letters(subscriber_id=filters.subscriber, event_type=filters.event_type)
    ]


@router.post(
    "/dead-letters/{int:delivery_id}/replay",
    response=IntegrationDeliveryOut,
    auth=write_auth,
    summary="Gửi lại một thư hỏng",
)
def replay(request, delivery_id: int):
    d = services.replay(request.auth, delivery_id)
    return _delivery_out(Delivery.objects.select_related("event").get(pk=d.pk))


@router.post(
    "/dead-letters/replay",
    response=IntegrationReplayOut,
    auth=write_auth,
    summary="Gửi lại mọi thư hỏng (lọc theo hệ thống nhận, loại sự kiện)",
)
def replay_all(request, body: IntegrationReplayIn):
    return {
        "replayed": services.replay_all(
            request.auth, subscriber_id=body.subscriber, event_type=body.event_type
        )
    }


# --- National Public Service Portal (ADR 0168) -----------------------------------------------------


class NationalInboundAnswer(Schema):
    code: str | None = None
    status: str | None = None
    problem: str = ""
    error: str | None = None
    replayed: bool = False


class NationalInboundOut(Schema):
    id: int
    message_id: str
    code: str
    procedure_code: str
    agency_code: str
    status: str
    problem: str
    attempts: int
    dossier: str | None
    received_at: dt.datetime
    resolved_at: dt.datetime | None


class NationalResolveIn(Schema):
    procedure_code: str = ""
    agency_code: str = ""


class NationalDifferenceOut(Schema):
    code: str
    kind: str
    local: int | None
    national: int | None


class NationalReconcileOut(Schema):
    id: int
    started_at: dt.datetime
    finished_at: dt.datetime | None
    checked: int
    differing: int
    resent: int
    in_flight: int
    error: str
    differences: list[NationalDifferenceOut]


class NationalReconcileIn(Schema):
    resend: bool = True


class NationalInboundFilters(Schema):
    status: str = "parked"


def _inbound_out(row: InboundDossier) -> dict:
    return {
        "id": row.pk,
        "message_id": row.message_id,
        "code": row.code,
        "procedure_code": row.procedure_code,
        "agency_code": row.agency_code,
        "status": row.status,
        "problem": row.problem,
        "attempts": row.attempts,
        "dossier": row.dossier.code if row.dossier_id else None,
        "received_at": row.received_at,
        "resolved_at": row.resolved_at,
    }


def _run_out(run: ReconcileRun) -> dict:
    return {
        "id": run.pk,
        "started_at": run.started_at,
        "finished_at": run.finished_at,
        "checked": run.checked,
        "differing": run.differing,
        "resent": run.resent,
        "in_flight": run.in_flight,
        "error": run.error,
        "differences": run.differences,
    }


@router.post(
    "/national/inbound",
    response={
        202: NationalInboundAnswer,
        400: NationalInboundAnswer,
        401: NationalInboundAnswer,
        409: NationalInboundAnswer,
        503: NationalInboundAnswer,
    },
    auth=None,
    summary="Nhận hồ sơ nộp trên Cổng Dịch vụ công quốc gia (thông điệp ký HMAC)",
    description=(
        "Called by the national portal, not by people. Headers `Ngsp-Timestamp`, `Ngsp-Message-Id`, "
        "`Ngsp-Signature: v1=<HMAC-SHA256(secret, timestamp + '.' + body)>`. 202: received into the "
        "one-stop (`status=received`) or parked for a person (`status=parked`, `problem`); 401: bad "
        "signature; 409: message id already taken (a replay); 503: no national connection. "
        "Message shape: ADR 0168."
    ),
)
def national_inbound(request):
    status, answer = inbound.receive_message(request.headers, request.body)
    return Status(status, answer)


@router.get(
    "/national/inbound",
    response=list[NationalInboundOut],
    summary="Hồ sơ nhận từ Cổng quốc gia (mặc định: đang chờ xử lý)",
)
@paginate(NumberedPages, page_size=50)
def national_inbound_list(request, filters: Query[NationalInboundFilters]):
    _admin(request)
    rows = InboundDossier.objects.select_related("dossier").order_by("-received_at", "-id")
    if filters.status in InboundDossier.Status.values:
        rows = rows.filter(status=filters.status)
    return [_inbound_out(r) for r in rows]


@router.post(
    "/national/inbound/{int:inbound_id}/resolve",
    response=NationalInboundOut,
    auth=write_auth,
    summary="Gán mã thủ tục, cơ quan địa phương cho hồ sơ đang chờ rồi tiếp nhận lại",
)
def national_resolve(request, inbound_id: int, body: NationalResolveIn):
    row = inbound.resolve(
        request.auth, inbound_id, procedure_code=body.procedure_code, agency_code=body.agency_code
    )
    return _inbound_out(row)


@router.post(
    "/national/inbound/{int:inbound_id}/retry",
    response=NationalInboundOut,
    auth=write_auth,
    summary="Tiếp nhận lại hồ sơ đang chờ (giữ nguyên mã)",
)
def national_retry(request, inbound_id: int):
    return _inbound_out(inbound.resolve(request.auth, inbound_id))


@router.get(
    "/national/reconcile",
    response=list[NationalReconcileOut],
    summary="Các lần đối soát với Cổng quốc gia (mới nhất trước)",
)
@paginate(NumberedPages, page_size=20)
def national_runs(request):
    _admin(request)
    return [_run_out(r) for r in ReconcileRun.objects.order_by("-started_at", "-id")]


@router.post(
    "/national/reconcile",
    response={201: NationalReconcileOut},
    auth=write_auth,
    summary="Đối soát với Cổng quốc gia và gửi lại hồ sơ lệch",
)
def national_reconcile(request, body: NationalReconcileIn):
    return 201, _run_out(reconcile.reconcile(request.auth, resend=body.resend))
