"""Directory API: administrative units, agencies and staff roles (same services as the pages)."""

import datetime

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from congso.core.api_auth import api_auth
from congso.core.pagination import LimitOffsetPages
from congso.core.permissions import require
from congso.core.text import fold

from . import services
from .models import AdministrativeUnit, Agency, Membership
from .scope import active_memberships

# Refusals (ServiceError, PermissionDenied, Http404) are answered by the API's one error handler
# (congso.core.api_errors). The public look-ups (units, agencies) say so with auth=None.
router = Router(tags=["Danh bạ cơ quan"])
ERR = {400: dict, 403: dict, 404: dict}


class UnitOut(Schema):
    code: str
    name: str
    kind: str
    level: int
    parent_code: str | None
    valid_from: datetime.date
    valid_to: datetime.date | None

    @staticmethod
    def resolve_parent_code(obj):
        return obj.parent.code if obj.parent_id else None


class UnitIn(Schema):
    code: str
    name: str
    kind: str
    level: int
    valid_from: datetime.date
    valid_to: datetime.date
    parent_code: str = ""
    replaced_by_code: str = ""


class AgencyOut(Schema):
    code: str
    name: str
    short_name: str
    name_en: str = Field(description="Tên tiếng Anh chính thức (rỗng: chưa có)")
    kind: str
    unit_code: str
    parent_code: str | None
    address: str
    phone: str
    email: str
    is_active: bool

    @staticmethod
    def resolve_unit_code(obj):
        return obj.unit.code

    @staticmethod
    def resolve_parent_code(obj):
        return obj.parent.code if obj.parent_id else None


class AgencyIn(Schema):
    code: str
    name: str
    kind: str
    unit_code: str
    parent_code: str | None = None
    short_name: str = ""
    name_en: str = Field("", description="Tên tiếng Anh chính thức, tối đa 255 ký tự")
    address: str = ""
    phone: str = ""
    email: str = ""


class AgencyPatch(Schema):
    name: str | None = None
    short_name: str | None = None
    name_en: str | None = Field(None, description="Tên tiếng Anh chính thức, tối đa 255 ký tự (rỗng: xoá)")
    kind: str | None = None
    unit_code: str | None = None
    address: str | None = None
    phone: str | None = None
    email: str | None = None
    is_active: bool | None = None


class MembershipOut(Schema):
    id: int
    username: str
    full_name: str
    agency_code: str
    role: str
    position: str
    position_en: str = Field(description="Chức vụ bằng tiếng Anh (rỗng: chưa có)")
    include_subtree: bool
    valid_from: datetime.date
    valid_to: datetime.date | None

    @staticmethod
    def resolve_username(obj):
        return obj.user.username

    @staticmethod
    def resolve_full_name(obj):
        return obj.user.full_name

    @staticmethod
    def resolve_agency_code(obj):
        return obj.agency.code


class GrantIn(Schema):
    username: str
    role: str
    position: str = ""
    position_en: str = Field("", description="Chức vụ bằng tiếng Anh, tối đa 150 ký tự")
    include_subtree: bool = False
    valid_from: datetime.date | None = None
    valid_to: datetime.date | None = None


class OfficialIn(Schema):
    username: str
    full_name: str
    email: str
    role: str
    position: str = ""
    position_en: str = Field("", description="Chức vụ bằng tiếng Anh, tối đa 150 ký tự")
    include_subtree: bool = False


@router.get("/units", response=list[UnitOut], auth=None, summary="Tra cứu đơn vị hành chính")
@paginate(LimitOffsetPages)
def list_units(
    request, q: str = "", parent: str = "", level: int | None = None, on: datetime.date | None = None
):
    qs = AdministrativeUnit.objects.select_related("parent").order_by("level", "code")
    if q:
        qs = qs.filter(Q(name_folded__contains=fold(q)) | Q(code=q))
    if parent:
        qs = qs.filter(parent__code=parent)
    if level:
        qs = qs.filter(level=level)
    if on:
        qs = qs.filter(valid_from__lte=on).filter(Q(valid_to__isnull=True) | Q(valid_to__gt=on))
    return qs


@router.post(
    "/units",
    response={201: UnitOut, **ERR},
    auth=api_auth("write"),
    summary="Thêm đơn vị hành chính đã hết hiệu lực (quản trị hệ thống)",
)
def create_unit(request, payload: UnitIn):
    return 201, services.create_historical_unit(request.auth, **payload.dict())


@router.get("/agencies", response=list[AgencyOut], auth=None, summary="Danh sách cơ quan")
@paginate(LimitOffsetPages)
def list_agencies(request, unit: str = "", kind: str = ""):
    qs = Agency.objects.select_related("unit", "parent").order_by("path")
    if unit:
        qs = qs.filter(unit__code=unit)
    if kind:
        qs = qs.filter(kind=kind)
    return qs


@router.get("/agencies/{code}", response={200: AgencyOut, 404: dict}, auth=None, summary="Thông tin cơ quan")
def get_agency(request, code: str):
    return get_object_or_404(Agency.objects.select_related("unit", "parent"), code=code)


@router.post("/agencies", response={201: AgencyOut, **ERR}, auth=api_auth("write"), summary="Thêm cơ quan")
def create_agency(request, payload: AgencyIn):
    data = payload.dict()
    parent_code = data.pop("parent_code")
    parent = get_object_or_404(Agency, code=parent_code) if parent_code else None
    return 201, services.create_agency(request.auth, parent=parent, **data)


@router.patch(
    "/agencies/{code}",
    response={200: AgencyOut, **ERR},
    auth=api_auth("write"),
    summary="Sửa thông tin cơ quan",
)
def update_agency(request, code: str, payload: AgencyPatch):
    agency = get_object_or_404(Agency, code=code)
    return services.update_agency(request.auth, agency, **payload.dict(exclude_unset=True))


@router.get(
    "/agencies/{code}/staff",
    response={200: list[MembershipOut], **ERR},
    auth=api_auth("read"),
    summary="Cán bộ và vai trò của cơ quan",
)
def list_staff(request, code: str):
    agency = get_object_or_404(Agency, code=code)
    require(request.auth, "directory.view_staff", agency)
    today = timezone.localdate()
    return list(
        Membership.objects.filter(agency=agency)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=today))
        .select_related("user", "agency")
        .order_by("role", "user__username")
    )


@router.post(
    "/agencies/{code}/staff",
    response={201: MembershipOut, **ERR},
    auth=api_auth("write"),
    summary="Phân công vai trò cho cán bộ",
)
def grant_role(request, code: str, payload: GrantIn):
    agency = get_object_or_404(Agency, code=code)
    require(request.auth, "directory.manage_staff", agency)
    user = get_object_or_404(get_user_model(), username=payload.username)
    data = payload.dict()
    data.pop("username")
    return 201, services.grant_role(request.auth, user=user, agency=agency, **data)


@router.post(
    "/agencies/{code}/officials",
    response={201: MembershipOut, **ERR},
    auth=api_auth("write"),
    summary="Tạo tài khoản cán bộ kèm vai trò",
)
def create_official(request, code: str, payload: OfficialIn):
    agency = get_object_or_404(Agency, code=code)
    require(request.auth, "directory.manage_staff", agency)
    _user, membership = services.create_official(request.auth, agency=agency, **payload.dict())
    return 201, membership


@router.post(
    "/memberships/{membership_id}/end",
    response={200: MembershipOut, **ERR},
    auth=api_auth("write"),
    summary="Kết thúc phân công",
)
def end_membership(request, membership_id: int):
    membership = get_object_or_404(Membership.objects.select_related("agency", "user"), pk=membership_id)
    return services.end_role(request.auth, membership)


@router.get("/me/roles", response=list[MembershipOut], auth=api_auth("read"), summary="Vai trò của tôi")
def my_roles(request):
    return list(active_memberships(request.auth).select_related("user"))
