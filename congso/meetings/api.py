"""Meetings API under /api/v1/meetings: my meetings, scheduling (with the conflicts flagged), invitees
and answers (confirm, decline, delegate, revoke), the agenda and papers, private annotations, check-in
(by click or the room's QR token), the speaking queue, minutes, conclusions, the conclusion notice and
its tasks, the live state the pages poll, and the indicators (``/stats``). The same service functions
as the pages."""

import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from congso.core.api_auth import read_auth, write_auth
from congso.core.errors import NotFound, ServiceError
from congso.core.permissions import can
from congso.directory.scope import agencies_for
from congso.directory.selectors import agency_by_code

from . import selectors, services
from .models import AgendaItem, Invitee, Meeting, Paper, SpeakRequest
from .permissions import seat_of

router = Router(tags=["Họp không giấy"], auth=read_auth)


class MeetingsWarningOut(Schema):
    kind: str
    message: str
    user_id: int | None = None


class MeetingsInviteeOut(Schema):
    id: int
    user: str
    name: str
    role: str
    answer: str
    decline_reason: str
    delegate: str | None
    checked_in: bool


class MeetingsPaperOut(Schema):
    id: int
    title: str
    document_id: int | None
    url: str


class MeetingsItemOut(Schema):
    id: int
    position: int
    title: str
    reporting_agency: str
    minutes_allotted: int
    closed: bool
    papers_visible: bool
    papers: list[MeetingsPaperOut]
    minutes: str


class MeetingsAttendanceOut(Schema):
    members: int
    present_members: int
    present: int
    invited: int
    quorum_needed: int
    quorate: bool


class MeetingsSpeakOut(Schema):
    id: int
    user: str
    name: str
    state: str
    order: int


class MeetingsLiveOut(Schema):
    id: int
    status: str
    attendance: MeetingsAttendanceOut
    queue: list[MeetingsSpeakOut]
    checked_in: bool | None


class MeetingsConclusionOut(Schema):
    id: int
    text: str
    owner: str
    deadline: dt.date
    task_id: int | None


class MeetingsMeetingOut(Schema):
    id: int
    agency: str
    meeting_type: str
    title: str
    chair: str
    secretary: str
    room: str | None
    video_url: str
    start: dt.datetime
    end: dt.datetime
    status: str
    papers_published_at: dt.datetime | None
    conclusion_document_id: int | None


class MeetingsDetailOut(MeetingsMeetingOut):
    invitees: list[MeetingsInviteeOut]
    items: list[MeetingsItemOut]
    conclusions: list[MeetingsConclusionOut]
    warnings: list[MeetingsWarningOut]


class MeetingsScheduleIn(Schema):
    agency: str
    meeting_type: int
    title: str
    chair: str
    secretary: str
    start: str
    end: str
    room: int | None = None
    video: bool = False


class MeetingsRescheduleIn(Schema):
    start: str
    end: str


class MeetingsInviteIn(Schema):
    users: list[str]
    role: str = "member"


class MeetingsRespondIn(Schema):
    answer: str
    reason: str = ""
    delegate: str = ""


class MeetingsItemIn(Schema):
    title: str
    reporting_agency: str = ""
    minutes_allotted: int = 15
    closed: bool = False


class MeetingsPaperIn(Schema):
    document: int
    title: str = ""


class MeetingsTextIn(Schema):
    text: str


class MeetingsCheckInIn(Schema):
    token: str | None = None


class MeetingsFloorIn(Schema):
    item: int | None = None


class MeetingsFloorOpIn(Schema):
    op: str


class MeetingsConclusionIn(Schema):
    text: str
    owner: str
    deadline: dt.date
    item: int | None = None


class MeetingsReasonIn(Schema):
    reason: str


class MeetingsAnnotationOut(Schema):
    id: int
    text: str
    created_at: dt.datetime


class MeetingsTaskOut(Schema):
    id: int
    title: str
    owner: str
    deadline: dt.date


class MeetingsNoticeOut(Schema):
    document_id: int
    status: str


class MeetingsStatsOut(Schema):
    agency: str | None
    pc_meetings_held: int
    pc_meetings_in_system: int
    pc_meetings_in_system_share: Decimal | None
    papers_due: int
    papers_on_time: int
    papers_on_time_share: Decimal | None
    conclusions_due: int
    conclusions_on_time: int
    conclusions_on_time_share: Decimal | None


def _users(names):
    User = get_user_model()
    out = []
    for name in names:
        user = User.objects.filter(username=name, is_active=True).first()
        if user is None:
            raise ServiceError(f"Không tìm thấy người dùng {name}.", field="users")
        out.append(user)
    return out


def _meeting(request, meeting_id) -> Meeting:
    m = (
        Meeting.objects.select_related("agency", "meeting_type", "chair", "secretary", "room")
        .filter(pk=meeting_id)
        .first()
    )
    if m is None or not can(request.auth, "meetings.view", m):
        raise NotFound("Không tìm thấy cuộc họp.")
    return m


def _item(request, item_id) -> AgendaItem:
    item = AgendaItem.objects.select_related("meeting").filter(pk=item_id).first()
    if item is None or not can(request.auth, "meetings.view", item.meeting):
        raise NotFound("Không tìm thấy nội dung.")
    return item


def out(m: Meeting) -> dict:
    return {
        "id": m.pk,
        "agency": m.agency.code,
        "meeting_type": m.meeting_type.name,
        "title": m.title,
        "chair": m.chair.username,
        "secretary": m.secretary.username,
        "room": m.room.name if m.room else None,
        "video_url": m.video_url,
        "start": m.start,
        "end": m.end,
        "status": m.status,
        "papers_published_at": m.papers_published_at,
        "conclusion_document_id": m.conclusion_document_id,
    }


def _paper_out(request, p: Paper) -> dict:
    return {
        "id": p.pk,
        "title": p.title,
        "document_id": p.document_id,
        "url": request.build_absolute_uri(f"/hop/tai-lieu/{p.pk}/?tai=1"),
    }


def detail_out(request, m: Meeting) -> dict:
    user = request.auth
    organise = can(user, "meetings.organise", m)
    items = []
    for it in m.items.prefetch_related("papers"):
        visible = can(user, "meetings.view_papers", it) and (m.papers_published_at is not None or organise)
        items.append(
            {
                "id": it.pk,
                "position": it.position,
                "title": it.title,
                "reporting_agency": it.reporting_agency,
                "minutes_allotted": it.minutes_allotted,
                "closed": it.closed,
                "papers_visible": visible,
                "papers": [_paper_out(request, p) for p in it.papers.all()] if visible else [],
                "minutes": it.minutes if (visible or not it.closed) else "",
            }
        )
    return {
        **out(m),
        "invitees": [
            {
                "id": i.pk,
                "user": i.user.username,
                "name": i.user.full_name,
                "role": i.role,
                "answer": i.answer,
                "decline_reason": i.decline_reason if organise or i.user_id == user.pk else "",
                "delegate": i.delegate.username if i.delegate else None,
                "checked_in": bool(i.checked_in_at),
            }
            for i in m.invitees.select_related("user", "delegate")
        ],
        "items": items,
        "conclusions": [
            {
                "id": c.pk,
                "text": c.text,
                "owner": c.owner.username,
                "deadline": c.deadline,
                "task_id": c.task_id,
            }
            for c in m.conclusions.select_related("owner")
        ],
        "warnings": [vars(w) for w in services.conflicts(m)] if organise and m.status == "scheduled" else [],
    }


def live_out(request, m: Meeting) -> dict:
    a = selectors.attendance(m)
    seat = seat_of(request.auth, m)
    return {
        "id": m.pk,
        "status": m.status,
        "attendance": {**vars(a), "quorate": a.quorate},
        "queue": [
            {
                "id": r.pk,
                "user": r.user.username,
                "name": r.user.full_name,
                "state": r.state,
                "order": r.order,
            }
            for r in selectors.queue(m)
        ],
        "checked_in": bool(seat.checked_in_at) if seat else None,
    }


@router.get("/", response=list[MeetingsMeetingOut], summary="Cuộc họp của tôi")
def index(request, past: bool = False):
    return [
        out(m)
        for m in selectors.my_meetings(request.auth, upcoming=not past).select_related(
            "agency", "meeting_type", "chair", "secretary", "room"
        )[:200]
    ]


@router.post("/", response={201: MeetingsDetailOut}, auth=write_auth, summary="Lên lịch cuộc họp")
def schedule(request, payload: MeetingsScheduleIn):
    agency = agency_by_code(payload.agency)
    if agency is None:
        raise NotFound("Không tìm thấy cơ quan.")
    chair, secretary = _users([payload.chair, payload.secretary])
    m = services.schedule(
        actor=request.auth,
        agency=agency,
        meeting_type=payload.meeting_type,
        title=payload.title,
        chair=chair,
        secretary=secretary,
        start=payload.start,
        end=payload.end,
        room=payload.room,
        video=payload.video,
    )
    return Status(201, detail_out(request, m))


@router.get("/stats", response=MeetingsStatsOut, summary="Chỉ số họp không giấy")
def stats(request, agency: str = "", start: dt.date | None = None, end: dt.date | None = None):
    if start and end and end < start:
        raise ServiceError("Ngày kết thúc phải sau ngày bắt đầu.", field="end")
    agency_ids = None
    if agency:
        a = agency_by_code(agency)
        if a is None:
            raise NotFound("Không tìm thấy cơ quan.")
        if not can(request.auth, "meetings.stats", a):
            raise PermissionDenied("Bạn không có quyền xem chỉ số họp của cơ quan này.")
        agency_ids = [a.pk]
    else:
        allowed = agencies_for(request.auth, ["leader", "agency_admin", "ioc_viewer"])
        if not allowed.exists():
            raise PermissionDenied("Bạn không có quyền xem chỉ số họp.")
        agency_ids = list(allowed.values_list("pk", flat=True))
    row = selectors.stats(agency_ids, start, end)

    def share(n, d):
        return (Decimal(n) * 100 / d).quantize(Decimal("0.1")) if d else None

    return {
        "agency": agency or None,
        **row,
        "pc_meetings_in_system_share": share(row["pc_meetings_in_system"], row["pc_meetings_held"]),
        "papers_on_time_share": share(row["papers_on_time"], row["papers_due"]),
        "conclusions_on_time_share": share(row["conclusions_on_time"], row["conclusions_due"]),
    }


@router.get("/{meeting_id}", response=MeetingsDetailOut, summary="Một cuộc họp")
def detail(request, meeting_id: int):
    return detail_out(request, _meeting(request, meeting_id))


@router.get(
    "/{meeting_id}/live", response=MeetingsLiveOut, summary="Điểm danh, túc số, lượt phát biểu (trực tiếp)"
)
def live(request, meeting_id: int):
    return live_out(request, _meeting(request, meeting_id))


@router.post("/{meeting_id}/reschedule", response=MeetingsDetailOut, auth=write_auth, summary="Đổi thời gian")
def reschedule(request, meeting_id: int, payload: MeetingsRescheduleIn):
    m = services.reschedule(
        _meeting(request, meeting_id), actor=request.auth, start=payload.start, end=payload.end
    )
    return detail_out(request, m)


@router.post("/{meeting_id}/cancel", response=MeetingsMeetingOut, auth=write_auth, summary="Hủy cuộc họp")
def cancel(request, meeting_id: int, payload: MeetingsReasonIn):
    return out(services.cancel(_meeting(request, meeting_id), actor=request.auth, reason=payload.reason))


@router.post(
    "/{meeting_id}/invitees", response=list[MeetingsInviteeOut], auth=write_auth, summary="Mời dự họp"
)
def invite(request, meeting_id: int, payload: MeetingsInviteIn):
    m = _meeting(request, meeting_id)
    services.invite(m, actor=request.auth, users=_users(payload.users), role=payload.role)
    return detail_out(request, m)["invitees"]


@router.post(
    "/{meeting_id}/answer",
    response=MeetingsInviteeOut,
    auth=write_auth,
    summary="Xác nhận, báo vắng, cử người dự thay",
)
def respond(request, meeting_id: int, payload: MeetingsRespondIn):
    m = _meeting(request, meeting_id)
    delegate = _users([payload.delegate])[0] if payload.delegate else None
    i = services.respond(
        m, user=request.auth, answer=payload.answer, reason=payload.reason, delegate=delegate
    )
    return _invitee_out(i)


def _invitee_out(i: Invitee) -> dict:
    return {
        "id": i.pk,
        "user": i.user.username,
        "name": i.user.full_name,
        "role": i.role,
        "answer": i.answer,
        "decline_reason": i.decline_reason,
        "delegate": i.delegate.username if i.delegate else None,
        "checked_in": bool(i.checked_in_at),
    }


@router.post(
    "/{meeting_id}/answer/revoke",
    response=MeetingsInviteeOut,
    auth=write_auth,
    summary="Thu hồi ủy quyền dự thay",
)
def revoke(request, meeting_id: int):
    return _invitee_out(services.revoke_delegation(_meeting(request, meeting_id), user=request.auth))


@router.post(
    "/{meeting_id}/items",
    response={201: MeetingsItemOut},
    auth=write_auth,
    summary="Thêm nội dung chương trình họp",
)
def add_item(request, meeting_id: int, payload: MeetingsItemIn):
    m = _meeting(request, meeting_id)
    it = services.add_item(m, actor=request.auth, **payload.dict())
    return Status(201, next(i for i in detail_out(request, m)["items"] if i["id"] == it.pk))


@router.post(
    "/items/{item_id}/papers",
    response={201: MeetingsPaperOut},
    auth=write_auth,
    summary="Đính kèm văn bản làm tài liệu họp",
)
def attach_document(request, item_id: int, payload: MeetingsPaperIn):
    p = services.attach_paper(
        _item(request, item_id), actor=request.auth, title=payload.title, document=payload.document
    )
    return Status(201, _paper_out(request, p))


@router.post(
    "/items/{item_id}/papers/upload",
    response={201: MeetingsPaperOut},
    auth=write_auth,
    summary="Tải lên tài liệu họp (PDF)",
)
def upload_paper(request, item_id: int, file: File[UploadedFile], title: Form[str] = ""):
    p = services.attach_paper(_item(request, item_id), actor=request.auth, title=title, upload=file)
    return Status(201, _paper_out(request, p))


@router.get(
    "/papers/{paper_id}/annotations",
    response=list[MeetingsAnnotationOut],
    summary="Ghi chú riêng của tôi trên tài liệu",
)
def annotations(request, paper_id: int):
    p = Paper.objects.select_related("item__meeting").filter(pk=paper_id).first()
    if p is None or not services.papers_visible(request.auth, p):
        raise NotFound("Không tìm thấy tài liệu.")
    return [
        {"id": a.pk, "text": a.text, "created_at": a.created_at}
        for a in selectors.annotations(request.auth, p)
    ]


@router.post(
    "/papers/{paper_id}/annotations",
    response={201: MeetingsAnnotationOut},
    auth=write_auth,
    summary="Ghi chú riêng trên tài liệu",
)
def annotate(request, paper_id: int, payload: MeetingsTextIn):
    a = services.annotate(paper_id, user=request.auth, text=payload.text)
    return Status(201, {"id": a.pk, "text": a.text, "created_at": a.created_at})


@router.post(
    "/{meeting_id}/publish",
    response=MeetingsMeetingOut,
    auth=write_auth,
    summary="Gửi tài liệu họp cho thành viên",
)
def publish(request, meeting_id: int):
    return out(services.publish_papers(_meeting(request, meeting_id), actor=request.auth))


@router.post("/{meeting_id}/start", response=MeetingsMeetingOut, auth=write_auth, summary="Khai mạc")
def start(request, meeting_id: int):
    return out(services.start_meeting(_meeting(request, meeting_id), actor=request.auth))


@router.post("/{meeting_id}/end", response=MeetingsMeetingOut, auth=write_auth, summary="Bế mạc")
def end(request, meeting_id: int):
    return out(services.end_meeting(_meeting(request, meeting_id), actor=request.auth))


@router.post(
    "/{meeting_id}/check-in",
    response=MeetingsLiveOut,
    auth=write_auth,
    summary="Điểm danh (bấm nút hoặc mã QR)",
)
def check_in(request, meeting_id: int, payload: MeetingsCheckInIn):
    m = _meeting(request, meeting_id)
    services.check_in(m, user=request.auth, token=payload.token)
    return live_out(request, m)


@router.post(
    "/{meeting_id}/floor", response={201: MeetingsSpeakOut}, auth=write_auth, summary="Đăng ký phát biểu"
)
def request_floor(request, meeting_id: int, payload: MeetingsFloorIn):
    r = services.request_floor(_meeting(request, meeting_id), user=request.auth, item=payload.item)
    return Status(
        201,
        {"id": r.pk, "user": r.user.username, "name": r.user.full_name, "state": r.state, "order": r.order},
    )


@router.post(
    "/floor/{request_id}",
    response=MeetingsSpeakOut,
    auth=write_auth,
    summary="Cho phát biểu, kết thúc, đổi thứ tự, rút",
)
def manage_floor(request, request_id: int, payload: MeetingsFloorOpIn):
    r = SpeakRequest.objects.select_related("meeting").filter(pk=request_id).first()
    if r is None or not can(request.auth, "meetings.view", r.meeting):
        raise NotFound("Không tìm thấy lượt đăng ký phát biểu.")
    r = services.manage_floor(r, actor=request.auth, action=payload.op)
    return {"id": r.pk, "user": r.user.username, "name": r.user.full_name, "state": r.state, "order": r.order}


@router.post(
    "/items/{item_id}/minutes", response=MeetingsItemOut, auth=write_auth, summary="Ghi biên bản nội dung"
)
def minutes(request, item_id: int, payload: MeetingsTextIn):
    it = services.record_minutes(_item(request, item_id), actor=request.auth, text=payload.text)
    return next(i for i in detail_out(request, it.meeting)["items"] if i["id"] == it.pk)


@router.post(
    "/{meeting_id}/conclusions",
    response={201: MeetingsConclusionOut},
    auth=write_auth,
    summary="Ghi kết luận",
)
def conclusion(request, meeting_id: int, payload: MeetingsConclusionIn):
    (owner,) = _users([payload.owner])
    c = services.add_conclusion(
        _meeting(request, meeting_id),
        actor=request.auth,
        text=payload.text,
        owner=owner,
        deadline=payload.deadline,
        item=payload.item,
    )
    return Status(
        201,
        {"id": c.pk, "text": c.text, "owner": c.owner.username, "deadline": c.deadline, "task_id": c.task_id},
    )


@router.post(
    "/{meeting_id}/notice",
    response={201: MeetingsNoticeOut},
    auth=write_auth,
    summary="Dự thảo thông báo kết luận (văn bản đi)",
)
def notice(request, meeting_id: int):
    doc = services.draft_conclusion_notice(_meeting(request, meeting_id), actor=request.auth)
    return Status(201, {"document_id": doc.pk, "status": doc.status})


@router.post(
    "/{meeting_id}/tasks",
    response={201: list[MeetingsTaskOut]},
    auth=write_auth,
    summary="Giao việc theo kết luận",
)
def tasks(request, meeting_id: int):
    out_ = services.create_tasks(_meeting(request, meeting_id), actor=request.auth)
    return Status(
        201, [{"id": t.pk, "title": t.title, "owner": t.owner.username, "deadline": t.deadline} for t in out_]
    )


class MeetingsVoteIn(Schema):
    item: int
    title: str = ""
    secret: bool = False


class MeetingsCastIn(Schema):
    choice: str


class MeetingsCountsOut(Schema):
    agree: int
    disagree: int
    abstain: int
    other: int


class MeetingsVoteOut(Schema):
    ballot_id: int
    item_id: int
    title: str
    secret: bool
    status: str
    electorate: int
    voted: int
    counts: MeetingsCountsOut | None
    passed: bool | None
    quorum_met: bool | None
    you_voted: bool


def _votes_out(request, m) -> list[dict]:
    out_ = []
    for v in services.votes_for(m, request.auth):
        live_ = v["live"]
        out_.append(
            {
                "ballot_id": v["id"],
                "item_id": v["item"].pk,
                "title": v["ballot"].title,
                "secret": live_["secret"],
                "status": live_["status"],
                "electorate": live_["electorate"],
                "voted": live_["voted"],
                "counts": live_["counts"],
                "passed": v["tally"].passed if v["tally"] else None,
                "quorum_met": v["tally"].quorum_met if v["tally"] else None,
                "you_voted": v["voted"],
            }
        )
    return out_


@router.get(
    "/{meeting_id}/votes",
    response=list[MeetingsVoteOut],
    summary="Các cuộc biểu quyết và kết quả (trực tiếp)",
)
def votes(request, meeting_id: int):
    return _votes_out(request, _meeting(request, meeting_id))


@router.post(
    "/{meeting_id}/votes",
    response={201: MeetingsVoteOut},
    auth=write_auth,
    summary="Đưa nội dung ra biểu quyết",
)
def open_vote(request, meeting_id: int, payload: MeetingsVoteIn):
    m = _meeting(request, meeting_id)
    item = AgendaItem.objects.filter(meeting=m, pk=payload.item).first()
    if item is None:
        raise NotFound("Không tìm thấy nội dung.")
    v = services.open_vote(item, actor=request.auth, title=payload.title, secret=payload.secret)
    return Status(201, next(x for x in _votes_out(request, m) if x["ballot_id"] == v.ballot_id))


@router.post(
    "/{meeting_id}/votes/{ballot_id}/cast", response=MeetingsVoteOut, auth=write_auth, summary="Biểu quyết"
)
def cast(request, meeting_id: int, ballot_id: int, payload: MeetingsCastIn):
    m = _meeting(request, meeting_id)
    services.cast_vote(m, ballot_id=ballot_id, user=request.auth, choice=payload.choice)
    return next(x for x in _votes_out(request, m) if x["ballot_id"] == ballot_id)


@router.post(
    "/{meeting_id}/votes/{ballot_id}/close",
    response=MeetingsVoteOut,
    auth=write_auth,
    summary="Kết thúc biểu quyết",
)
def close_vote(request, meeting_id: int, ballot_id: int):
    m = _meeting(request, meeting_id)
    services.close_vote(m, ballot_id=ballot_id, actor=request.auth)
    return next(x for x in _votes_out(request, m) if x["ballot_id"] == ballot_id)
