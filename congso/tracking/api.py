"""Citizen tracking API, mounted at /api/v1/dossiers before the back-office router (so "/lookup" and
"/mine" are never read as a dossier code).

- ``GET /lookup?code=…&check=…`` — public, rate-limited (429), status and dates only;
- ``GET /lookup/{code}/{token}`` — the same from the receipt's signed QR link;
- ``GET /mine`` — the caller's dossiers (applicant, or helper who filed them);
- ``GET /mine/{code}`` — one of them as the citizen sees it (timeline, clock, next step, actions);
- ``POST /mine/{code}/supplement`` — answer a supplement request (files and/or personal data store papers);
- ``POST /mine/{code}/withdraw`` — withdraw a pending dossier;
- ``GET /mine/{code}/result`` and ``GET /mine/{code}/receipt`` — download the result and the receipt.

Another person's dossier answers 404, exactly like a code that does not exist.
"""

import datetime as dt

from django.http import FileResponse, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Router, Schema, UploadedFile
from ninja.pagination import paginate

from congso.core.api_auth import read_auth, write_auth
from congso.core.errors import ServiceError
from congso.core.middleware import client_ip
from congso.core.openapi import RATE_LIMITED
from congso.core.pagination import NumberedPages
from congso.core.uploads import Upload

from . import services

router = Router(tags=["Theo dõi, tra cứu hồ sơ"])


class PublicOut(Schema):
    code: str
    procedure_code: str
    procedure_name: str
    status: int
    status_label: str
    receiving_agency: str
    current_agency: str
    submitted_at: dt.datetime
    received_at: dt.datetime | None
    due_at: dt.datetime | None
    finished_at: dt.datetime | None
    returned_at: dt.datetime | None


class MineRow(Schema):
    code: str
    procedure_code: str
    procedure_name: str
    status: int
    status_label: str
    submitted_at: dt.datetime
    due_at: dt.datetime | None
    deadline: str | None
    assisted: bool
    version: int


class TimelineItemOut(Schema):
    at: dt.datetime
    action: str
    label: str
    status: int
    status_label: str
    agency: str
    note: str
    by_applicant: bool
    missing: list[str]


class TrackedAttachmentOut(Schema):
    component: str
    purpose: str
    original_name: str
    kind: str
    size: int


class FeeOut(Schema):
    amount: int
    currency: str
    description: str


class ResultOut(Schema):
    number: str
    title: str
    issued_at: dt.datetime
    download: str | None = Field(description="trống khi kết quả được trả tại bộ phận một cửa")


class CitizenDossierOut(MineRow):
    receiving_agency: str
    current_agency: str
    received_at: dt.datetime | None
    finished_at: dt.datetime | None
    returned_at: dt.datetime | None
    next_step: str
    helper: str
    supplement_reason: str
    missing: list[str]
    fee: FeeOut | None
    result: ResultOut | None
    online_terms: dict | None = Field(
        None,
        description="hồ sơ nộp trực tuyến: level (full/partial), result (online/counter), in_person (việc còn "
        "phải làm trực tiếp), result_place",
    )
    result_at_counter: bool = Field(
        False, description="kết quả chờ nhận tại bộ phận một cửa, không tải về được"
    )
    actions: list[str]
    timeline: list[TimelineItemOut]
    attachments: list[TrackedAttachmentOut]


def _row(d) -> dict:
    flag = services.flag_for(d)
    return {
        "code": d.code,
        "procedure_code": d.procedure_version.procedure.code,
        "procedure_name": d.procedure_version.procedure.name,
        "status": d.status,
        "status_label": str(d.get_status_display()),
        "submitted_at": d.submitted_at,
        "due_at": d.due_at,
        "deadline": str(flag.value) if flag else None,
        "assisted": bool(d.assisted_by_id),
        "version": d.version,
    }


def _detail(request, d) -> dict:
    v = services.citizen_view(request.user, d)
    return {
        **_row(d),
        "receiving_agency": d.receiving_agency.name,
        "current_agency": d.current_agency.name,
        "received_at": d.received_at,
        "finished_at": d.finished_at,
        "returned_at": d.returned_at,
        "next_step": v.next_step,
        "helper": v.helper_label,
        "supplement_reason": v.supplement_reason,
        "missing": v.missing,
        "fee": (
            {"amount": int(v.fee.amount), "currency": v.fee.currency, "description": v.fee.description}
            if v.fee
            else None
        ),
        "result": (
            {
                "number": v.result.number,
                "title": v.result.title,
                "issued_at": v.result.issued_at,
                "download": f"/api/v1/dossiers/mine/{d.code}/result",
            }
            if v.result and not v.result_at_counter
            else (
                {
                    "number": v.result.number,
                    "title": v.result.title,
                    "issued_at": v.result.issued_at,
                    "download": None,
                }
                if v.result
                else None
            )
        ),
        "online_terms": v.online,
        "result_at_counter": v.result_at_counter,
        "actions": v.actions,
        "timeline": [item.__dict__ for item in v.timeline],
        "attachments": [
            {
                "component": a.component,
                "purpose": a.purpose,
                "original_name": a.original_name,
                "kind": a.kind,
                "size": a.size,
            }
            for a in v.attachments
        ],
    }


# The two public lookups answer through one function each, called both by the routes below (which
# document them in the OpenAPI schema) and by ``middleware.PublicLookupMiddleware``, the lean path that
# serves anonymous requests without the session, authentication and CSRF middleware (ADR 0077).


def _api():
    from congso.api import api  # local import: the NinjaAPI this router is mounted on imports this module

    return api


def lookup_response(request, code: str, check: str) -> HttpResponse:
    """The public lookup's whole HTTP answer: the ``PublicOut`` JSON, or the API's usual error body
    (400/404/429, rendered by the same exception handlers as every other endpoint)."""
    try:
        data = services.lookup(code, check, ip=client_ip(request)).as_dict()
    except Exception as exc:  # noqa: BLE001 — the API's handlers map it (unexpected ones to a 500)
        return _api().on_exception(request, exc)
    return _api().create_response(request, data, status=200)


def lookup_signed_response(request, code: str, token: str) -> HttpResponse:
    """The same from the receipt's signed QR link."""
    try:
        data = services.lookup_signed(code, token, ip=client_ip(request)).as_dict()
    except Exception as exc:  # noqa: BLE001 — see lookup_response
        return _api().on_exception(request, exc)
    return _api().create_response(request, data, status=200)


@router.get(
    "/lookup",
    response=PublicOut,
    auth=None,
    url_name="tracking_public_lookup",
    openapi_extra=RATE_LIMITED,
    summary="Tra cứu công khai: mã hồ sơ và 4 số cuối điện thoại hoặc CCCD/mã số thuế",
)
def lookup(request, code: str = "", check: str = ""):
    return lookup_response(request, code, check)


@router.get(
    "/lookup/{code}/{token}",
    response=PublicOut,
    auth=None,
    url_name="tracking_public_lookup_signed",
    openapi_extra=RATE_LIMITED,
    summary="Tra cứu công khai từ mã QR trên giấy hẹn",
)
def lookup_signed(request, code: str, token: str):
    return lookup_signed_response(request, code, token)


@router.get("/mine", response=list[MineRow], auth=read_auth, summary="Hồ sơ của tôi")
@paginate(NumberedPages, page_size=services.PAGE_SIZE)
def mine(request, status: int | None = None):
    return [_row(d) for d in services.citizen_dossiers(request.user, services.parse_status(status))]


@router.get("/mine/{code}", response=CitizenDossierOut, auth=read_auth, summary="Chi tiết hồ sơ của tôi")
def mine_detail(request, code: str):
    d = services.get_for_citizen(request.user, code)
    services.record_read(request.user, d, "api")
    return _detail(request, d)


# Required, but checked by the service (``dossiers.actions.version``) so that a missing one gets the
# same Vietnamese 400 (``version_required``) as the back office's actions, not a framework error.
VERSION_HELP = (
    "Bắt buộc: phiên bản của hồ sơ (trường version) mà người gọi đã xem; thiếu thì 400 "
    "(version_required), khác phiên bản hiện tại thì 409."
)


class DossierWithdrawIn(Schema):
    reason: str
    expected_version: int | None = Field(None, description=VERSION_HELP)


@router.post(
    "/mine/{code}/withdraw", response=CitizenDossierOut, auth=write_auth, summary="Rút hồ sơ đang giải quyết"
)
def withdraw(request, code: str, data: DossierWithdrawIn):
    d = services.withdraw(request.user, code, reason=data.reason, expected_version=data.expected_version)
    return _detail(request, services.get_for_citizen(request.user, d.code))


@router.post(
    "/mine/{code}/supplement",
    response=CitizenDossierOut,
    auth=write_auth,
    summary="Nộp hồ sơ bổ sung (tệp, hoặc giấy tờ trong kho dữ liệu cá nhân)",
)
def supplement(
    request,
    code: str,
    components: Form[list[str]] = None,
    reuse: Form[list[str]] = None,
    note: Form[str] = "",
    expected_version: Form[int | None] = None,
    files: File[list[UploadedFile]] = None,
):
    """``components``: the component name of each file, in order. ``reuse``: ``<document id>|<component>``
    for each paper taken from the personal data store. ``expected_version`` is required: the dossier's
    ``version`` the caller saw (missing → 400 ``version_required``, stale → 409)."""
    files = files or []
    names = components or [f.name for f in files]
    if len(names) != len(files):
        raise ServiceError(_("Số tên thành phần hồ sơ phải bằng số tệp gửi lên."), field="components")
    pairs = []
    for item in reuse or []:
        document_id, sep, component = item.partition("|")
        if not sep or not component.strip():
            raise ServiceError(
                _("Mỗi giấy tờ dùng lại cần dạng <mã giấy tờ>|<tên thành phần>."), field="reuse"
            )
        pairs.append((document_id.strip(), component.strip()))
    d = services.supplement(
        request.user,
        code,
        uploads=[Upload(name, f, f.name) for name, f in zip(names, files, strict=True)],
        reuse=pairs,
        note=note,
        expected_version=expected_version,
    )
    return _detail(request, services.get_for_citizen(request.user, d.code))


def _download(fileobj, kind, filename):
    response = FileResponse(
        fileobj, content_type={"pdf": "application/pdf", "jpeg": "image/jpeg", "png": "image/png"}[kind]
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@router.get("/mine/{code}/result", auth=read_auth, summary="Tải kết quả giải quyết")
def result(request, code: str):
    r = services.result_file(request.user, code)
    return _download(
        r.attachment.file.open("rb"), r.attachment.kind, f"ket-qua-{code}{r.attachment.extension}"
    )


@router.get("/mine/{code}/receipt", auth=read_auth, summary="Tải giấy tiếp nhận hồ sơ và hẹn trả kết quả")
def receipt(request, code: str):
    document = services.receipt(request.user, code)
    return _download(document.file.open("rb"), "pdf", f"giay-tiep-nhan-{code}.pdf")
