"""Citizen feedback API under /api/v1/feedback: categories, the public board, reporting (anonymous,
multipart with photos), duplicates, following and rating, the staff inbox, a report's staff view and
actions, and the figures for the scorecard (``/stats``). The same service functions as the pages."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from ninja import Field, File, Form, Query, Router, Schema, Status, UploadedFile
from ninja.pagination import paginate

from congso.core import audit
from congso.core.api_auth import OAuth2Bearer, OfficialSessionAuth, read_auth, write_auth
from congso.core.errors import NotFound, ServiceError
from congso.core.middleware import client_ip
from congso.core.pagination import LimitOffsetPages
from congso.core.permissions import can
from congso.directory.models import AdministrativeUnit, Agency

from . import selectors, services
from .models import Category, Report
from .transitions import REPORTS, STAFF_ACTIONS

router = Router(tags=["Phản ánh, kiến nghị"], auth=read_auth)


class FeedbackCategoryOut(Schema):
    code: str
    name: str
    parent: str | None
    answer_days: int
    description: str


class FeedbackPublicReport(Schema):
    code: str
    title: str
    description: str
    status: str
    status_label: str
    category: str
    category_name: str
    unit: str
    unit_name: str
    address: str
    lat: Decimal | None
    lon: Decimal | None
    agency_name: str
    reporter: str
    received_at: dt.datetime
    due_at: dt.datetime | None
    answered_at: dt.datetime | None
    answer: str
    procedure: str = ""
    procedure_name: str = ""


class FeedbackTimelineEntry(Schema):
    at: dt.datetime
    label: str


class FeedbackPublicDetail(FeedbackPublicReport):
    timeline: list[FeedbackTimelineEntry]
    photos: list[str]


class FeedbackBoardQuery(Schema):
    category: str = ""
    unit: str = ""
    status: str = ""
    q: str = Field(
        "",
        description="Từ khoá, có dấu hoặc không dấu, mỗi từ phải có; từ một, hai chữ cái khớp với đầu một từ "
        "(“ia” tìm thấy “Ia Grai”, không tìm “Gia Lai”), từ dài hơn khớp ở bất kỳ đâu (ADR 0185)",
    )
    start: dt.date | None = None
    end: dt.date | None = None
    procedure: str = Field("", max_length=40)
    limit: int = Field(20, ge=1, le=100)
    # the newest 10,000 reports under the filters; older ones by narrowing the dates (ADR 0184)
    offset: int = Field(0, ge=0, le=selectors.MAX_BOARD_ROWS)


class FeedbackBoardPage(Schema):
    items: list[FeedbackPublicReport]
    next_offset: int | None


class FeedbackReportIn(Schema):
    category: str
    title: str
    description: str
    unit: str
    address: str
    lat: Decimal | None = None
    lon: Decimal | None = None
    is_public: bool = True
    show_name: bool = False
    name: str = ""
    phone: str = ""
    email: str = ""
    procedure: str = ""  # a catalogue code
    dossier: str = ""  # one of the reporter's own dossiers (signed in); never public
    website: str = ""  # honeypot: must stay empty


class FeedbackCreated(Schema):
    code: str
    status: str
    agency: str
    agency_name: str
    due_at: dt.datetime | None


class FeedbackDuplicate(Schema):
    code: str
    title: str
    address: str
    received_at: dt.datetime


class FeedbackRateIn(Schema):
    rating: str
    comment: str = ""


class FeedbackActionIn(Schema):
    action: str
    reason: str = ""
    note: str = ""
    agency: str = ""
    target: str = ""


class FeedbackInboxRow(Schema):
    code: str
    title: str
    status: str
    category: str
    unit_name: str
    agency: str
    received_at: dt.datetime
    due_at: dt.datetime | None


class FeedbackStaffEvent(Schema):
    at: dt.datetime
    action: str
    label: str
    actor: str
    note: str
    public: bool


class FeedbackStaffDetail(FeedbackInboxRow):
    description: str
    address: str
    channel: str
    is_public: bool
    reporter_name: str
    reporter_phone: str
    reporter_email: str
    procedure: str
    dossier: str
    answer: str
    actions: list[str]
    events: list[FeedbackStaffEvent]


class FeedbackStatsQuery(Schema):
    unit: str = ""
    agency: str = ""
    start: dt.date
    end: dt.date


class FeedbackStats(Schema):
    total: int
    rejected: int
    answered: int
    on_time: int
    overdue: int
    satisfied: int
    disliked: int
    recomplained: int
    answered_on_time_rate: Decimal | None
    satisfaction_rate: Decimal | None


def public_out(r: Report) -> dict:
    answered = r.status in ("answered", "closed")
    return {
        "code": r.code,
        "title": r.title,
        "description": selectors.mask_text(r.description),
        "status": r.public_status,
        "status_label": str(r.get_public_status_display()),
        "category": r.category.code,
        "category_name": r.category.name,
        "unit": r.unit.code,
        "unit_name": r.unit.name,
        "address": r.address,
        "lat": r.lat,
        "lon": r.lon,
        "agency_name": r.agency.name,
        "reporter": selectors.public_name(r),
        "received_at": r.received_at,
        "due_at": r.due_at,
        "answered_at": r.answered_at if answered else None,
        "answer": selectors.mask_text(r.answer) if answered else "",
        "procedure": r.procedure.code if r.procedure_id else "",
        "procedure_name": r.procedure.name if r.procedure_id else "",
    }


def inbox_out(r: Report) -> dict:
    return {
        "code": r.code,
        "title": r.title,
        "status": r.status,
        "category": r.category.code,
        "unit_name": r.unit.name,
        "agency": r.agency.code,
        "received_at": r.received_at,
        "due_at": r.due_at,
    }


@router.get("/categories", response=list[FeedbackCategoryOut], auth=None, summary="Lĩnh vực phản ánh")
def categories(request):
    return [
        {
            "code": c.code,
            "name": c.name,
            "parent": c.parent.code if c.parent_id else None,
            "answer_days": c.answer_days,
            "description": c.description,
        }
        for c in Category.objects.filter(is_active=True).select_related("parent")
    ]


def _reporter(request):
    """Who files through the API: a signed-in session (CSRF-checked) or a bearer token with the write
    scope, so a dossier of theirs may be linked and they may rate the answer; anyone else files
    anonymously. The endpoint stays open to all (``auth=None``)."""
    if request.headers.get("Authorization", "").lower().startswith("bearer "):
        return OAuth2Bearer(("write",))(request) or None
    if getattr(request.user, "is_authenticated", False):
        return OfficialSessionAuth()(request) or None
    return None


@router.get("/reports", response=FeedbackBoardPage, auth=None, summary="Phản ánh công khai")
def board(request, f: Query[FeedbackBoardQuery]):
    """A page of the public board; ``next_offset`` is null on the last page (no count over the board)."""
    filters = f.dict(exclude={"limit", "offset"}) | {"q": f.q[:200]}
    rows = list(selectors.public_board(**filters)[f.offset : f.offset + f.limit + 1])
    more = len(rows) > f.limit
    return {
        "items": [public_out(r) for r in rows[: f.limit]],
        "next_offset": f.offset + f.limit if more else None,
    }


class FeedbackMapPoint(Schema):
    code: str
    title: str
    lat: float
    lon: float
    status: str
    status_label: str


@router.get(
    "/map",
    response=list[FeedbackMapPoint],
    auth=None,
    summary="Bản đồ phản ánh: các phản ánh công khai có vị trí (tối đa 500, mới nhất)",
)
def board_map(request, f: Query[FeedbackBoardQuery]):
    """The board-wide map's markers under the board's filters (``limit``/``offset`` not used)."""
    filters = f.dict(exclude={"limit", "offset"}) | {"q": f.q[:200]}
    return selectors.public_points(**filters)


@router.post(
    "/reports",
    response={201: FeedbackCreated},
    auth=None,
    summary="Gửi phản ánh (ảnh: tối đa 5, hoặc một video MP4 ngắn)",
)
def submit(
    request,
    data: Form[FeedbackReportIn],
    photos: File[list[UploadedFile]] = None,
    video: File[UploadedFile] = None,
):
    payload = {k: ("" if v is None else str(v)) for k, v in data.dict().items()}
    report = services.submit(
        payload, photos or [], video=video, actor=_reporter(request), ip=client_ip(request)
    )
    return Status(
        201,
        {
            "code": report.code,
            "status": report.status,
            "agency": report.agency.code,
            "agency_name": report.agency.name,
            "due_at": report.due_at,
        },
    )


@router.get("/duplicates", response=list[FeedbackDuplicate], auth=None, summary="Phản ánh có thể trùng")
def duplicates(request, unit: str, text: str):
    place = AdministrativeUnit.objects.filter(code=unit, level=3).first()
    return [
        {"code": r.code, "title": r.title, "address": r.address, "received_at": r.received_at}
        for r in services.duplicates(place, text[:4000])
    ]


@router.get("/reports/{code}", response=FeedbackPublicDetail, auth=None, summary="Một phản ánh công khai")
def report(request, code: str):
    r = selectors.public_report(code)
    if r is None:
        raise NotFound("Không tìm thấy phản ánh.")
    return {
        **public_out(r),
        "timeline": selectors.public_timeline(r),
        "photos": [f"/phan-anh/anh/{pk}/" for pk in r.media.values_list("pk", flat=True)],
    }


@router.post(
    "/reports/{code}/follow",
    response={201: FeedbackDuplicate},
    auth=write_auth,
    summary="Theo dõi phản ánh đã có",
)
def follow(request, code: str):
    f = services.follow(code, actor=request.auth)
    r = f.report
    return Status(201, {"code": r.code, "title": r.title, "address": r.address, "received_at": r.received_at})


@router.post(
    "/reports/{code}/rating",
    response=FeedbackPublicReport,
    auth=write_auth,
    summary="Người phản ánh đánh giá kết quả",
)
def rate(request, code: str, payload: FeedbackRateIn):
    r = services.rate(code, actor=request.auth, rating=payload.rating, comment=payload.comment)
    return public_out(Report.objects.select_related("category", "unit", "agency").get(pk=r.pk))


class FeedbackInfoIn(Schema):
    text: str


@router.post(
    "/reports/{code}/info",
    response={201: FeedbackTimelineEntry},
    auth=write_auth,
    summary="Người phản ánh bổ sung thông tin",
)
def add_info(request, code: str, payload: FeedbackInfoIn):
    services.add_info(code, actor=request.auth, text=payload.text)
    event = Report.objects.get(code=code).events.filter(action="add_info").order_by("-at", "-id").first()
    return Status(201, {"at": event.at, "label": event.label})


@router.get("/inbox", response=list[FeedbackInboxRow], summary="Phản ánh cơ quan cần xử lý")
@paginate(LimitOffsetPages)
def inbox(request, status: str = "open", procedure: str = "", dossier: str = ""):
    if not selectors.staff_agencies(request.auth).exists():
        raise PermissionDenied("Chỉ cán bộ của cơ quan xử lý phản ánh mới xem được.")
    rows = selectors.inbox(request.auth, status=status, procedure=procedure[:40], dossier=dossier[:40])
    return [inbox_out(r) for r in rows[:1000]]


def _staff_report(request, code) -> Report:
    r = (
        Report.objects.select_related("category", "unit", "agency", "procedure", "dossier")
        .filter(code=code)
        .first()
    )
    if r is None or not (
        can(request.auth, "feedback.view_staff", r) or can(request.auth, "feedback.dispatch", r)
    ):
        raise NotFound("Không tìm thấy phản ánh.")
    return r


def staff_out(r: Report, user) -> dict:
    return {
        **inbox_out(r),
        "description": r.description,
        "address": r.address,
        "channel": r.channel,
        "is_public": r.is_public,
        "reporter_name": r.reporter_name,
        "reporter_phone": r.reporter_phone,
        "reporter_email": r.reporter_email,
        "procedure": r.procedure.code if r.procedure_id else "",
        "dossier": r.dossier.code if r.dossier_id else "",
        "answer": r.answer,
        "actions": [
            t.name for t in REPORTS.available(r.status, actor=user, obj=r) if t.name in STAFF_ACTIONS
        ],
        "events": [
            {
                "at": e.at,
                "action": e.action,
                "label": e.label,
                "note": e.note,
                "public": e.public,
                "actor": (e.actor.full_name or e.actor.username) if e.actor else "",
            }
            for e in r.events.select_related("actor")
        ],
    }


@router.get(
    "/staff/{code}", response=FeedbackStaffDetail, summary="Phản ánh (cán bộ xử lý, có người phản ánh)"
)
def staff_report(request, code: str):
    r = _staff_report(request, code)
    audit.record("feedback.view_identity", obj=r, actor=request.auth)
    return staff_out(r, request.auth)


@router.post("/staff/{code}/actions", response=FeedbackStaffDetail, auth=write_auth, summary="Xử lý phản ánh")
def act(request, code: str, payload: FeedbackActionIn):
    if payload.action not in STAFF_ACTIONS:
        raise ServiceError("Thao tác không hợp lệ.", field="action")
    r = services.act(
        code,
        payload.action,
        actor=request.auth,
        reason=payload.reason,
        note=payload.note,
        agency=payload.agency,
        target=payload.target,
    )
    return staff_out(Report.objects.select_related("category", "unit", "agency").get(pk=r.pk), request.auth)


@router.get("/stats", response=FeedbackStats, summary="Trả lời đúng hạn và mức độ hài lòng (phản ánh)")
def stats(request, q: Query[FeedbackStatsQuery]):
    if not can(request.auth, "feedback.view_stats"):
        raise PermissionDenied("Bạn không có quyền xem thống kê phản ánh.")
    if q.end < q.start:
        raise ServiceError("Ngày kết thúc phải sau ngày bắt đầu.", field="end")
    scope = None
    if q.agency:
        scope = Agency.objects.filter(code=q.agency).first()
    elif q.unit:
        scope = AdministrativeUnit.objects.filter(code=q.unit).order_by("-valid_from").first()
    if (q.agency or q.unit) and scope is None:
        raise NotFound("Không tìm thấy địa bàn hoặc cơ quan.")
    return selectors.stats(scope, q.start, q.end)
