"""Access to information API under /api/v1/info-requests: the agencies' lists of information they must
publish, the legal data (categories, refusal grounds, time limits), anonymised statistics, filing a
request (anonymously, or from a signed-in account), the requester's requests and answers, and the
officials' inbox, request view and actions (answer with a file). The same service functions as the
pages."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from ninja import File, Form, Query, Router, Schema, Status, UploadedFile
from ninja.pagination import paginate

from congso.core.api_auth import read_auth, write_auth
from congso.core.errors import NotFound, ServiceError
from congso.core.middleware import client_ip
from congso.core.pagination import LimitOffsetPages
from congso.directory.models import Agency

from . import selectors, services
from .models import DisclosureCategory, InfoRequest, RefusalGround, TimeLimit
from .transitions import REQUESTS, STAFF_ACTIONS

router = Router(tags=["Tiếp cận thông tin"], auth=read_auth)


class InfoAgency(Schema):
    code: str
    name: str


class InfoDisclosureItem(Schema):
    id: int
    title: str
    url: str
    how: str
    published_on: dt.date | None


class InfoDisclosureGroup(Schema):
    category: str
    name: str
    legal_basis: str
    items: list[InfoDisclosureItem]


class InfoCategory(Schema):
    code: str
    name: str
    legal_basis: str


class InfoGround(Schema):
    code: str
    label: str
    legal_basis: str


class InfoTimeLimit(Schema):
    code: str
    name: str
    days: int
    working_days: bool
    legal_basis: str


class InfoStatsQuery(Schema):
    agency: str = ""
    start: dt.date | None = None
    end: dt.date | None = None


class InfoRefusalCount(Schema):
    ground: str
    legal_basis: str
    count: int


class InfoStats(Schema):
    total: int
    open: int
    overdue_open: int
    answered: int
    answered_on_time: int
    refused: int
    extended: int
    on_time_rate: Decimal | None
    refusals: list[InfoRefusalCount]


class InfoRequestIn(Schema):
    agency: str
    name: str
    address: str
    id_number: str
    phone: str = ""
    email: str = ""
    information: str
    purpose: str
    form: str
    means: str
    copies: int = 1
    website: str = ""  # honeypot: must stay empty


class InfoEvent(Schema):
    at: dt.datetime
    action: str
    label: str


class InfoRequestOut(Schema):
    code: str
    agency: str
    agency_name: str
    status: str
    status_label: str
    deadline: str
    information: str
    purpose: str
    form: str
    means: str
    received_at: dt.datetime
    due_at: dt.datetime
    extended_at: dt.datetime | None
    extension_reason: str
    closed_at: dt.datetime | None
    answer: str
    answer_file: str | None
    refusal_ground: str | None
    refusal_legal_basis: str | None
    refusal_note: str
    events: list[InfoEvent]


class InfoCreated(InfoRequestOut):
    access_url: str


class InfoStaffEvent(InfoEvent):
    actor: str
    note: str


class InfoStaffOut(InfoRequestOut):
    name: str
    address: str
    id_number: str
    phone: str
    email: str
    copies: int
    actions: list[str]
    events: list[InfoStaffEvent]


class InfoInboxRow(Schema):
    code: str
    agency: str
    status: str
    deadline: str
    information: str
    received_at: dt.datetime
    due_at: dt.datetime


class InfoActionIn(Schema):
    action: str
    note: str = ""
    reason: str = ""


class InfoDisclosureIn(Schema):
    category: str
    title: str
    url: str = ""
    how: str = ""
    published_on: dt.date | None = None
    id: int | None = None
    is_active: bool = True


def request_out(r: InfoRequest, *, token: str = "") -> dict:
    file_url = None
    if r.answer_file and r.status == "answered":
        file_url = f"/tiep-can-thong-tin/yeu-cau/{r.code}/tep/" + (f"?ma={token}" if token else "")
    return {
        "code": r.code,
        "agency": r.agency.code,
        "agency_name": r.agency.name,
        "status": r.status,
        "status_label": str(r.get_status_display()),
        "deadline": services.deadline_status(r),
        "information": r.information,
        "purpose": r.purpose,
        "form": r.form,
        "means": r.means,
        "received_at": r.received_at,
        "due_at": r.due_at,
        "extended_at": r.extended_at,
        "extension_reason": r.extension_reason,
        "closed_at": r.closed_at,
        "answer": r.answer if r.status == "answered" else "",
        "answer_file": file_url,
        "refusal_ground": r.ground.label if r.ground_id else None,
        "refusal_legal_basis": r.ground.legal_basis if r.ground_id else None,
        "refusal_note": r.refusal_note,
        "events": [{"at": e.at, "action": e.action, "label": e.label} for e in r.events.all()],
    }


def staff_out(r: InfoRequest, user) -> dict:
    return {
        **request_out(r),
        "name": r.name,
        "address": r.address,
        "id_number": r.id_number,
        "phone": r.phone,
        "email": r.email,
        "copies": r.copies,
        "actions": [t.name for t in REQUESTS.available(r.status, actor=user, obj=r)],
        "events": [
            {
                "at": e.at,
                "action": e.action,
                "label": e.label,
                "note": e.note,
                "actor": (e.actor.full_name or e.actor.username) if e.actor else "",
            }
            for e in r.events.select_related("actor")
        ],
    }


def _agency(code: str) -> Agency:
    agency = Agency.objects.filter(code=code, is_active=True).first()
    if agency is None:
        raise NotFound("Không tìm thấy cơ quan.")
    return agency


# --- public ----------------------------------------------------------------------------------------


@router.get(
    "/agencies", response=list[InfoAgency], auth=None, summary="Cơ quan có danh mục thông tin công khai"
)
def agencies(request):
    return [{"code": a.code, "name": a.name} for a in selectors.disclosure_agencies()]


@router.get(
    "/agencies/{code}/disclosure",
    response=list[InfoDisclosureGroup],
    auth=None,
    summary="Danh mục thông tin phải được công khai của một cơ quan",
)
def disclosure(request, code: str):
    return [
        {
            "category": g.category.code,
            "name": g.category.name,
            "legal_basis": g.category.legal_basis,
            "items": [
                {"id": i.pk, "title": i.title, "url": i.url, "how": i.how, "published_on": i.published_on}
                for i in g.items
            ],
        }
        for g in selectors.disclosure(_agency(code))
    ]


@router.post(
    "/agencies/{code}/disclosure",
    response={201: InfoDisclosureItem},
    auth=write_auth,
    summary="Thêm, sửa một mục của danh mục thông tin công khai",
)
def save_disclosure(request, code: str, payload: InfoDisclosureIn):
    item = services.save_disclosure_item(
        actor=request.auth,
        agency=code,
        category=payload.category,
        title=payload.title,
        url=payload.url,
        how=payload.how,
        published_on=payload.published_on,
        pk=payload.id,
        is_active=payload.is_active,
    )
    return Status(
        201,
        {
            "id": item.pk,
            "title": item.title,
            "url": item.url,
            "how": item.how,
            "published_on": item.published_on,
        },
    )


@router.get(
    "/categories", response=list[InfoCategory], auth=None, summary="Nhóm thông tin phải công khai (Điều 17)"
)
def categories(request):
    return [
        {"code": c.code, "name": c.name, "legal_basis": c.legal_basis}
        for c in DisclosureCategory.objects.all()
    ]


@router.get("/grounds", response=list[InfoGround], auth=None, summary="Căn cứ từ chối cung cấp thông tin")
def grounds(request):
    return [
        {"code": g.code, "label": g.label, "legal_basis": g.legal_basis}
        for g in RefusalGround.objects.filter(is_active=True)
    ]


@router.get("/time-limits", response=list[InfoTimeLimit], auth=None, summary="Thời hạn cung cấp thông tin")
def time_limits(request):
    return [
        {
            "code": t.code,
            "name": t.name,
            "days": t.days,
            "working_days": t.working_days,
            "legal_basis": t.legal_basis,
        }
        for t in (services.limit(c) for c in (TimeLimit.ANSWER, TimeLimit.EXTENSION, TimeLimit.NOTICE))
    ]


@router.get("/stats", response=InfoStats, auth=None, summary="Thống kê yêu cầu (ẩn danh)")
def stats(request, q: Query[InfoStatsQuery]):
    if q.start and q.end and q.end < q.start:
        raise ServiceError("Ngày kết thúc phải sau ngày bắt đầu.", field="end")
    s = selectors.stats(_agency(q.agency) if q.agency else None, q.start, q.end)
    return {
        **{
            k: getattr(s, k)
            for k in (
                "total",
                "open",
                "overdue_open",
                "answered",
                "answered_on_time",
                "refused",
                "extended",
                "on_time_rate",
            )
        },
        "refusals": [{"ground": g, "legal_basis": b, "count": n} for g, b, n in s.refusals],
    }


# --- requesters ------------------------------------------------------------------------------------


def _created(req: InfoRequest, *, anonymous: bool):
    body = request_out(req, token=req.access_token if anonymous else "")
    return Status(201, {**body, "access_url": services.request_url(req, with_token=anonymous)})


@router.post("/requests", response={201: InfoCreated}, auth=None, summary="Gửi yêu cầu (không đăng nhập)")
def submit(request, payload: InfoRequestIn):
    """Anonymous filing, rate-limited per address; ``access_url`` (with its token) is the only way back to
    the request, and is also e-mailed."""
    data = {k: ("" if v is None else str(v)) for k, v in payload.dict().items()}
    req = services.submit(data, actor=None, ip=client_ip(request))
    return _created(req, anonymous=True)


@router.get(
    "/requests/{code}",
    response=InfoRequestOut,
    auth=None,
    summary="Một yêu cầu (người gửi không đăng nhập, mã truy cập)",
)
def anonymous_request(request, code: str, token: str):
    req = services.for_requester(code, token=token)
    return request_out(req, token=token)


@router.post("/my-requests", response={201: InfoCreated}, auth=write_auth, summary="Gửi yêu cầu từ tài khoản")
def submit_mine(request, payload: InfoRequestIn):
    data = {k: ("" if v is None else str(v)) for k, v in payload.dict().items()}
    req = services.submit(data, actor=request.auth, ip=client_ip(request))
    return _created(req, anonymous=False)


@router.get("/my-requests", response=list[InfoRequestOut], summary="Yêu cầu của tôi")
@paginate(LimitOffsetPages)
def mine(request):
    return [request_out(r) for r in selectors.mine(request.auth).prefetch_related("events")[:1000]]


@router.get("/my-requests/{code}", response=InfoRequestOut, summary="Một yêu cầu của tôi")
def my_request(request, code: str):
    return request_out(services.for_requester(code, actor=request.auth))


# --- officials -------------------------------------------------------------------------------------


@router.get("/inbox", response=list[InfoInboxRow], summary="Yêu cầu cơ quan cần giải quyết")
@paginate(LimitOffsetPages)
def inbox(request, status: str = "open"):
    if not selectors.staff_agencies(request.auth).exists():
        raise PermissionDenied("Chỉ cán bộ của cơ quan được yêu cầu mới xem được.")
    rows = selectors.annotate_deadlines(selectors.inbox(request.auth, status=status)[:1000])
    return [
        {
            "code": r.code,
            "agency": r.agency.code,
            "status": r.status,
            "deadline": r.deadline,
            "information": r.information[:300],
            "received_at": r.received_at,
            "due_at": r.due_at,
        }
        for r in rows
    ]


@router.get("/staff/{code}", response=InfoStaffOut, summary="Một yêu cầu (cán bộ, có người yêu cầu)")
def staff_request(request, code: str):
    return staff_out(services.for_staff(code, actor=request.auth), request.auth)


@router.post(
    "/staff/{code}/actions",
    response=InfoStaffOut,
    auth=write_auth,
    summary="Giải quyết yêu cầu: tiếp nhận, gia hạn, cung cấp (kèm tệp), từ chối",
)
def act(request, code: str, payload: Form[InfoActionIn], file: File[UploadedFile] = None):
    if payload.action not in STAFF_ACTIONS:
        raise ServiceError("Thao tác không hợp lệ.", field="action")
    services.act(
        code, payload.action, actor=request.auth, note=payload.note, reason=payload.reason, file=file
    )
    return staff_out(services.for_staff(code, actor=request.auth), request.auth)
