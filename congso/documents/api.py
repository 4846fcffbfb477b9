"""Official documents API under /api/v1/documents: inbox, a document, incoming registration and handling,
the review/sign/issue/release actions of outgoing drafts, registers and their Excel export, numbers
cancelled, search, assigned tasks, and the scorecard's indicators (``/stats``). The same service
functions as the pages."""

import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.urls import reverse
from ninja import File, Form, Query, Router, Schema, Status, UploadedFile
from ninja.pagination import paginate

from congso.core.api_auth import read_auth, write_auth
from congso.core.errors import NotFound, ServiceError
from congso.core.pagination import NumberedPages
from congso.core.permissions import can
from congso.directory.models import Agency
from congso.directory.selectors import agency_by_code

from . import exports, selectors, services
from .models import Document, NumberEntry, Register, Task

router = Router(tags=["Văn bản"], auth=read_auth)


class DocumentsDocumentOut(Schema):
    id: int
    direction: str
    status: str
    status_label: str
    agency: str
    doc_type: str
    number: str
    symbol: str
    subject: str
    issued_on: dt.date | None
    issuing_organ: str
    signer_name: str
    secrecy: str
    urgency: int
    urgency_label: str
    pages: int | None
    due_date: dt.date | None
    arrival_number: int | None
    arrived_at: dt.datetime | None
    handling_deadline: dt.date | None
    has_file: bool
    is_public: bool = False
    ocr_state: str = ""
    recalled_at: dt.datetime | None = None
    recall_reason: str = ""


class DocumentsIncomingIn(Schema):
    agency: str
    doc_type: str
    subject: str
    symbol: str = ""
    number: str = ""
    issued_on: str = ""
    issuing_organ: str = ""
    signer_name: str = ""
    signer_position: str = ""
    secrecy: str = ""
    urgency: int = 0
    pages: int | None = None
    due_date: str = ""


class DocumentsAssignIn(Schema):
    lead: str
    co: list[str] = []
    readers: list[str] = []
    working_days: int | None = None
    deadline: str = ""
    note: str = ""


class DocumentsTextIn(Schema):
    text: str


class DocumentsActionIn(Schema):
    action: str
    reason: str = ""
    note: str = ""


class DocumentsExternalIn(Schema):
    organ_id: str
    name: str


class DocumentsReleaseIn(Schema):
    agencies: list[str] = []
    external: list[DocumentsExternalIn] = []
    public: bool = False


class DocumentsRecallIn(Schema):
    reason: str


class DocumentsRecipientOut(Schema):
    id: int
    name: str
    organ_id: str
    agency: str | None
    state: str
    state_label: str
    through_exchange: bool
    status_code: str
    status_label: str
    recall_status: str
    recall_label: str
    recall_answered_at: dt.datetime | None


class DocumentsCopyIn(Schema):
    form: str
    pages: str = ""
    source_copy: int | None = None
    recipients_text: str = ""


class DocumentsCopyOut(Schema):
    id: int
    document_id: int
    form: str
    form_label: str
    symbol: str
    pages: str
    created_at: dt.datetime
    file_url: str


class DocumentsReviewStepIn(Schema):
    title: str
    role: str


class DocumentsReviewChainIn(Schema):
    agency: str
    steps: list[DocumentsReviewStepIn]


class DocumentsReviewStepOut(Schema):
    position: int
    title: str
    role: str


class DocumentsOcrOut(Schema):
    id: int
    ocr_state: str
    ocr_text: str
    ocr_error: str
    ocr_at: dt.datetime | None


class DocumentsPublicIn(Schema):
    public: bool = True


class DocumentsPublicOut(Schema):
    id: int
    number: str
    issued_on: dt.date | None
    doc_type: str
    subject: str
    signer_name: str
    signer_position: str
    agency: str
    agency_name: str
    published_at: dt.datetime | None
    pdf_url: str


class DocumentsCancelIn(Schema):
    reason: str


class DocumentsNumberOut(Schema):
    id: int
    register_id: int
    year: int
    number: int
    symbol: str
    cancelled: bool
    cancel_reason: str


class DocumentsRegisterOut(Schema):
    id: int
    agency: str
    name: str
    direction: str
    secret: bool
    notation: str


class DocumentsStatsOut(Schema):
    agency: str
    start: dt.date
    end: dt.date
    outgoing_released: int
    outgoing_signed_electronic: int
    signed_electronic_share: Decimal | None
    incoming_finished: int
    incoming_on_time: int
    incoming_on_time_share: Decimal | None
    open_tasks: int
    overdue_tasks: int


class DocumentsStatsQuery(Schema):
    agency: str
    start: dt.date
    end: dt.date


class DocumentsTaskIn(Schema):
    agency: str
    title: str
    owner: str
    co_owners: list[str] = []
    deadline: str = ""
    working_days: int | None = None
    directive: int | None = None


class DocumentsTaskOut(Schema):
    id: int
    title: str
    owner: str
    deadline: dt.date
    status: str
    progress: int
    overdue: bool


class DocumentsTaskReportIn(Schema):
    progress: int
    text: str
    done: bool = False


def out(d: Document) -> dict:
    return {
        "id": d.pk,
        "direction": d.direction,
        "status": d.status,
        "status_label": str(d.get_status_display()),
        "agency": d.agency.code,
        "doc_type": d.doc_type.name,
        "number": d.number,
        "symbol": d.symbol,
        "subject": d.subject,
        "issued_on": d.issued_on,
        "issuing_organ": d.issuing_organ,
        "signer_name": d.signer_name,
        "secrecy": d.secrecy,
        "urgency": d.urgency,
        "urgency_label": str(d.get_urgency_display()),
        "pages": d.pages,
        "due_date": d.due_date,
        "arrival_number": d.arrival_number,
        "arrived_at": d.arrived_at,
        "handling_deadline": d.handling_deadline,
        "has_file": bool(d.file),
        "is_public": d.is_public,
        "ocr_state": d.ocr_state,
        "recalled_at": d.recalled_at,
        "recall_reason": d.recall_reason,
    }


def copy_out(c) -> dict:
    return {
        "id": c.pk,
        "document_id": c.document_id,
        "form": c.form,
        "form_label": str(c.get_form_display()),
        "symbol": c.symbol,
        "pages": c.pages,
        "created_at": c.created_at,
        "file_url": reverse("documents:download", args=[c.document_id]) + f"?sao={c.pk}",
    }


def ocr_out(d) -> dict:
    return {
        "id": d.pk,
        "ocr_state": d.ocr_state,
        "ocr_text": d.ocr_text,
        "ocr_error": d.ocr_error,
        "ocr_at": d.ocr_at,
    }


def task_out(t: Task) -> dict:
    return {
        "id": t.pk,
        "title": t.title,
        "owner": t.owner.username,
        "deadline": t.deadline,
        "status": t.status,
        "progress": t.progress,
        "overdue": t.status == Task.Status.OPEN and t.deadline < dt.date.today(),
    }


def _agency(code: str) -> Agency:
    agency = agency_by_code(code)
    if agency is None:
        raise NotFound("Không tìm thấy cơ quan.")
    return agency


def _users(usernames):
    User = get_user_model()
    found = {u.username: u for u in User.objects.filter(username__in=list(usernames))}
    missing = [n for n in usernames if n not in found]
    if missing:
        raise ServiceError(f"Không tìm thấy cán bộ {', '.join(missing)}.")
    return [found[n] for n in usernames]


@router.get("/", response=list[DocumentsDocumentOut], summary="Văn bản được xem (hỏa tốc trước)")
@paginate(NumberedPages, page_size=50)
def inbox(request, direction: str = ""):
    return [out(d) for d in selectors.inbox(request.auth, direction=direction or None)[:1000]]


@router.get("/search", response=list[DocumentsDocumentOut], summary="Tìm văn bản (không dấu)")
def search(request, q: str):
    return [out(d) for d in selectors.search(request.auth, q)]


@router.get(
    "/public",
    response=list[DocumentsPublicOut],
    auth=None,
    summary="Văn bản công khai (không cần đăng nhập)",
)
def public(request, agency: str = "", q: str = "", since: dt.date | None = None):
    agency_ids = [_agency(agency).pk] if agency else None
    return [
        {**vars(d), "agency": d.agency_code, "pdf_url": request.build_absolute_uri(d.pdf_url)}
        for d in selectors.public_documents(agency_ids, query=q[:200], since=since, limit=200)
    ]


@router.get(
    "/review-chain", response=list[DocumentsReviewStepOut], summary="Quy trình duyệt dự thảo của cơ quan"
)
def review_chain(request, agency: str):
    a = _agency(agency)
    if not (can(request.auth, "documents.manage_review_chain", a) or can(request.auth, "documents.draft", a)):
        raise PermissionDenied("Bạn không có quyền xem quy trình duyệt của cơ quan này.")
    return [{"position": s.position, "title": s.title, "role": s.role} for s in selectors.review_steps(a)]


@router.put(
    "/review-chain",
    response=list[DocumentsReviewStepOut],
    auth=write_auth,
    summary="Sửa quy trình duyệt dự thảo (quản trị cơ quan)",
)
def set_review_chain(request, payload: DocumentsReviewChainIn):
    steps = services.set_review_chain(
        _agency(payload.agency), actor=request.auth, steps=[s.dict() for s in payload.steps]
    )
    return [{"position": s.position, "title": s.title, "role": s.role} for s in steps]


@router.get("/stats", response=DocumentsStatsOut, summary="Chỉ số văn bản cho bảng điểm")
def stats(request, q: Query[DocumentsStatsQuery]):
    if q.end < q.start:
        raise ServiceError("Ngày kết thúc phải sau ngày bắt đầu.", field="end")
    agency = _agency(q.agency)
    if not can(request.auth, "documents.view_stats", agency):
        raise PermissionDenied("Bạn không có quyền xem chỉ số văn bản của cơ quan này.")
    row = selectors.stats(agency, q.start, q.end)
    return {**row, "agency": agency.code}


@router.get("/registers", response=list[DocumentsRegisterOut], summary="Sổ đăng ký văn bản của cơ quan")
def registers(request, agency: str):
    a = _agency(agency)
    if not can(request.auth, "documents.manage_registers", a):
        raise PermissionDenied("Bạn không có quyền xem sổ đăng ký của cơ quan này.")
    return [
        {
            "id": r.pk,
            "agency": a.code,
            "name": r.name,
            "direction": r.direction,
            "secret": r.secret,
            "notation": r.notation,
        }
        for r in Register.objects.filter(agency=a, is_active=True)
    ]


@router.get("/registers/{register_id}/export", summary="Xuất sổ đăng ký ra Excel (mẫu Nghị định 30)")
def export_register(request, register_id: int, year: int | None = None):
    register = Register.objects.select_related("agency").filter(pk=register_id).first()
    if register is None:
        raise NotFound("Không tìm thấy sổ đăng ký.")
    if not can(request.auth, "documents.manage_registers", register.agency):
        raise PermissionDenied("Bạn không có quyền xem sổ đăng ký của cơ quan này.")
    year = year or dt.date.today().year
    response = HttpResponse(
        exports.register_xlsx(register, year),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="so-dang-ky-{register.pk}-{year}.xlsx"'
    return response


@router.post(
    "/numbers/{entry_id}/cancel", response=DocumentsNumberOut, auth=write_auth, summary="Hủy số lấy nhầm"
)
def cancel_number(request, entry_id: int, payload: DocumentsCancelIn):
    if not NumberEntry.objects.filter(pk=entry_id).exists():
        raise NotFound("Không tìm thấy số.")
    e = services.cancel_number(entry_id, actor=request.auth, reason=payload.reason)
    return {
        "id": e.pk,
        "register_id": e.register_id,
        "year": e.year,
        "number": e.number,
        "symbol": e.symbol,
        "cancelled": bool(e.cancelled_at),
        "cancel_reason": e.cancel_reason,
    }


@router.post("/incoming", response={201: DocumentsDocumentOut}, auth=write_auth, summary="Vào sổ văn bản đến")
def register_incoming(request, payload: DocumentsIncomingIn):
    data = payload.dict()
    agency = _agency(data.pop("agency"))
    doc = services.register_incoming(actor=request.auth, agency=agency, metadata=data)
    return Status(201, out(doc))


@router.get("/tasks", response=list[DocumentsTaskOut], summary="Nhiệm vụ được giao")
def tasks(request, agency: str):
    board = selectors.tasks_dashboard(request.auth, _agency(agency))
    return [task_out(t) for key in ("overdue", "due_soon", "open", "done") for t in board[key]]


@router.post("/tasks", response={201: DocumentsTaskOut}, auth=write_auth, summary="Giao việc")
def create_task(request, payload: DocumentsTaskIn):
    agency = _agency(payload.agency)
    (owner,) = _users([payload.owner])
    task = services.create_task(
        actor=request.auth,
        agency=agency,
        title=payload.title,
        owner=owner,
        co_owners=_users(payload.co_owners),
        deadline=payload.deadline or None,
        working_days=payload.working_days,
        directive=payload.directive,
    )
    return Status(201, task_out(task))


@router.post(
    "/tasks/{task_id}/reports", response={201: DocumentsTaskOut}, auth=write_auth, summary="Báo cáo tiến độ"
)
def report_task(request, task_id: int, payload: DocumentsTaskReportIn):
    report = services.report_task(
        task_id, actor=request.auth, progress=payload.progress, text=payload.text, done=payload.done
    )
    return Status(201, task_out(report.task))


@router.get("/{document_id}", response=DocumentsDocumentOut, summary="Một văn bản")
def get_document(request, document_id: int):
    return out(selectors.visible_document(request.auth, document_id))


def _visible(request, document_id):
    return selectors.visible_document(request.auth, document_id)


@router.post("/{document_id}/route", response=DocumentsDocumentOut, auth=write_auth, summary="Trình lãnh đạo")
def route(request, document_id: int):
    _visible(request, document_id)
    return out(services.route(document_id, actor=request.auth))


@router.post(
    "/{document_id}/assign", response=DocumentsDocumentOut, auth=write_auth, summary="Phân công xử lý"
)
def assign(request, document_id: int, payload: DocumentsAssignIn):
    _visible(request, document_id)
    (lead,) = _users([payload.lead])
    doc = services.assign(
        document_id,
        actor=request.auth,
        lead=lead,
        co=_users(payload.co),
        readers=_users(payload.readers),
        deadline=payload.deadline or None,
        working_days=payload.working_days,
        note=payload.note,
    )
    return out(doc)


@router.post(
    "/{document_id}/opinions",
    response={201: DocumentsDocumentOut},
    auth=write_auth,
    summary="Cho ý kiến xử lý",
)
def opinion(request, document_id: int, payload: DocumentsTextIn):
    _visible(request, document_id)
    note = services.add_opinion(document_id, actor=request.auth, text=payload.text)
    return Status(201, out(note.document))


@router.post(
    "/{document_id}/finish", response=DocumentsDocumentOut, auth=write_auth, summary="Hoàn thành xử lý"
)
def finish(request, document_id: int, payload: DocumentsTextIn):
    _visible(request, document_id)
    return out(services.finish(document_id, actor=request.auth, result=payload.text))


ACTIONS = {
    "submit": lambda pk, actor, p: services.submit(pk, actor=actor, note=p.note),
    "approve": lambda pk, actor, p: services.approve(pk, actor=actor, note=p.note),
    "return": lambda pk, actor, p: services.return_for_revision(pk, actor=actor, reason=p.reason),
    "sign": lambda pk, actor, p: services.sign(pk, actor=actor),
    "issue": lambda pk, actor, p: services.issue(pk, actor=actor),
    # an incoming document received through the exchange: the sender is told why (status 02)
    "refuse": lambda pk, actor, p: services.refuse(pk, actor=actor, reason=p.reason),
}


@router.post(
    "/{document_id}/actions",
    response=DocumentsDocumentOut,
    auth=write_auth,
    summary="Trình, duyệt, trả lại, ký, cấp số; từ chối văn bản nhận qua trục",
)
def act(request, document_id: int, payload: DocumentsActionIn):
    if payload.action not in ACTIONS:
        raise ServiceError("Thao tác không hợp lệ.", field="action")
    _visible(request, document_id)
    return out(ACTIONS[payload.action](document_id, request.auth, payload))


@router.post("/{document_id}/release", response=DocumentsDocumentOut, auth=write_auth, summary="Phát hành")
def release(request, document_id: int, payload: DocumentsReleaseIn):
    _visible(request, document_id)
    doc = services.release(
        document_id,
        actor=request.auth,
        agencies=payload.agencies,
        external=[e.dict() for e in payload.external],
        public=payload.public,
    )
    return out(doc)


@router.post(
    "/{document_id}/recall",
    response=DocumentsDocumentOut,
    auth=write_auth,
    summary="Thu hồi văn bản đã gửi qua trục liên thông (văn thư cơ quan phát hành; cần lý do)",
)
def recall(request, document_id: int, payload: DocumentsRecallIn):
    _visible(request, document_id)
    return out(services.recall(document_id, actor=request.auth, reason=payload.reason))


@router.post(
    "/{document_id}/update",
    response=DocumentsDocumentOut,
    auth=write_auth,
    summary="Gửi bản cập nhật (tệp đã ký lại) đến nơi nhận qua trục liên thông (văn thư cơ quan phát hành)",
)
def send_update(request, document_id: int, reason: Form[str], file: File[UploadedFile]):
    _visible(request, document_id)
    return out(services.send_update(document_id, actor=request.auth, reason=reason, upload=file))


@router.get(
    "/{document_id}/recipients",
    response=list[DocumentsRecipientOut],
    summary="Nơi nhận văn bản đã phát hành: trạng thái bên nhận và trả lời đề nghị thu hồi",
)
def recipients(request, document_id: int):
    doc = _visible(request, document_id)
    return [
        {
            "id": r.pk,
            "name": r.name,
            "organ_id": r.organ_id,
            "agency": r.agency.code if r.agency_id else None,
            "state": r.state,
            "state_label": str(r.get_state_display()),
            "through_exchange": r.packet_id is not None,
            "status_code": r.status_code,
            "status_label": str(services.STATUS_LABELS.get(r.status_code, "")),
            "recall_status": r.recall_status,
            "recall_label": r.recall_label,
            "recall_answered_at": r.recall_answered_at,
        }
        for r in doc.recipients.select_related("agency")
    ]


@router.get("/{document_id}/copies", response=list[DocumentsCopyOut], summary="Bản sao điện tử của văn bản")
def copies(request, document_id: int):
    doc = _visible(request, document_id)
    return [copy_out(c) for c in doc.copies.all()]


@router.post(
    "/{document_id}/copies",
    response={201: DocumentsCopyOut},
    auth=write_auth,
    summary="Sao y, sao lục, trích sao (bản sao điện tử có ký số)",
)
def make_copy(request, document_id: int, payload: DocumentsCopyIn):
    _visible(request, document_id)
    copy = services.make_copy(
        document_id,
        actor=request.auth,
        form=payload.form,
        pages=payload.pages,
        source_copy=payload.source_copy,
        recipients_text=payload.recipients_text,
    )
    return Status(201, copy_out(copy))


@router.get("/{document_id}/ocr", response=DocumentsOcrOut, summary="Nội dung nhận dạng từ bản quét (OCR)")
def ocr(request, document_id: int):
    return ocr_out(_visible(request, document_id))


@router.put(
    "/{document_id}/ocr",
    response=DocumentsOcrOut,
    auth=write_auth,
    summary="Văn thư sửa nội dung nhận dạng (OCR) sau khi đối chiếu",
)
def correct_ocr(request, document_id: int, payload: DocumentsTextIn):
    _visible(request, document_id)
    return ocr_out(services.correct_ocr(document_id, actor=request.auth, text=payload.text))


@router.post(
    "/{document_id}/ocr/retry", response=DocumentsOcrOut, auth=write_auth, summary="Nhận dạng lại bản quét"
)
def retry_ocr(request, document_id: int):
    _visible(request, document_id)
    return ocr_out(services.retry_ocr(document_id, actor=request.auth))


@router.post(
    "/{document_id}/public",
    response=DocumentsDocumentOut,
    auth=write_auth,
    summary="Công khai văn bản đã phát hành, hoặc thôi công khai",
)
def publish(request, document_id: int, payload: DocumentsPublicIn):
    _visible(request, document_id)
    return out(services.set_public(document_id, actor=request.auth, public=payload.public))
