"""The catalogue in the JSON API: search, full records, versions, effective terms, offerings."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Query, Router, Schema, Status
from pydantic import Field

from congso.core.api_auth import api_auth
from congso.core.api_errors import ApiError
from congso.core.permissions import require
from congso.directory.models import Agency

from . import consistency, services
from . import search as catalog_search
from .models import (
    LOCAL_FEE_CHANNELS,
    ConsistencyReport,
    Offering,
    Procedure,
    ProcedureField,
    ProcedureVersion,
)
from .permissions import managed_agencies
from .schemas import ProcedureContent
from .selectors import consistency_rate, procedure_by_code

# Refusals (ServiceError, PermissionDenied, Http404) are answered by the API's one error handler
# (congso.core.api_errors). The public catalogue (search, records, versions, terms) says so with auth=None.
router = Router(tags=["Thủ tục hành chính"])


class ProcedureSummary(Schema):
    code: str
    name: str
    field: str | None = Field(None, description="Lĩnh vực")
    levels: list[str] = Field(description="ministry, province, commune, district, other")
    online_level: str = Field(description="full (toàn trình), partial (một phần), info (chỉ thông tin)")
    url: str = Field(description="Địa chỉ trang thủ tục trên cổng")
    api_url: str


class ProcedurePage(Schema):
    count: int
    limit: int
    offset: int
    items: list[ProcedureSummary]
    ignored: dict[str, str] = Field(
        default_factory=dict,
        description="Bộ lọc có giá trị không hợp lệ đã bị bỏ qua (như trang tra cứu), kèm lý do",
    )


class OfferingPublic(Schema):
    agency_code: str
    agency_name: str
    online_open: bool
    counters: str


class ProcedureDetail(Schema):
    code: str
    name: str
    version: int
    version_id: int = Field(description="Khoá của phiên bản; hồ sơ lưu khoá này")
    url: str
    online_level: str
    content: ProcedureContent
    offerings: list[OfferingPublic]


class VersionSummary(Schema):
    number: int
    version_id: int
    created_at: str
    source: str
    current: bool


class ChannelTermsOut(Schema):
    channel: str
    available: bool
    time_value: float | int | None
    time_unit: str
    time_is_local: bool
    fee_kind: str
    fee_amount: Decimal | None
    fee_currency: str
    fee_description: str
    fee_is_local: bool


class TermsOut(Schema):
    procedure: str
    version: int | None
    version_id: int | None
    agency: str | None
    offered: bool
    online_open: bool
    counters: str
    channels: list[ChannelTermsOut]


class ProcedureFieldOut(Schema):
    id: int
    name: str
    count: int


class SearchFilters(Schema):
    """The filters of the HTML search page, with the same meaning (``search.clean_filters``): an invalid
    value is left out and named in ``ignored``; the query and the other filters still apply."""

    q: str = Field("", max_length=200, description="Từ khoá, có dấu hoặc không dấu")
    level: str = Field("", description="ministry, province, commune, district, other")
    field: str = Field("", description="Tên (có dấu hoặc không) hoặc mã số lĩnh vực")
    agency: str = Field("", description="Mã định danh cơ quan cung cấp thủ tục")
    subject: str = Field(
        "", description="Đối tượng thực hiện có trong danh mục, ví dụ 'Công dân Việt Nam' (có dấu hoặc không)"
    )
    online: str = Field("", description="full, partial, info")
    limit: int = Field(20, ge=1, le=100)
    offset: int = Field(0, ge=0, le=100000)


class OfferingIn(Schema):
    is_active: bool = True
    online_open: bool = False
    local_time_value: Decimal | None = Field(None, description="Thời hạn tại địa phương (ngắn hơn luật định)")
    local_time_unit: str = Field(
        "",
        description=(
            "working_days, days, hours, weeks, months, years, minutes, immediate (trả ngay), "
            "same_day (trong ngày làm việc; không cần local_time_value)"
        ),
    )
    local_fee_in_person: Decimal | None = Field(
        None, description="Mức thu tại địa phương khi nộp trực tiếp (0: miễn), nếu pháp luật cho phép"
    )
    local_fee_in_person_currency: str = Field("VND", description="VND, USD, EUR")
    local_fee_online: Decimal | None = Field(None, description="Mức thu tại địa phương khi nộp trực tuyến")
    local_fee_online_currency: str = Field("VND", description="VND, USD, EUR")
    local_fee_post: Decimal | None = Field(None, description="Mức thu tại địa phương khi nộp qua bưu chính")
    local_fee_post_currency: str = Field("VND", description="VND, USD, EUR")
    local_fee_note: str = ""
    counters: str = Field("", description="Nơi tiếp nhận: quầy, địa chỉ")


class OfferingOut(Schema):
    agency: str
    procedure: str
    procedure_name: str
    is_active: bool
    online_open: bool
    local_time_value: Decimal | None
    local_time_unit: str
    local_fee_in_person: Decimal | None
    local_fee_in_person_currency: str
    local_fee_online: Decimal | None
    local_fee_online_currency: str
    local_fee_post: Decimal | None
    local_fee_post_currency: str
    local_fee_note: str
    counters: str
    time_limit: str = Field(
        description="Thời hạn áp dụng khi nộp trực tiếp (ví dụ: 3 ngày làm việc, Trong ngày làm việc); rỗng nếu chưa xác định"
    )
    time_limit_unresolved: bool = Field(
        description="Chưa xác định được thời hạn (hồ sơ gốc không ghi đơn vị): cần đặt thời hạn tại địa phương "
        "trước khi tiếp nhận hồ sơ"
    )


def _summary(request, procedure: Procedure) -> dict:
    url = procedure.get_absolute_url()
    return {
        "code": procedure.code,
        "name": procedure.name,
        "field": procedure.field.name if procedure.field_id else None,
        "levels": procedure.level_list,
        "online_level": procedure.online_level,
        "url": request.build_absolute_uri(url),
        "api_url": request.build_absolute_uri(f"/api/v1/procedures/{procedure.code}"),
    }


def _procedure_or_404(code: str) -> Procedure:
    procedure = procedure_by_code(code)
    if procedure is None:
        raise Http404
    return procedure


def _offering_out(offering: Offering) -> dict:
    return {
        "agency": offering.agency.code,
        "procedure": offering.procedure.code,
        "procedure_name": offering.procedure.name,
        "is_active": offering.is_active,
        "online_open": offering.online_open,
        "local_time_value": offering.local_time_value,
        "local_time_unit": offering.local_time_unit,
        **{
            f"local_fee_{c}{suffix}": getattr(offering, f"local_fee_{c}{suffix}")
            for c in LOCAL_FEE_CHANNELS
            for suffix in ("", "_currency")
        },
        "local_fee_note": offering.local_fee_note,
        "counters": offering.counters,
        **_time_limit_out(offering),
    }


def _time_limit_out(offering: Offering) -> dict:
    terms = services.effective_terms(offering.procedure, offering.agency, offering=offering)
    channel = terms.channels[0].channel if terms.channels else "in_person"
    limit = terms.time_limit("in_person" if terms.channel("in_person") else channel)
    return {"time_limit": str(limit) if limit else "", "time_limit_unresolved": terms.limit_unresolved}


@router.get("/procedures", response=ProcedurePage, auth=None, summary="Tìm thủ tục hành chính")
def list_procedures(request, filters: Query[SearchFilters]):
    """Tìm không phân biệt dấu, chấp nhận gõ sai và đảo thứ tự từ; thủ tục khớp tên đứng trước."""
    valid, ignored = catalog_search.clean_filters(filters.dict())
    result = catalog_search.search(filters.q, offset=filters.offset, limit=filters.limit, **valid)
    return {
        "count": result.total,
        "limit": filters.limit,
        "offset": filters.offset,
        "items": [_summary(request, p) for p in result.items],
        "ignored": ignored,
    }


@router.get(
    "/procedures/{code}", response=ProcedureDetail, auth=None, summary="Toàn bộ thông tin một thủ tục"
)
def get_procedure(request, code: str):
    procedure = _procedure_or_404(code)
    offerings = Offering.objects.filter(procedure=procedure, is_active=True).select_related("agency")
    return {
        "code": procedure.code,
        "name": procedure.name,
        "version": procedure.current_version.number,
        "version_id": procedure.current_version_id,
        "url": request.build_absolute_uri(procedure.get_absolute_url()),
        "online_level": procedure.online_level,
        "content": procedure.current_version.content,
        "offerings": [
            {
                "agency_code": o.agency.code,
                "agency_name": o.agency.name,
                "online_open": o.online_open,
                "counters": o.counters,
            }
            for o in offerings
        ],
    }


@router.get(
    "/procedures/{code}/versions",
    response=list[VersionSummary],
    auth=None,
    summary="Các phiên bản của thủ tục",
)
def list_versions(request, code: str):
    procedure = _procedure_or_404(code)
    return [
        {
            "number": v.number,
            "version_id": v.pk,
            "created_at": v.created_at.isoformat(),
            "source": v.source.rsplit("/", 1)[-1],
            "current": v.pk == procedure.current_version_id,
        }
        for v in procedure.versions.order_by("-number")
    ]


@router.get(
    "/procedures/{code}/versions/{number}",
    response=ProcedureContent,
    auth=None,
    summary="Nội dung một phiên bản",
)
def get_version(request, code: str, number: int):
    version = get_object_or_404(ProcedureVersion, procedure__code=code, number=number)
    return version.content


@router.get(
    "/procedures/{code}/terms",
    response=TermsOut,
    auth=None,
    summary="Thời hạn, phí và hình thức nộp áp dụng tại một cơ quan",
)
def get_terms(request, code: str, agency: str = ""):
    procedure = _procedure_or_404(code)
    agency_obj = get_object_or_404(Agency, code=agency) if agency else None
    terms = services.effective_terms(procedure, agency_obj)
    return {
        "procedure": procedure.code,
        "version": terms.version_number,
        "version_id": terms.version_id,
        "agency": agency_obj.code if agency_obj else None,
        "offered": terms.offered,
        "online_open": terms.online_open,
        "counters": terms.counters,
        "channels": [c.__dict__ for c in terms.channels],
    }


@router.get(
    "/procedure-fields", response=list[ProcedureFieldOut], auth=None, summary="Lĩnh vực và số thủ tục"
)
def list_fields(request):
    fields = ProcedureField.objects.annotate(
        count=Count("procedures", filter=Q(procedures__is_active=True))
    ).filter(count__gt=0)
    return [{"id": f.id, "name": f.name, "count": f.count} for f in fields]


# --- administrators' corrections of a procedure (system administrators) -----------------------------


class ProcedureStateOut(Schema):
    code: str
    is_active: bool = Field(description="Đang áp dụng (hiệu lực: không bị quản trị viên thu hồi)")
    withdrawn_at: str | None = Field(None, description="Thời điểm quản trị viên thu hồi")
    withdrawn_by: str | None = Field(None, description="Tên đăng nhập của người thu hồi")
    withdrawal_reason: str = ""
    online_level: str = Field(description="Mức độ trực tuyến hiệu lực: full, partial, info")
    record_online_level: str = Field(description="Mức độ theo hồ sơ thủ tục (bản nhập)")
    online_level_override: str = Field(description="Mức độ quản trị viên đặt; rỗng: theo hồ sơ")
    local_fee_allowed: bool = Field(description="Địa phương được đặt mức phí (hiệu lực)")
    record_fee_set_locally: bool = Field(description="Nhận định từ hồ sơ: mức thu do HĐND tỉnh quyết định")
    local_fee_allowed_override: bool | None = Field(description="Quản trị viên xác định; null: theo hồ sơ")


class ProcedureWithdrawIn(Schema):
    reason: str = Field(max_length=500, description="Lý do thu hồi")


class OnlineLevelIn(Schema):
    online_level: str = Field("", description="full, partial, info; rỗng để dùng mức theo hồ sơ thủ tục")


def _state_out(procedure: Procedure) -> dict:
    return {
        "code": procedure.code,
        "is_active": procedure.is_active,
        "withdrawn_at": procedure.withdrawn_at.isoformat() if procedure.withdrawn_at else None,
        "withdrawn_by": procedure.withdrawn_by.get_username() if procedure.withdrawn_by_id else None,
        "withdrawal_reason": procedure.withdrawal_reason,
        "online_level": procedure.online_level,
        "record_online_level": procedure.record_online_level,
        "online_level_override": procedure.online_level_override,
        "local_fee_allowed": procedure.local_fee_allowed,
        "record_fee_set_locally": bool(procedure.content.get("fee_set_locally")),
        "local_fee_allowed_override": procedure.local_fee_allowed_override,
    }


def _any_procedure_or_404(code: str) -> Procedure:
    """A procedure whether withdrawn or not (administrators act on both)."""
    return get_object_or_404(
        Procedure.objects.select_related("current_version", "withdrawn_by"),
        code=code,
        current_version__isnull=False,
    )


def _administer(request, code: str, action) -> Status:
    procedure = action(_any_procedure_or_404(code))
    return Status(200, _state_out(_any_procedure_or_404(procedure.code)))


@router.post(
    "/procedures/{code}/withdrawal",
    response={200: ProcedureStateOut, 400: ApiError, 403: ApiError},
    auth=api_auth("write"),
    summary="Thu hồi một thủ tục (lần nhập sau vẫn giữ)",
)
def withdraw_procedure(request, code: str, payload: ProcedureWithdrawIn):
    return _administer(request, code, lambda p: services.withdraw_procedure(request.auth, p, payload.reason))


@router.delete(
    "/procedures/{code}/withdrawal",
    response={200: ProcedureStateOut, 400: ApiError, 403: ApiError},
    auth=api_auth("write"),
    summary="Khôi phục một thủ tục đã thu hồi",
)
def restore_procedure(request, code: str):
    return _administer(request, code, lambda p: services.restore_procedure(request.auth, p))


@router.put(
    "/procedures/{code}/online-level",
    response={200: ProcedureStateOut, 400: ApiError, 403: ApiError},
    auth=api_auth("write"),
    summary="Sửa mức độ dịch vụ công trực tuyến của một thủ tục (lần nhập sau vẫn giữ)",
)
def put_online_level(request, code: str, payload: OnlineLevelIn):
    return _administer(
        request, code, lambda p: services.set_online_level(request.auth, p, payload.online_level)
    )


class LocalFeeAllowedIn(Schema):
    local_fee_allowed: bool | None = Field(
        description="true: pháp luật cho tỉnh quyết định mức thu; false: không; null: theo hồ sơ thủ tục"
    )


@router.put(
    "/procedures/{code}/local-fee-allowed",
    response={200: ProcedureStateOut, 400: ApiError, 403: ApiError},
    auth=api_auth("write"),
    summary="Xác định địa phương có được đặt mức phí, lệ phí của thủ tục hay không",
)
def put_local_fee_allowed(request, code: str, payload: LocalFeeAllowedIn):
    return _administer(
        request, code, lambda p: services.set_local_fee_allowed(request.auth, p, payload.local_fee_allowed)
    )


@router.get(
    "/procedures/{code}/state",
    response={200: ProcedureStateOut, 403: ApiError},
    auth=api_auth("read"),
    summary="Trạng thái quản trị của một thủ tục (cả khi đã thu hồi)",
)
def get_state(request, code: str):
    procedure = _any_procedure_or_404(code)
    require(request.auth, "catalog.manage_procedures", procedure, str(services.FORBIDDEN_PROCEDURES))
    return Status(200, _state_out(procedure))


# --- offerings (agency administrators) -------------------------------------------------------------


@router.get(
    "/offerings",
    response={200: list[OfferingOut], 403: ApiError},
    auth=api_auth("read"),
    summary="Thủ tục cơ quan cung cấp",
)
def list_offerings(request, agency: str, unresolved: bool = False):
    """``unresolved=true``: only the active offerings whose time limit is not known yet (ADR 0143)."""
    agency_obj = get_object_or_404(Agency, code=agency)
    if not managed_agencies(request.auth).filter(pk=agency_obj.pk).exists():
        raise PermissionDenied(str(services.FORBIDDEN_OFFERINGS))
    if unresolved:
        return Status(200, [_offering_out(o) for o in services.unresolved_offerings(agency_obj)])
    qs = Offering.objects.filter(agency=agency_obj).select_related("agency", "procedure__current_version")
    return Status(200, [_offering_out(o) for o in qs])


@router.put(
    "/offerings/{agency}/{code}",
    response={200: OfferingOut, 400: ApiError, 403: ApiError},
    auth=api_auth("write"),
    summary="Cung cấp hoặc sửa thiết lập địa phương của một thủ tục",
)
def put_offering(request, agency: str, code: str, payload: OfferingIn):
    agency_obj = get_object_or_404(Agency, code=agency)
    procedure = _procedure_or_404(code)
    offering = services.save_offering(request.auth, agency_obj, procedure, payload.dict())
    return Status(200, _offering_out(offering))


@router.delete(
    "/offerings/{agency}/{code}",
    response={204: None, 400: ApiError, 403: ApiError},
    auth=api_auth("write"),
    summary="Ngừng cung cấp một thủ tục",
)
def delete_offering(request, agency: str, code: str):
    agency_obj = get_object_or_404(Agency, code=agency)
    procedure = _procedure_or_404(code)
    services.withdraw_offering(request.auth, agency_obj, procedure)
    return Status(204, None)


# --- consistency with the national catalogue (ADR 0155) -------------------------------------------


class CatalogConsistencyIn(Schema):
    source: str = Field(min_length=1, max_length=300, description="tên bản xuất (tệp, ngày xuất)")
    records: list[dict] = Field(
        min_length=1, max_length=5000, description="bản ghi thủ tục như khi nhập danh mục (JSON)"
    )


class CatalogDifferenceOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    kind_label: str
    agency: str | None
    national: str
    local: str
    resolved_at: datetime.datetime | None
    update_url: str

    @staticmethod
    def resolve_kind_label(obj):
        return obj.get_kind_display()

    @staticmethod
    def resolve_agency(obj):
        return obj.agency.code if obj.agency_id else None

    @staticmethod
    def resolve_update_url(obj):
        if obj.agency_id:
            return reverse("catalog:manage_offering", args=[obj.agency.code, obj.code])
        return f"/api/v1/catalog/consistency/differences/{obj.pk}/apply"


class CatalogConsistencyOut(Schema):
    id: int
    source: str
    created_at: datetime.datetime
    checked: int
    differing: int
    consistency_percent: Decimal | None
    failures: list[list[str]]
    differences: list[CatalogDifferenceOut]


def _consistency_out(report):
    rate = consistency_rate(report)
    return {
        "id": report.pk,
        "source": report.source,
        "created_at": report.created_at,
        "checked": report.checked,
        "differing": rate.differing,
        "consistency_percent": rate.percent,
        "failures": [[str(x) for x in f] for f in report.failures],
        "differences": list(report.differences.select_related("agency").order_by("code", "kind", "pk")),
    }


@router.post(
    "/catalog/consistency",
    response={201: CatalogConsistencyOut, 400: ApiError, 403: ApiError},
    auth=api_auth("write"),
    summary="Đối chiếu danh mục địa phương với bản xuất danh mục quốc gia (lưu báo cáo)",
)
def run_consistency(request, payload: CatalogConsistencyIn):
    records, failures = consistency.read_data(payload.records, payload.source)
    report = services.run_consistency_report(request.auth, records, failures, source=payload.source)
    return Status(201, _consistency_out(report))


@router.get(
    "/catalog/consistency/{report_id}",
    response={200: CatalogConsistencyOut, 403: ApiError, 404: ApiError},
    auth=api_auth("read"),
    summary="Một báo cáo đối chiếu danh mục và các khác biệt",
)
def get_consistency(request, report_id: int):
    require(request.auth, "catalog.import")
    return _consistency_out(get_object_or_404(ConsistencyReport, pk=report_id))


@router.post(
    "/catalog/consistency/differences/{difference_id}/apply",
    response={200: CatalogDifferenceOut, 400: ApiError, 403: ApiError, 404: ApiError, 409: ApiError},
    auth=api_auth("write"),
    summary="Cập nhật thủ tục theo bản ghi quốc gia của một khác biệt (thiếu, đã thay đổi)",
)
def apply_consistency_difference(request, difference_id: int):
    return services.apply_difference(request.auth, difference_id)
