"""Accounts API: the signed-in person, citizens' profiles (audited), organisations, assisted service."""

import datetime

from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router, Schema

from congso.core.api_auth import api_auth
from congso.core.errors import ServiceError
from congso.core.permissions import require
from congso.directory.models import Agency

from . import services
from .hooks import personal_data_served
from .models import AssistanceConsent, CitizenProfile, CommunityHelper, CommunityTeam, Organisation, User

# Refusals (ServiceError, PermissionDenied, Http404) are answered by the API's one error handler
# (congso.core.api_errors).
router = Router(tags=["Tài khoản"])
ERR = {400: dict, 403: dict, 404: dict}


class MeOut(Schema):
    username: str
    full_name: str
    kind: str
    email: str
    phone: str


class ProfileOut(Schema):
    username: str
    full_name: str
    cccd: str | None
    date_of_birth: datetime.date | None
    phone: str
    email: str
    address: str
    commune_code: str | None

    @staticmethod
    def resolve_username(obj):
        return obj.user.username

    @staticmethod
    def resolve_full_name(obj):
        return obj.user.full_name

    @staticmethod
    def resolve_phone(obj):
        return obj.user.phone

    @staticmethod
    def resolve_email(obj):
        return obj.user.email

    @staticmethod
    def resolve_commune_code(obj):
        return obj.commune.code if obj.commune_id else None


class ProfileIn(Schema):
    cccd: str | None = None
    date_of_birth: datetime.date | None = None
    phone: str | None = None
    email: str | None = None
    address: str | None = None
    commune_code: str | None = None


class OrganisationIn(Schema):
    name: str
    tax_code: str
    kind: str = Organisation.Kind.BUSINESS
    phone: str = ""
    email: str = ""
    address: str = ""
    commune_code: str | None = None


class OrganisationOut(Schema):
    id: int
    name: str
    tax_code: str
    kind: str


class ConsentIn(Schema):
    helper: str
    purpose: str
    procedure_code: str = ""
    days: int = 30
    citizen_cccd: str = ""
    paper_reference: str = ""


class ConsentOut(Schema):
    id: int
    citizen: str
    helper: str
    team: str
    purpose: str
    procedure_code: str
    method: str
    granted_at: datetime.datetime
    expires_at: datetime.datetime | None
    revoked_at: datetime.datetime | None
    label: str

    @staticmethod
    def resolve_citizen(obj):
        return obj.citizen.username

    @staticmethod
    def resolve_helper(obj):
        return obj.helper.username

    @staticmethod
    def resolve_team(obj):
        return obj.team.name

    @staticmethod
    def resolve_label(obj):
        return services.assisted_label(obj)


class TeamStatsOut(Schema):
    id: int
    name: str
    commune_code: str
    helpers: int
    active_consents: int
    assisted_actions: int

    @staticmethod
    def resolve_commune_code(obj):
        return obj.commune.code

    @staticmethod
    def resolve_helpers(obj):
        return obj.helper_count

    @staticmethod
    def resolve_active_consents(obj):
        return obj.consent_count

    @staticmethod
    def resolve_assisted_actions(obj):
        return obj.action_count


@router.get("/me", response=MeOut, auth=api_auth("read"), summary="Tài khoản đang đăng nhập")
def me(request):
    return request.auth


@router.get(
    "/me/profile", response={200: ProfileOut, **ERR}, auth=api_auth("read"), summary="Thông tin cá nhân"
)
def my_profile(request):
    return services.view_citizen(request.auth, request.auth)


@router.put(
    "/me/profile", response={200: ProfileOut, **ERR}, auth=api_auth("write"), summary="Sửa thông tin cá nhân"
)
def update_my_profile(request, payload: ProfileIn):
    services.update_profile(request.auth, request.auth, **payload.dict(exclude_unset=True))
    return CitizenProfile.objects.select_related("user", "commune").get(user=request.auth)


@router.get(
    "/citizens/{user_id}",
    response={200: ProfileOut, **ERR},
    auth=api_auth("read"),
    summary="Hồ sơ công dân (ghi nhật ký kiểm toán)",
)
def citizen(request, user_id: int):
    person = get_object_or_404(User, pk=user_id, kind=User.Kind.CITIZEN)
    profile = services.view_citizen(request.auth, person)
    if person.pk != request.auth.pk:
        personal_data_served(
            request,
            "citizen.profile",
            subject=person,
            identifier=profile.cccd or "",
            object_type="accounts.user",
            object_id=person.pk,
        )
    return profile


@router.get(
    "/organisations",
    response=list[OrganisationOut],
    auth=api_auth("read"),
    summary="Tổ chức, doanh nghiệp tôi được thao tác thay",
)
def my_organisations(request):
    return list(services.organisations_for(request.auth))


@router.post(
    "/organisations",
    response={201: OrganisationOut, **ERR},
    auth=api_auth("write"),
    summary="Đăng ký tổ chức, doanh nghiệp tôi đại diện",
)
def register_organisation(request, payload: OrganisationIn):
    return 201, services.register_organisation(request.auth, **payload.dict())


@router.get(
    "/consents",
    response=list[ConsentOut],
    auth=api_auth("read"),
    summary="Đồng ý hỗ trợ tôi đã cho hoặc được nhận",
)
def list_consents(request):
    return list(
        AssistanceConsent.objects.filter(Q(citizen=request.auth) | Q(helper=request.auth)).select_related(
            "citizen", "helper", "team"
        )
    )


@router.post(
    "/consents",
    response={201: ConsentOut, **ERR},
    auth=api_auth("write"),
    summary="Ghi nhận đồng ý cho thành viên tổ công nghệ số cộng đồng thao tác thay",
)
def grant_consent(request, payload: ConsentIn):
    actor = request.auth
    helper = User.objects.filter(username=payload.helper.strip()).first()
    if helper is None:
        raise ServiceError(
            _("Không tìm thấy thành viên tổ công nghệ số cộng đồng với tên đăng nhập này."), field="helper"
        )
    if payload.citizen_cccd:
        profile = (
            CitizenProfile.objects.filter(cccd=payload.citizen_cccd.replace(" ", ""))
            .select_related("user")
            .first()
        )
        if profile is None:
            raise ServiceError(_("Không tìm thấy công dân có số CCCD này."), field="citizen_cccd")
        citizen_user = profile.user
    else:
        citizen_user = actor
    consent = services.grant_consent(
        actor,
        citizen=citizen_user,
        helper=helper,
        purpose=payload.purpose,
        procedure_code=payload.procedure_code,
        days=payload.days,
        paper_reference=payload.paper_reference,
    )
    return 201, consent


@router.post(
    "/consents/{consent_id}/revoke",
    response={200: ConsentOut, **ERR},
    auth=api_auth("write"),
    summary="Thu hồi đồng ý hỗ trợ",
)
def revoke_consent(request, consent_id: int):
    consent = get_object_or_404(AssistanceConsent, pk=consent_id)
    return services.revoke_consent(request.auth, consent)


@router.get(
    "/assistance/stats",
    response={200: list[TeamStatsOut], **ERR},
    auth=api_auth("read"),
    summary="Thống kê hỗ trợ của tổ công nghệ số cộng đồng",
)
def assistance_stats(request):
    require(request.auth, "accounts.view_assistance_stats", None)
    return list(services.assistance_counts(request.auth))


class TeamIn(Schema):
    name: str
    commune_code: str
    agency_code: str


class TeamOut(Schema):
    id: int
    name: str
    commune_code: str
    agency_code: str

    @staticmethod
    def resolve_commune_code(obj):
        return obj.commune.code

    @staticmethod
    def resolve_agency_code(obj):
        return obj.agency.code


class HelperIn(Schema):
    username: str


class HelperOut(Schema):
    id: int
    team_id: int
    username: str
    full_name: str
    valid_from: datetime.date
    valid_to: datetime.date | None

    @staticmethod
    def resolve_username(obj):
        return obj.user.username

    @staticmethod
    def resolve_full_name(obj):
        return obj.user.full_name


@router.post(
    "/teams",
    response={201: TeamOut, **ERR},
    auth=api_auth("write"),
    summary="Đăng ký tổ công nghệ số cộng đồng",
)
def create_team(request, payload: TeamIn):
    agency = get_object_or_404(Agency, code=payload.agency_code)
    return 201, services.create_team(
        request.auth, name=payload.name, commune_code=payload.commune_code, agency=agency
    )


@router.post(
    "/teams/{team_id}/helpers",
    response={201: HelperOut, **ERR},
    auth=api_auth("write"),
    summary="Ghi nhận thành viên tổ công nghệ số cộng đồng",
)
def add_helper(request, team_id: int, payload: HelperIn):
    team = get_object_or_404(CommunityTeam, pk=team_id)
    person = get_object_or_404(User, username=payload.username)
    return 201, services.register_helper(request.auth, team, person)


@router.post(
    "/helpers/{helper_id}/end",
    response={200: HelperOut, **ERR},
    auth=api_auth("write"),
    summary="Kết thúc tư cách thành viên tổ",
)
def end_helper(request, helper_id: int):
    helper = get_object_or_404(CommunityHelper.objects.select_related("team", "user"), pk=helper_id)
    return services.end_helper(request.auth, helper)
