"""Dossier API under /api/v1/dossiers: everything an official does in the UI.

Counters, kiosks and provincial systems call the same service functions as the pages.
A dossier the caller may not see answers 404, never 403, so codes cannot be probed.
"""

import datetime as dt
from decimal import Decimal

from django.http import FileResponse, Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema, UploadedFile
from ninja.pagination import paginate
from pydantic import create_model

from congso.accounts.hooks import personal_data_served
from congso.catalog.selectors import procedure_by_code
from congso.core import audit
from congso.core.api_auth import read_auth, write_auth
from congso.core.errors import NotFound, ServiceError
from congso.core.openapi import ISSUES_ON_READ
from congso.core.pagination import NumberedPages
from congso.core.permissions import can, require
from congso.directory.models import Agency
from congso.directory.selectors import agency_by_code

from . import actions, clock, logbook, services, slips, stats
from .declared import declared_sections
from .inbox import Box, agency_scope, inbox
from .models import CLOCK_RUNNING_STATUSES, Channel, Dossier
from .permissions import PERSONAL_DATA_ROLES
from .processes import replace_steps, template_for
from .selectors import MASKED_APPLICANT, masked, sees_personal_data
from .selectors import visible_dossier as visible_to
from .workflow import DOSSIER

router = Router(tags=["Hồ sơ một cửa"], auth=read_auth)


class DossierRow(Schema):
    code: str
    procedure_code: str
    procedure_name: str
    applicant_name: str
    status: int
    status_label: str
    channel: int
    current_agency: str
    current_step: str | None
    submitted_at: dt.datetime
    due_at: dt.datetime | None
    deadline: str | None
    version: int


class TimelineOut(Schema):
    at: dt.datetime
    action: str
    action_label: str
    actor_name: str
    from_status: int | None
    to_status: int
    agency: str | None
    note: str
    data: dict


class DossierAttachmentOut(Schema):
    id: int
    component: str
    purpose: str
    original_name: str
    kind: str
    size: int
    sha256: str
    pages: int | None


class StepOut(Schema):
    """One step the dossier went through or stands at, with its own clock."""

    name: str
    kind: str
    role: str
    agency: str
    assignee: str | None
    started_at: dt.datetime
    due_at: dt.datetime | None
    finished_at: dt.datetime | None
    deadline: str | None = Field(
        description="on_time, due_soon, overdue (finished: whether it was late); null: no due moment or clock stopped"
    )


class ActionOut(Schema):
    name: str
    label: str
    requires: list[str]


class DeclaredRowOut(Schema):
    """One answer of what the applicant declared, as the form labelled it."""

    key: str
    label: str
    type: str
    value: str = Field(description="for reading: dates dd/mm/yyyy, choices by their label, Có/Không")
    raw: str | bool | int | float | None = Field(description="as stored: ISO dates, choice values")


class DeclaredSectionOut(Schema):
    title: str
    rows: list[DeclaredRowOut]


class SlipOut(Schema):
    key: str
    title: str
    url: str


class CoApplicantOut(Schema):
    label: str
    name: str
    id_number: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""


class DossierOut(DossierRow):
    receiving_agency: str
    applicant_id_number: str
    applicant_phone: str
    applicant_email: str
    applicant_address: str
    on_behalf_of: str
    co_applicants: list[CoApplicantOut]
    queue_ticket: str
    assisted_by: str | None
    received_at: dt.datetime | None
    legal_due_at: dt.datetime | None
    finished_at: dt.datetime | None
    returned_at: dt.datetime | None
    is_late: bool
    form_data: dict = Field(
        description="what was filed, as stored; the declared answers (fields) only for those who handle the dossier"
    )
    declared: list[DeclaredSectionOut] | None = Field(
        description="what the applicant declared, in the form's layout (ADR 0144); null: not for this caller"
    )
    slips: list[SlipOut] = Field(description="the one-stop slips this caller may print now (PDF)")
    timeline: list[TimelineOut]
    steps: list[StepOut]
    attachments: list[DossierAttachmentOut]
    actions: list[ActionOut]


def row(d: Dossier, now=None) -> dict:
    flag = clock.flag(d, now) if d.status in CLOCK_RUNNING_STATUSES else None
    return {
        "code": d.code,
        "procedure_code": d.procedure_version.procedure.code,
        "procedure_name": d.procedure_version.procedure.name,
        "applicant_name": d.applicant_name,
        "status": d.status,
        "status_label": d.get_status_display(),
        "channel": d.channel,
        "current_agency": d.current_agency.code,
        "current_step": d.current_step.name if d.current_step_id else None,
        "submitted_at": d.submitted_at,
        "due_at": d.due_at,
        "deadline": str(flag.value) if flag else None,
        "version": d.version,
    }


def available_actions(user, d: Dossier) -> list[dict]:
    """What ``user`` may do now: the same list the dossier page offers (``actions.available``, the
    predicate the services check), an applicant's own actions included."""
    roles = services.roles_for(user, d)
    return [
        {
            "name": a.name,
            "label": str(a.label),
            "requires": sorted(DOSSIER.get(a.name).requires) if a.name in DOSSIER.transitions else [],
        }
        for a in actions.available(user, d, roles, page=False)
    ]


def _declared(d: Dossier, allowed: bool) -> list[dict] | None:
    if not allowed:
        return None
    return [
        {
            "title": section.title,
            "rows": [
                {"key": r.key, "label": r.label, "type": r.type, "value": r.value, "raw": r.raw}
                for r in section.rows
            ],
        }
        for section in declared_sections(d)
    ]


def _slips(user, d: Dossier) -> list[dict]:
    return [
        {"key": key, "title": str(title), "url": reverse("api:dossier_slip", args=[d.code, key])}
        for key, title in slips.available(d)
        if can(user, "dossiers.print_slip", (d, key))
    ]


def detail(user, d: Dossier) -> dict:
    if not sees_personal_data(user, d):
        return _masked_detail(d)
    sees_declared = can(user, "dossiers.view_declared", d)
    form_data = d.form_data or {}
    if not sees_declared:  # personal data: the answers stay with those who handle the dossier
        form_data = {k: v for k, v in form_data.items() if k not in ("fields", "date_of_birth")}
    return {
        **row(d),
        "receiving_agency": d.receiving_agency.code,
        "applicant_id_number": d.applicant_id_number,
        "applicant_phone": d.applicant_phone,
        "applicant_email": d.applicant_email,
        "applicant_address": d.applicant_address,
        "on_behalf_of": d.on_behalf_of,
        "co_applicants": d.co_applicants or [],
        "queue_ticket": d.queue_ticket_code,
        "assisted_by": str(d.assisted_by) if d.assisted_by_id else None,
        "received_at": d.received_at,
        "legal_due_at": d.legal_due_at,
        "finished_at": d.finished_at,
        "returned_at": d.returned_at,
        "is_late": d.is_late,
        "form_data": form_data,
        "declared": _declared(d, sees_declared),
        "slips": _slips(user, d),
        "timeline": [
            {
                **{
                    f: getattr(e, f)
                    for f in (
                        "at",
                        "action",
                        "action_label",
                        "actor_name",
                        "from_status",
                        "to_status",
                        "note",
                        "data",
                    )
                },
                "agency": e.agency.code if e.agency_id else None,
            }
            for e in d.timeline.select_related("agency")
        ],
        "steps": [
            {
                "name": step.name,
                "kind": step.kind,
                "role": step.role,
                "agency": step.agency.code,
                "assignee": str(step.assignee) if step.assignee else None,
                "started_at": step.started_at,
                "due_at": step.due_at,
                "finished_at": step.finished_at,
                "deadline": str(step.flag.value) if step.flag else None,
            }
            for step in clock.step_deadlines(d)
        ],
        "attachments": list(
            d.attachments.values(
                "id", "component", "purpose", "original_name", "kind", "size", "sha256", "pages"
            )
        ),
        "actions": available_actions(user, d),
    }


def _masked_detail(d: Dossier) -> dict:
    """The dossier as the operations centre sees it: codes, states, steps and dates; the applicant's
    initials only, no declared data, no files, no timeline notes, no actions (selectors.masked)."""
    steps = [
        {
            "name": step.name,
            "kind": step.kind,
            "role": step.role,
            "agency": step.agency.code,
            "assignee": None,
            "started_at": step.started_at,
            "due_at": step.due_at,
            "finished_at": step.finished_at,
            "deadline": str(step.flag.value) if step.flag else None,
        }
        for step in clock.step_deadlines(d)
    ]
    timeline = [
        {
            "at": e.at,
            "action": e.action,
            "action_label": e.action_label,
            "actor_name": e.actor_name,
            "from_status": e.from_status,
            "to_status": e.to_status,
            "agency": e.agency.code if e.agency_id else None,
            "note": "",
            "data": {},
        }
        for e in d.timeline.select_related("agency")
    ]
    d = masked(d)
    return {
        **row(d),
        "receiving_agency": d.receiving_agency.code,
        **MASKED_APPLICANT,
        "assisted_by": None,
        "received_at": d.received_at,
        "legal_due_at": d.legal_due_at,
        "finished_at": d.finished_at,
        "returned_at": d.returned_at,
        "is_late": d.is_late,
        "co_applicants": [],
        "queue_ticket": d.queue_ticket_code,
        "form_data": {},
        "declared": None,
        "slips": [],
        "timeline": timeline,
        "steps": steps,
        "attachments": [],
        "actions": [],
    }


def uploads_from(components: list[str] | None, files) -> list:
    """Pair uploaded files with the dossier component each one is for (the file name when not given)."""
    files = files or []
    names = components or [f.name for f in files]
    if len(names) != len(files):
        raise ServiceError("Số tên thành phần hồ sơ phải bằng số tệp gửi lên.", field="components")
    return [services.Upload(name, f, f.name) for name, f in zip(names, files, strict=True)]


def visible_dossier(request, code: str) -> Dossier:
    d = visible_to(request.user, code)
    if d is None:
        raise NotFound("Không tìm thấy hồ sơ.")
    data = {"via": "api"} if sees_personal_data(request.user, d) else {"via": "api", "masked": True}
    audit.record("dossier.read", obj=d, actor=request.user, data=data)
    return d


INBOX_PAGE_SIZE = 25  # rows per page unless the client asks for page_size (at most INBOX_MAX_PAGE_SIZE)
INBOX_MAX_PAGE_SIZE = 100


class InboxPagination(NumberedPages):
    """Pages of an inbox cut in the database (LIMIT/OFFSET on the indexed inbox query) with the total
    count; only the page's dossiers are loaded and turned into rows."""

    def _get_page_size(self, requested_page_size):
        # Read at each call, so the limits are module settings (tests lower them).
        if requested_page_size is None:
            return INBOX_PAGE_SIZE
        return min(requested_page_size, INBOX_MAX_PAGE_SIZE)

    def paginate_queryset(self, queryset, pagination, request, **params):
        page = super().paginate_queryset(queryset, pagination, request, **params)
        now = timezone.now()
        items = list(page[self.items_attribute])
        # The operations centre lists dossiers with the applicant's name masked: only the agencies where
        # the caller handles dossiers show it in full.
        handled = set(
            Dossier.objects.filter(pk__in=[d.pk for d in items])
            .filter(agency_scope(request.user, list(PERSONAL_DATA_ROLES)))
            .values_list("pk", flat=True)
        )
        page[self.items_attribute] = [row(d if d.pk in handled else masked(d), now) for d in items]
        return page


@router.get("", response=list[DossierRow], summary="Hộp hồ sơ theo vai trò")
@paginate(InboxPagination)
def list_dossiers(
    request,
    box: Box = Box.ALL,
    q: str = "",
    procedure: str = "",
    channel: int | None = None,
    mine: bool = False,
):
    return inbox(request.user, box, q=q, procedure=procedure, channel=channel, mine=mine)


@router.get("/{code}", response=DossierOut, summary="Chi tiết hồ sơ, diễn biến và các thao tác được phép")
def get_dossier(request, code: str):
    dossier = visible_dossier(request, code)
    if sees_personal_data(request.user, dossier):
        personal_data_served(
            request,
            "dossier",
            subject=dossier.applicant,
            identifier=dossier.applicant_id_number,
            object_type="dossiers.dossier",
            object_id=dossier.code,
        )
    return detail(request.user, dossier)


@router.get(
    "/{code}/slips/{key}",
    url_name="dossier_slip",
    summary="In phiếu một cửa của hồ sơ (PDF): giấy tiếp nhận và hẹn trả, phiếu kiểm soát…",
    openapi_extra=ISSUES_ON_READ,
)
def get_slip(request, code: str, key: str):
    """The slip ``key`` (receipt, control, submission, supplement, refusal, apology, stop), issued with
    the receiving agency's seal the first time. 403 for who may not print it (``dossiers.print_slip``),
    409 when the dossier has no such slip yet."""
    d = visible_dossier(request, code)
    if key not in slips.SLIPS:
        raise NotFound(_("Không có loại phiếu này."))
    document = slips.get_or_issue(d, key, request.user)
    response = FileResponse(document.file.open("rb"), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{key}-{d.code}.pdf"'
    return response


class ReceiveIn(Schema):
    agency: str
    procedure: str
    channel: Channel = Channel.IN_PERSON
    applicant_name: str
    applicant_id_number: str = ""
    applicant_phone: str = ""
    applicant_email: str = ""
    applicant_address: str = ""
    on_behalf_of: str = ""
    # The second applicant of a procedure filed by two (the other spouse of a marriage registration).
    co_applicant_name: str = ""
    co_applicant_id_number: str = ""
    co_applicant_phone: str = ""
    co_applicant_email: str = ""
    co_applicant_address: str = ""
    ticket: int | None = Field(None, description="Phiếu số thứ tự đã gọi tại quầy (mã phiếu).")
    accept: bool = True
    note: str = ""
    components: list[str] = []


@router.post(
    "", response={201: DossierOut}, summary="Tiếp nhận hồ sơ tại quầy hoặc qua bưu chính", auth=write_auth
)
def receive(request, data: Form[ReceiveIn], files: File[list[UploadedFile]] = None):
    agency = agency_by_code(data.agency)
    if agency is None:
        raise ServiceError("Không tìm thấy cơ quan tiếp nhận.", field="agency")
    require(request.user, "dossiers.receive", agency)
    procedure = procedure_by_code(data.procedure, active_only=False)
    if procedure is None:
        raise ServiceError("Không tìm thấy thủ tục hành chính.", field="procedure")
    uploads = uploads_from(data.components, files)
    d = services.receive(
        actor=request.user,
        agency=agency,
        procedure_version=procedure.current_version,
        channel=data.channel,
        applicant=services.Applicant(
            name=data.applicant_name,
            id_number=data.applicant_id_number,
            phone=data.applicant_phone,
            email=data.applicant_email,
            address=data.applicant_address,
            on_behalf_of=data.on_behalf_of,
        ),
        co_applicants=[
            services.Applicant(
                name=data.co_applicant_name,
                id_number=data.co_applicant_id_number,
                phone=data.co_applicant_phone,
                email=data.co_applicant_email,
                address=data.co_applicant_address,
            )
        ],
        queue_ticket=data.ticket,
        uploads=uploads,
        accept_now=data.accept,
        note=data.note,
    )
    return 201, detail(request.user, Dossier.objects.get(pk=d.pk))


def _api_field(p: actions.Param):
    """The JSON request field of an action parameter: its type and default."""
    kinds = {
        actions.TEXT: (str, ""),
        actions.LIST: (list[str], []),
        actions.AMOUNT: (Decimal | None, None),
        actions.MOMENT: (dt.datetime | None, None),
        actions.STEP: (int | None, None),
        actions.ATTACHMENT: (int | None, None),
        actions.OFFICIAL: (str | None, None),
        actions.AGENCY: (str | None, None),
        actions.CHOICE: (str, p.default),
    }
    annotation, default = kinds[p.kind]
    return annotation, Field(default, description=str(p.help)) if p.help else default


VERSION_HELP = (
    "Bắt buộc: phiên bản của hồ sơ (trường version) mà người gọi đã xem; khác phiên bản hiện tại thì 409."
)

# The body of POST /actions/<name>, built from the action table (actions.API_PARAMS).
DossierActionIn = create_model(
    "DossierActionIn",
    __base__=Schema,
    # required: checked by actions.resolve, so a missing one gets its Vietnamese 400 (version_required)
    expected_version=(int | None, Field(None, description=VERSION_HELP)),
    **{name: _api_field(p) for name, p in actions.API_PARAMS.items()},
)


def _act(request, d: Dossier, name: str, raw: dict) -> dict:
    action = actions.get(name)
    actions.perform(action, d.pk, request.user, actions.resolve(action, raw, via="api"))
    return detail(request.user, Dossier.objects.get(pk=d.pk))


@router.post(
    "/{code}/actions/{action}",
    response=DossierOut,
    summary="Thực hiện một thao tác trên hồ sơ",
    auth=write_auth,
)
def act(request, code: str, action: str, data: DossierActionIn):
    d = visible_dossier(request, code)
    declared = actions.get(action)
    if declared is None or declared.api != "actions":
        raise ServiceError(_("Thao tác “%(name)s” không tồn tại.") % {"name": action}, code="unknown_action")
    return _act(request, d, action, data.dict())


@router.post("/{code}/supplement", response=DossierOut, summary="Nộp hồ sơ bổ sung", auth=write_auth)
def supplement(
    request,
    code: str,
    components: Form[list[str]] = None,
    note: Form[str] = "",
    expected_version: Form[int | None] = None,
    files: File[list[UploadedFile]] = None,
):
    d = visible_dossier(request, code)
    uploads = uploads_from(components, files)
    raw = {"uploads": uploads, "note": note, "expected_version": expected_version}
    return _act(request, d, "submit_supplement", raw)


@router.post("/{code}/attachments", response=DossierOut, summary="Đính kèm văn bản xử lý", auth=write_auth)
def attach(
    request,
    code: str,
    components: Form[list[str]] = None,
    note: Form[str] = "",
    expected_version: Form[int | None] = None,
    files: File[list[UploadedFile]] = None,
):
    d = visible_dossier(request, code)
    uploads = uploads_from(components, files)
    return _act(
        request, d, "attach", {"uploads": uploads, "note": note, "expected_version": expected_version}
    )


@router.post(
    "/{code}/result", response=DossierOut, summary="Văn thư phát hành kết quả giải quyết", auth=write_auth
)
def issue(
    request,
    code: str,
    number: Form[str],
    title: Form[str],
    file: File[UploadedFile] = None,
    expected_version: Form[int | None] = None,
):
    """Without ``file``: the draft result the leader signed on approval is issued."""
    d = visible_dossier(request, code)
    raw = {"number": number, "title": title, "file": file, "expected_version": expected_version}
    return _act(request, d, "issue_result", raw)


class DossierStatsQuery(Schema):
    agency: str
    start: dt.date
    end: dt.date
    group_by: str = "agency"


@router.get(
    "/reports/stats", summary="Thống kê hồ sơ theo cơ quan, thủ tục, lĩnh vực, hình thức nộp hoặc theo kỳ"
)
def statistics(request, query: Query[DossierStatsQuery]):
    agency = _agency_or_404(query.agency)
    require(request.user, "dossiers.report", agency)
    if query.group_by not in (*stats.GROUPS, *stats.PERIODS):
        raise ServiceError(
            "Chỉ thống kê theo agency, procedure, field, channel hoặc theo kỳ: day, month, quarter, year.",
            field="group_by",
        )
    start, end = _period(query.start, query.end)
    if (
        query.group_by in stats.PERIODS
        and len(stats.period_starts(start, end, query.group_by)) > stats.MAX_PERIODS
    ):
        raise ServiceError(
            f"Khoảng thời gian quá dài để chia theo {query.group_by} (tối đa {stats.MAX_PERIODS} kỳ).",
            field="group_by",
        )
    qs = stats.reported_dossiers(agency)
    return {
        "rows": [
            {k: (str(v) if isinstance(v, Decimal) else v) for k, v in r.items()}
            for r in stats.counts(qs, start=start, end=end, group_by=query.group_by)
        ]
    }


def _agency_or_404(code: str) -> Agency:
    agency = agency_by_code(code)
    if agency is None:
        raise Http404
    return agency


def _period(start: dt.date, end: dt.date):
    """[start 00:00, the day after end 00:00) in Vietnam time; dates outside plausible years are refused
    (the day after 9999-12-31 does not exist)."""
    for name, day in (("start", start), ("end", end)):
        if not services.EARLIEST_YEAR <= day.year <= services.LATEST_YEAR:
            raise ServiceError(
                f"Ngày phải trong khoảng năm {services.EARLIEST_YEAR}–{services.LATEST_YEAR}.",
                field=name,
            )
    if end < start:
        raise ServiceError("Ngày kết thúc phải sau ngày bắt đầu.", field="end")
    tz = timezone.get_current_timezone()
    return (
        dt.datetime.combine(start, dt.time.min, tzinfo=tz),
        dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz),
    )


@router.get("/reports/logbook.xlsx", summary="Sổ theo dõi hồ sơ (Excel)")
def logbook_xlsx(request, agency: str, start: dt.date, end: dt.date):
    ag = _agency_or_404(agency)
    require(request.user, "dossiers.report", ag)
    s, e = _period(start, end)
    response = HttpResponse(
        logbook.to_excel(ag, s, e),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="so-theo-doi-ho-so-{ag.code}-{start}-{end}.xlsx"'
    return response


class StepIn(Schema):
    name: str
    kind: str
    role: str
    agency: str | None = None
    share_percent: Decimal = Decimal(0)
    next: list[int] = []
    signs: bool = Field(False, description="a leader's step: approval signs the draft result")


class ProcessStepOut(StepIn):
    """A step as the API answers it (its own name: the input's schema differs, e.g. for decimals)."""


class ProcessOut(Schema):
    agency: str
    procedure: str
    name: str
    version: int
    steps: list[ProcessStepOut]


def _process_out(template) -> dict:
    steps = list(template.steps.filter(retired=False).order_by("position").prefetch_related("next_steps"))
    return {
        "agency": template.agency.code,
        "procedure": template.procedure.code,
        "name": template.name,
        "version": template.version,
        "steps": [
            {
                "name": s.name,
                "kind": s.kind,
                "role": s.role,
                "agency": s.agency.code if s.agency_id else None,
                "share_percent": s.share_percent,
                "next": [n.position for n in s.next_steps.all() if not n.retired],
                "signs": s.signs,
            }
            for s in steps
        ],
    }


def _template(request, agency: str, procedure: str):
    ag = _agency_or_404(agency)
    require(request.user, "dossiers.manage_process", ag)
    found = procedure_by_code(procedure, active_only=False, with_version=False)
    if found is None:
        raise Http404
    return template_for(ag, found)


@router.get(
    "/processes/{agency}/{procedure}", response=ProcessOut, summary="Quy trình xử lý của cơ quan cho thủ tục"
)
def get_process(request, agency: str, procedure: str):
    return _process_out(_template(request, agency, procedure))


@router.put(
    "/processes/{agency}/{procedure}",
    response=ProcessOut,
    summary="Sửa quy trình xử lý (quản trị cơ quan)",
    auth=write_auth,
)
def put_process(request, agency: str, procedure: str, steps: list[StepIn]):
    template = replace_steps(request.user, _template(request, agency, procedure), [s.dict() for s in steps])
    return _process_out(template)


class BulkAssignIn(Schema):
    codes: list[str]
    assignee: str  # the official's username


@router.post(
    "/bulk/assign",
    response=list[DossierRow],
    summary="Phân công nhiều hồ sơ cho một cán bộ (một giao dịch)",
    auth=write_auth,
)
def bulk_assign(request, data: BulkAssignIn):
    """One `assign` per dossier in one transaction: if one is refused, none is assigned."""
    codes = list(dict.fromkeys(data.codes))[: services.BULK_LIMIT + 1]
    ids = list(Dossier.objects.filter(code__in=codes).values_list("pk", flat=True))
    if len(ids) != len(codes):
        raise NotFound("Không tìm thấy hồ sơ.")
    done = services.assign_many(ids, actor=request.user, assignee=actions.official(data.assignee))
    now = timezone.now()
    return [row(Dossier.objects.get(pk=d.pk), now) for d in done]
