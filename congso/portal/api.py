"""Online filing API under /api/v1/portal: everything the filing pages do.

A draft that is not the caller's answers 404. Submitting is idempotent: the draft id guarantees one
dossier, and an ``Idempotency-Key`` header returns the dossier an earlier call with the same key made.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.http import FileResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Header, Router, Schema, Status, UploadedFile

from congso.core.api_auth import read_auth, write_auth
from congso.core.errors import Conflict, NotFound, ServiceError

from . import builder, definitions, services
from .models import Draft

router = Router(tags=["Nộp hồ sơ trực tuyến"], auth=read_auth)


class FormFieldOut(Schema):
    key: str
    label: str
    type: str
    required: bool
    help_text: str
    choices: list[list[str]]
    show_if_field: str
    show_if_value: str
    max_length: int | None
    pattern: str
    prefill: bool = Field(False, description="điền sẵn từ hồ sơ trước của người nộp")


class ComponentOut(Schema):
    name: str
    required: bool
    originals: int | None
    copies: int | None
    help_text: str


class OnlineTermsOut(Schema):
    level: str = Field(description="full (toàn trình) hoặc partial (một phần), Nghị định 42/2022")
    result: str = Field(description="online: kết quả trả trực tuyến; counter: nhận tại bộ phận một cửa")
    in_person: list[str] = Field(description="việc người nộp còn phải làm trực tiếp tại cơ quan")
    result_place: str = Field(description="nơi nhận kết quả khi trả tại bộ phận một cửa")


class FormOut(Schema):
    procedure_code: str
    procedure_name: str
    agency_code: str
    online_level: str
    online_open: bool
    online_terms: OnlineTermsOut | None
    title: str
    intro: str
    source: str
    applicant_fields: list[FormFieldOut]
    fields: list[FormFieldOut]
    components: list[ComponentOut]


class UploadOut(Schema):
    id: int
    component: str
    original_name: str
    kind: str
    size: int
    sha256: str
    reused_document: str | None


class DraftOut(Schema):
    id: uuid.UUID
    procedure_code: str
    procedure_name: str
    agency_code: str
    for_citizen: str | None
    step: str
    data: dict
    uploads: list[UploadOut]
    problems: dict
    created_at: dt.datetime
    updated_at: dt.datetime
    expires_at: dt.datetime
    expired: bool
    dossier_code: str | None


class DraftIn(Schema):
    procedure_code: str
    agency_code: str
    citizen_cccd: str = ""


class DraftPatch(Schema):
    applicant: dict | None = None
    fields: dict | None = None
    step: str | None = None


class DraftSaved(Schema):
    draft: DraftOut
    errors: dict


class ReuseIn(Schema):
    component: str
    document_id: str


class UploadIn(Schema):
    component: str


class SubmitIn(Schema):
    declaration: bool = False


class SubmitOut(Schema):
    dossier_code: str
    status: int
    submitted_at: dt.datetime
    appointment_at: dt.datetime | None
    appointment_is_expected: bool
    receipt_url: str
    draft_id: uuid.UUID
    online_terms: OnlineTermsOut | None


def _fields(spec) -> list[dict]:
    return [
        {
            "key": f.key,
            "label": f.label,
            "type": str(f.type),
            "required": f.required,
            "help_text": f.help_text,
            "choices": [list(c) for c in f.choices],
            "show_if_field": f.show_if_field,
            "show_if_value": f.show_if_value,
            "max_length": f.max_length,
            "pattern": f.pattern,
            "prefill": f.prefill,
        }
        for f in spec.fields
    ]


def _draft_out(draft: Draft) -> dict:
    from django.utils import timezone

    expired = draft.expires_at <= timezone.now()
    uploads = list(draft.uploads.all())
    return {
        "id": draft.pk,
        "procedure_code": draft.procedure_version.procedure.code,
        "procedure_name": draft.procedure_version.procedure.name,
        "agency_code": draft.agency.code,
        "for_citizen": str(draft.citizen) if draft.citizen_id else None,
        "step": draft.step,
        "data": draft.data or {},
        "uploads": [
            {
                "id": u.pk,
                "component": u.component,
                "original_name": u.original_name,
                "kind": u.kind,
                "size": u.size,
                "sha256": u.sha256,
                "reused_document": str(u.document_id) if u.document_id else None,
            }
            for u in uploads
        ],
        "problems": services.check(draft) if not draft.submitted_at else {},
        "created_at": draft.created_at,
        "updated_at": draft.updated_at,
        "expires_at": draft.expires_at,
        "expired": expired,
        "dossier_code": draft.dossier.code if draft.dossier_id else None,
    }


@router.get(
    "/forms", response=FormOut, auth=None, summary="Biểu mẫu nộp trực tuyến của một thủ tục tại một cơ quan"
)
def form(request, procedure: str, agency: str):
    proc = services.find_procedure(procedure)
    ag = services.find_agency(agency)
    offering = None
    try:
        offering = services.online_offering(proc, ag)
        online_open = True
    except ServiceError as exc:
        if isinstance(exc, NotFound):
            raise
        online_open = False
    spec = definitions.spec_for(proc, ag)
    terms = services.online_terms(proc, ag, spec, offering).as_dict() if online_open else None
    return {
        "procedure_code": proc.code,
        "procedure_name": proc.name,
        "agency_code": ag.code,
        "online_level": proc.online_level,
        "online_open": online_open,
        "online_terms": terms,
        "title": spec.title,
        "intro": spec.intro,
        "source": spec.source,
        "applicant_fields": _fields(services.applicant_spec(proc)),
        "fields": _fields(spec),
        "components": [
            {
                "name": c.name,
                "required": c.required,
                "originals": c.originals,
                "copies": c.copies,
                "help_text": c.help_text,
            }
            for c in spec.components
        ],
    }


@router.get("/drafts", response=list[DraftOut], summary="Hồ sơ nháp của tôi")
def list_drafts(request):
    return [_draft_out(d) for d in services.drafts_for(request.auth)[:200]]


@router.post(
    "/drafts", response={201: DraftOut}, auth=write_auth, summary="Lập hồ sơ nháp (điền sẵn thông tin)"
)
def create_draft(request, data: DraftIn):
    draft = services.start_draft(
        request.auth,
        procedure_code=data.procedure_code,
        agency_code=data.agency_code,
        citizen_cccd=data.citizen_cccd,
    )
    return 201, _draft_out(draft)


@router.get("/drafts/{draft_id}", response=DraftOut, url_name="portal_draft", summary="Xem một hồ sơ nháp")
def get_draft(request, draft_id: str):
    return _draft_out(services.get_draft(request.auth, draft_id, editable=False))


@router.patch(
    "/drafts/{draft_id}",
    response=DraftSaved,
    auth=write_auth,
    summary="Lưu thông tin người nộp, tờ khai",
    description="Lưu cả khi thông tin chưa hợp lệ (hồ sơ nháp); `errors` nói điều gì chưa được chấp nhận. "
    "Trang nộp hồ sơ gọi nó để tự động lưu bản nháp khi người dân đang nhập (static/portal/autosave.js).",
)
def update_draft(request, draft_id: str, data: DraftPatch):
    draft, errors = services.update_draft(
        draft_id, request.auth, applicant=data.applicant, fields=data.fields, step=data.step
    )
    return {"draft": _draft_out(draft), "errors": errors}


@router.delete("/drafts/{draft_id}", response={204: None}, auth=write_auth, summary="Xoá hồ sơ nháp")
def delete_draft(request, draft_id: str):
    services.delete_draft(draft_id, request.auth)
    return 204, None


@router.post(
    "/drafts/{draft_id}/uploads",
    response={201: UploadOut},
    auth=write_auth,
    summary="Tải lên tệp của một thành phần",
)
def upload(request, draft_id: str, data: Form[UploadIn], file: File[UploadedFile]):
    staged = services.stage_upload(draft_id, request.auth, component=data.component, file=file)
    return 201, {
        "id": staged.pk,
        "component": staged.component,
        "original_name": staged.original_name,
        "kind": staged.kind,
        "size": staged.size,
        "sha256": staged.sha256,
        "reused_document": None,
    }


@router.delete(
    "/drafts/{draft_id}/uploads/{upload_id}",
    response={204: None},
    auth=write_auth,
    summary="Bỏ tệp của một thành phần",
)
def remove_upload(request, draft_id: str, upload_id: int):
    services.remove_upload(draft_id, request.auth, upload_id)
    return 204, None


class ReusableOut(Schema):
    id: uuid.UUID
    title: str
    source: str
    kind: str
    size: int
    created_at: dt.datetime
    valid_until: dt.date | None
    reuse_count: int


@router.get(
    "/drafts/{draft_id}/documents",
    response=list[ReusableOut],
    summary="Giấy tờ trong kho dữ liệu có thể dùng lại cho hồ sơ nháp",
    description="Giấy tờ của người được nộp hồ sơ cho: của chính mình, hoặc của công dân mà thành viên tổ "
    "công nghệ số cộng đồng nộp thay khi công dân còn đồng ý (mỗi lần xem được ghi nhật ký; 403 khi sự "
    "đồng ý đã bị thu hồi hoặc hết hạn).",
)
def reusable_documents(request, draft_id: str):
    draft = services.get_draft(request.auth, draft_id)
    return [
        {
            "id": d.pk,
            "title": d.title,
            "source": d.source,
            "kind": d.kind,
            "size": d.size,
            "created_at": d.created_at,
            "valid_until": d.valid_until,
            "reuse_count": d.reuse_count,
        }
        for d in services.reusable_documents(draft, request.auth)[:200]
    ]


@router.post(
    "/drafts/{draft_id}/reuse",
    response={201: UploadOut},
    auth=write_auth,
    summary="Dùng giấy tờ trong kho dữ liệu",
)
def reuse(request, draft_id: str, data: ReuseIn):
    staged = services.reuse_document(
        draft_id, request.auth, component=data.component, document_id=data.document_id
    )
    return 201, {
        "id": staged.pk,
        "component": staged.component,
        "original_name": staged.original_name,
        "kind": staged.kind,
        "size": staged.size,
        "sha256": staged.sha256,
        "reused_document": str(staged.document_id),
    }


@router.post("/drafts/{draft_id}/submit", response=SubmitOut, auth=write_auth, summary="Nộp hồ sơ (một lần)")
def submit(
    request, draft_id: str, data: SubmitIn, idempotency_key: str = Header("", alias="Idempotency-Key")
):
    dossier = services.submit_draft(draft_id, request.auth, idempotency_key, declaration=data.declaration)
    return _submitted(dossier)


class OnceIn(Schema):
    procedure_code: str
    agency_code: str
    applicant: str = "{}"
    fields: str = "{}"
    citizen_cccd: str = ""
    declaration: bool = False


def _json_object(text: str, name: str) -> dict:
    import json

    try:
        value = json.loads(text or "{}")
    except ValueError:
        value = None
    if not isinstance(value, dict):
        raise ServiceError(_("Trường “%(name)s” phải là một đối tượng JSON.") % {"name": name}, field=name)
    return value


@router.post(
    "/submissions",
    response={201: SubmitOut, 200: SubmitOut},
    auth=write_auth,
    summary="Nộp hồ sơ trong một yêu cầu (ki-ốt, ứng dụng di động, hệ thống khác)",
    description=(
        "multipart/form-data: procedure_code, agency_code, applicant (JSON), fields (JSON), declaration, "
        "citizen_cccd (nộp thay, cần sự đồng ý), và mỗi tệp dưới tên thành phần `c1`, `c2`, … theo thứ tự "
        "của biểu mẫu (GET /forms). Tiêu đề Idempotency-Key là bắt buộc: gửi lại cùng khoá trả về hồ sơ "
        "đã nộp (200) mà không tạo hồ sơ mới."
    ),
)
def submit_once(request, data: Form[OnceIn], idempotency_key: str = Header("", alias="Idempotency-Key")):
    files = [(name, f) for name in request.FILES for f in request.FILES.getlist(name)]
    dossier, filed_now = services.submit_once(
        request.auth,
        procedure_code=data.procedure_code,
        agency_code=data.agency_code,
        applicant=_json_object(data.applicant, "applicant"),
        fields=_json_object(data.fields, "fields"),
        files=files,
        idempotency_key=idempotency_key,
        citizen_cccd=data.citizen_cccd,
        declaration=data.declaration,
    )
    return (201 if filed_now else 200), _submitted(dossier)


def _terms_dict(dossier) -> dict | None:
    terms = services.terms_of(dossier)
    return terms.as_dict() if terms else None


def _submitted(dossier) -> dict:
    return {
        "dossier_code": dossier.code,
        "status": dossier.status,
        "submitted_at": dossier.submitted_at,
        "appointment_at": services.appointment_for(dossier),
        "appointment_is_expected": dossier.due_at is None,
        "receipt_url": reverse("api:portal_receipt", args=[dossier.code]),
        "draft_id": dossier.portal_draft.pk,
        "online_terms": _terms_dict(dossier),
    }


@router.get("/receipts/{code}", url_name="portal_receipt", summary="Tải giấy tiếp nhận hồ sơ của tôi (PDF)")
def receipt(request, code: str):
    document = services.receipt_for(request.auth, code)
    if document is None:
        raise Conflict(
            _("Giấy tiếp nhận hồ sơ và hẹn trả kết quả có sau khi cơ quan tiếp nhận hồ sơ."),
            code="receipt_not_ready",
        )
    response = FileResponse(document.file.open("rb"), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="giay-tiep-nhan-{code}.pdf"'
    return response


# --- the form builder (agency administrators, system administrators) -----------------------------


class BuilderFieldIO(Schema):
    key: str
    label: str
    type: str = Field(
        "text", description="text, textarea, date, number, select, checkbox, cccd, phone, email"
    )
    required: bool = False
    help_text: str = ""
    choices: list[list[str]] = Field(default_factory=list, description="[[giá trị, nhãn], …] cho kiểu select")
    show_if_field: str = Field("", description="chỉ hiện khi trường có mã này …")
    show_if_value: str = Field("", description="… có giá trị này")
    max_length: int | None = None
    pattern: str = Field("", description="biểu thức chính quy (chỉ cho text, textarea)")
    pattern_message: str = ""
    prefill: bool | None = Field(
        None,
        description="điền sẵn từ hồ sơ trước của người nộp (thông tin ổn định); để trống: tự động theo kiểu "
        "và mã trường (definitions.suggested_prefill)",
    )


class BuilderComponentIO(Schema):
    name: str
    required: bool = True
    originals: int | None = None
    copies: int | None = None
    help_text: str = ""
    kinds: list[str] = Field(default_factory=list, description="pdf, jpeg, png; để trống: nhận cả ba")


class DefinitionContent(Schema):
    title: str = ""
    intro: str = ""
    in_person: list[str] = Field(
        default_factory=list,
        description="thủ tục trực tuyến một phần: việc người nộp còn phải làm trực tiếp, mỗi mục một việc",
    )
    fields: list[BuilderFieldIO] = Field(default_factory=list)
    components: list[BuilderComponentIO] = Field(default_factory=list)


class DefinitionCreate(Schema):
    procedure_code: str
    agency_code: str = Field("", description="mã cơ quan; để trống: biểu mẫu dùng chung (quản trị hệ thống)")
    content: DefinitionContent | None = Field(
        None,
        description="để trống: bắt đầu từ biểu mẫu đang áp dụng (dùng chung hoặc mặc định theo danh mục)",
    )


class DefinitionOut(Schema):
    id: int
    procedure_code: str
    procedure_name: str
    agency_code: str | None
    status: str
    is_active: bool = Field(description="đang áp dụng cho người dân")
    version: int = Field(description="phiên bản đã công bố gần nhất (0: chưa công bố)")
    has_changes: bool = Field(description="có thay đổi chưa công bố")
    published_at: dt.datetime | None
    title: str
    intro: str
    in_person: list[str]
    fields: list[BuilderFieldIO] = Field(description="bản đang sửa")
    components: list[BuilderComponentIO] = Field(description="bản đang sửa")
    published: dict | None = Field(description="nội dung người dân đang dùng (bản đã công bố)")


class CheckIn(Schema):
    answers: dict = Field(default_factory=dict, description="{mã trường: giá trị}")


class CheckOut(Schema):
    valid: bool
    cleaned: dict
    errors: dict


def _content(data: DefinitionContent) -> definitions.FormSpec:
    return definitions.FormSpec(
        title=data.title,
        intro=data.intro,
        in_person=list(data.in_person),
        fields=[
            definitions.FieldSpec(
                key=f.key,
                label=f.label,
                type=f.type,
                required=f.required,
                help_text=f.help_text,
                choices=[(c[0], c[1] if len(c) > 1 else c[0]) for c in f.choices if c],
                show_if_field=f.show_if_field,
                show_if_value=f.show_if_value,
                max_length=f.max_length,
                pattern=f.pattern,
                pattern_message=f.pattern_message,
                prefill=definitions.suggested_prefill(f.key, f.type) if f.prefill is None else f.prefill,
            )
            for f in data.fields
        ],
        components=[
            definitions.ComponentSpec(c.name, c.required, c.originals, c.copies, c.help_text, list(c.kinds))
            for c in data.components
        ],
    )


def _definition_out(definition) -> dict:
    spec = definitions.working_spec(definition)
    return {
        "id": definition.pk,
        "procedure_code": definition.procedure.code,
        "procedure_name": definition.procedure.name,
        "agency_code": definition.agency.code if definition.agency_id else None,
        "status": builder.status_label(definition),
        "is_active": definition.is_active,
        "version": definition.version,
        "has_changes": definition.has_changes,
        "published_at": definition.published_at,
        "title": definition.title,
        "intro": definition.intro,
        "in_person": spec.in_person,
        "fields": [builder.field_as_dict(f) for f in spec.fields],
        "components": [
            {
                "name": c.name,
                "required": c.required,
                "originals": c.originals,
                "copies": c.copies,
                "help_text": c.help_text,
                "kinds": c.kinds,
            }
            for c in spec.components
        ],
        "published": definition.published,
    }


BUILDER = "Biểu mẫu nộp trực tuyến (quản trị cơ quan)"


@router.get(
    "/form-definitions",
    response=list[DefinitionOut],
    tags=[BUILDER],
    summary="Biểu mẫu riêng của một cơ quan (để trống agency: biểu mẫu dùng chung)",
)
def list_definitions(request, agency: str = ""):
    scope = builder.find_agency(agency) if agency else None
    return [_definition_out(d) for d in builder.definitions_of(request.auth, scope)]


@router.post(
    "/form-definitions",
    response={201: DefinitionOut},
    auth=write_auth,
    tags=[BUILDER],
    summary="Tạo biểu mẫu (bản nháp) cho một thủ tục tại một cơ quan",
)
def create_definition(request, data: DefinitionCreate):
    definition = builder.create_definition(
        request.auth,
        procedure_code=data.procedure_code,
        agency_code=data.agency_code,
        content=_content(data.content) if data.content is not None else None,
    )
    return Status(201, _definition_out(builder.get(request.auth, definition.pk)))


@router.get(
    "/form-definitions/{definition_id}",
    response=DefinitionOut,
    tags=[BUILDER],
    url_name="portal_form_definition",
    summary="Xem một biểu mẫu (bản đang sửa và bản đã công bố)",
)
def get_definition(request, definition_id: int):
    return _definition_out(builder.get(request.auth, definition_id))


@router.put(
    "/form-definitions/{definition_id}",
    response=DefinitionOut,
    auth=write_auth,
    tags=[BUILDER],
    summary="Sửa toàn bộ biểu mẫu: tên, hướng dẫn, các trường và thành phần theo thứ tự",
    description="Biểu mẫu không hợp lệ (trùng mã trường, điều kiện theo trường không có, biểu thức sai…) bị "
    "từ chối với mã 400 và không có gì được ghi. Thay đổi chỉ áp dụng cho người dân sau khi công bố.",
)
def replace_definition(request, definition_id: int, data: DefinitionContent):
    builder.replace_definition(request.auth, definition_id, _content(data))
    return _definition_out(builder.get(request.auth, definition_id))


@router.delete(
    "/form-definitions/{definition_id}",
    response={204: None},
    auth=write_auth,
    tags=[BUILDER],
    summary="Xoá biểu mẫu (người dân dùng lại biểu mẫu chung hoặc mặc định)",
)
def delete_definition(request, definition_id: int):
    builder.delete_definition(request.auth, definition_id)
    return Status(204, None)


@router.post(
    "/form-definitions/{definition_id}/publish",
    response=DefinitionOut,
    auth=write_auth,
    tags=[BUILDER],
    summary="Công bố biểu mẫu (một phiên bản mới cho người dân)",
)
def publish_definition(request, definition_id: int):
    builder.publish(request.auth, definition_id)
    return _definition_out(builder.get(request.auth, definition_id))


@router.post(
    "/form-definitions/{definition_id}/unpublish",
    response=DefinitionOut,
    auth=write_auth,
    tags=[BUILDER],
    summary="Ngừng áp dụng biểu mẫu",
)
def unpublish_definition(request, definition_id: int):
    builder.unpublish(request.auth, definition_id)
    return _definition_out(builder.get(request.auth, definition_id))


@router.post(
    "/form-definitions/{definition_id}/check",
    response=CheckOut,
    tags=[BUILDER],
    summary="Xem trước: kiểm tra thử các câu trả lời theo bản đang sửa (không lưu gì)",
)
def check_definition(request, definition_id: int, data: CheckIn):
    _spec, cleaned, errors = builder.preview(request.auth, definition_id, data.answers)
    return {"valid": not errors, "cleaned": cleaned, "errors": errors}
