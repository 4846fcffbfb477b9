"""Use cases of the accounts app: profiles, organisations, community helpers and consent.

Each function runs in one transaction, checks permission with core.permissions, writes its audit
entry in the same transaction, and raises a ``core.errors.ServiceError`` (``InvalidFields`` for several
fields at once) with a Vietnamese message; ``core.permissions.require`` refuses with PermissionDenied.

Assisted service — the API the dossier app calls:

    consent = require_consent(helper, citizen, purpose="1.001193")   # raises ConsentRequired
    ... create / submit the dossier for `citizen` ...
    record_assisted_action(consent, "dossier.submit", dossier)       # counted, audited
    assisted_label(consent)  # "Nộp với sự hỗ trợ của Trần Văn Bình (Tổ công nghệ số cộng đồng …)"
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from congso.core import audit
from congso.core.errors import Forbidden, InvalidFields, ServiceError
from congso.core.permissions import can, require
from congso.core.text import check_length
from congso.directory.models import AdministrativeUnit
from congso.directory.scope import is_sysadmin

from .models import (
    AssistanceConsent,
    AssistedAction,
    CitizenProfile,
    CommunityHelper,
    CommunityTeam,
    Organisation,
    Representative,
    User,
)
from .validators import (
    validate_birth_date,
    validate_cccd,
    validate_email_address,
    validate_phone,
    validate_tax_code,
)


class ConsentRequired(Forbidden, PermissionDenied):
    """The helper has no active consent from the citizen for this purpose (HTTP 403).

    A ``core.errors.Forbidden``; still a PermissionDenied too, for the callers that let it reach
    Django's 403 page."""

    code = "forbidden"


def _active_on(qs, day=None):
    day = day or timezone.localdate()
    return qs.filter(valid_from__lte=day).filter(Q(valid_to__isnull=True) | Q(valid_to__gt=day))


def _commune(code: str | None) -> AdministrativeUnit | None:
    if not code:
        return None
    today = timezone.localdate()
    unit = (
        AdministrativeUnit.objects.filter(
            code=code, level=AdministrativeUnit.Level.COMMUNE, valid_from__lte=today
        )
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=today))
        .first()
    )
    if unit is None:
        raise ServiceError(
            _("Không tìm thấy xã, phường, đặc khu có mã %(code)s.") % {"code": code}, field="commune"
        )
    return unit


_ADDRESS_MAX = CitizenProfile._meta.get_field("address").max_length
_COMMUNE_CODE_MAX = AdministrativeUnit._meta.get_field("code").max_length


# --- Citizens ---------------------------------------------------------------------------------


def view_citizen(actor, citizen: User) -> CitizenProfile:
    """Open a citizen's profile. A read of personal data by someone else is audited."""
    require(actor, "accounts.view_citizen", citizen)
    with transaction.atomic():
        profile, _ = CitizenProfile.objects.select_related("commune", "user").get_or_create(user=citizen)
        if actor.pk != citizen.pk:
            audit.record("accounts.citizen_viewed", obj=citizen, actor=actor, data={"fields": "profile"})
    return profile


def update_profile(
    actor,
    citizen: User,
    *,
    cccd=None,
    date_of_birth=None,
    address=None,
    commune_code=None,
    phone=None,
    email=None,
) -> CitizenProfile:
    require(actor, "accounts.edit_profile", citizen)
    errors = {}
    number = None

    def check(field, validate, value):
        try:
            return validate(value)
        except ValidationError as exc:
            errors[field] = exc.messages
            return None

    if cccd:
        number = check("cccd", lambda v: validate_cccd(v, date_of_birth), cccd)
    if date_of_birth is not None:
        check("date_of_birth", validate_birth_date, date_of_birth)
    if phone:
        phone = check("phone", validate_phone, phone)
    if email:
        email = check("email", validate_email_address, email)
    if address is not None:
        check("address", lambda v: check_length(v, _ADDRESS_MAX), address)
    if commune_code and len(commune_code) > _COMMUNE_CODE_MAX:
        commune_code = commune_code[: _COMMUNE_CODE_MAX + 1]  # no unit has it: the usual refusal, short
    try:
        commune = _commune(commune_code)
    except ServiceError as exc:
        errors.update(exc.errors)
        commune = None
    if errors:
        raise InvalidFields(errors)
    with transaction.atomic():
        profile, _ = CitizenProfile.objects.select_for_update().get_or_create(user=citizen)
        if number and CitizenProfile.objects.filter(cccd=number).exclude(pk=profile.pk).exists():
            raise ServiceError(_("Số CCCD này đã được dùng cho một tài khoản khác."), field="cccd")
        changed = []
        for field, value in (("cccd", number), ("date_of_birth", date_of_birth), ("address", address)):
            if value is not None and getattr(profile, field) != value:
                setattr(profile, field, value)
                changed.append(field)
        if commune is not None and profile.commune_id != commune.pk:
            profile.commune = commune
            changed.append("commune")
        profile.save()
        user_changed = []
        for field, value in (("phone", phone), ("email", email)):
            if value is not None and getattr(citizen, field) != value:
                setattr(citizen, field, value)
                user_changed.append(field)
        if user_changed:
            citizen.save(update_fields=user_changed)
        if changed or user_changed:
            audit.record(
                "accounts.profile_updated", obj=citizen, actor=actor, data={"fields": changed + user_changed}
            )
    return profile


# --- Organisations ----------------------------------------------------------------------------


def is_representative(user, organisation, kind=None) -> bool:
    if not getattr(user, "is_authenticated", False) or organisation is None:
        return False
    qs = _active_on(Representative.objects.filter(user=user, organisation=organisation))
    if kind:
        qs = qs.filter(kind=kind)
    return qs.exists()


def organisations_for(user):
    """Organisations the user may act for today."""
    reps = _active_on(Representative.objects.filter(user=user))
    return Organisation.objects.filter(pk__in=reps.values("organisation_id"))


def register_organisation(
    actor,
    *,
    name,
    tax_code,
    kind=Organisation.Kind.BUSINESS,
    phone="",
    email="",
    address="",
    commune_code=None,
) -> Organisation:
    """A person registers the organisation they legally represent."""
    if not getattr(actor, "is_authenticated", False):
        raise Forbidden(_("Bạn cần đăng nhập."), code="forbidden")
    errors = {}
    try:
        tax_code = validate_tax_code(tax_code)
    except ValidationError as exc:
        errors["tax_code"] = exc.messages
    if not (name or "").strip():
        errors["name"] = [_("Vui lòng nhập tên tổ chức, doanh nghiệp.")]
    try:
        commune = _commune(commune_code)
    except ServiceError as exc:
        errors.update(exc.errors)
        commune = None
    if errors:
        raise InvalidFields(errors)
    with transaction.atomic():
        if Organisation.objects.filter(tax_code=tax_code).exists():
            raise ServiceError(
                _("Mã số thuế %(code)s đã được đăng ký.") % {"code": tax_code}, field="tax_code"
            )
        org = Organisation.objects.create(
            name=name.strip(),
            tax_code=tax_code,
            kind=kind,
            phone=phone,
            email=email,
            address=address,
            commune=commune,
        )
        Representative.objects.create(organisation=org, user=actor, kind=Representative.Kind.LEGAL)
        audit.record("accounts.organisation_registered", obj=org, actor=actor, data={"tax_code": tax_code})
    return org


def authorise_representative(actor, organisation, person: User, *, valid_to=None) -> Representative:
    require(actor, "accounts.manage_representatives", organisation)
    with transaction.atomic():
        rep, created = Representative.objects.get_or_create(
            organisation=organisation,
            user=person,
            defaults={"kind": Representative.Kind.AUTHORISED, "valid_to": valid_to},
        )
        if not created:
            rep.valid_to = valid_to
            rep.save(update_fields=["valid_to"])
        audit.record(
            "accounts.representative_authorised",
            obj=organisation,
            actor=actor,
            data={"user": person.username, "valid_to": valid_to},
        )
    return rep


# --- Community digital technology teams -------------------------------------------------------


def active_helper_teams(user):
    return CommunityTeam.objects.filter(
        is_active=True, pk__in=_active_on(CommunityHelper.objects.filter(user=user)).values("team_id")
    )


def is_helper(user) -> bool:
    return getattr(user, "is_authenticated", False) and active_helper_teams(user).exists()


def create_team(actor, *, name: str, commune_code: str, agency) -> CommunityTeam:
    """Register a community digital technology team of a commune, managed by `agency`."""
    probe = CommunityTeam(agency=agency)
    require(actor, "accounts.manage_team", probe)
    if not (name or "").strip():
        raise ServiceError(_("Vui lòng nhập tên tổ."), field="name")
    commune = _commune(commune_code)
    if commune is None:
        raise ServiceError(_("Vui lòng nhập mã xã, phường, đặc khu."), field="commune")
    with transaction.atomic():
        team = CommunityTeam.objects.create(name=name.strip(), commune=commune, agency=agency)
        audit.record("accounts.team_created", obj=team, actor=actor, data={"commune": commune.code})
    return team


def end_helper(actor, helper: CommunityHelper) -> CommunityHelper:
    require(actor, "accounts.manage_team", helper.team)
    with transaction.atomic():
        helper = CommunityHelper.objects.select_for_update().get(pk=helper.pk)
        helper.valid_to = timezone.localdate()
        helper.save(update_fields=["valid_to"])
        audit.record(
            "accounts.helper_ended", obj=helper.team, actor=actor, data={"user": helper.user.username}
        )
    return helper


def register_helper(actor, team: CommunityTeam, person: User) -> CommunityHelper:
    require(actor, "accounts.manage_team", team)
    if person.kind != User.Kind.CITIZEN:
        raise ServiceError(_("Thành viên tổ công nghệ số cộng đồng dùng tài khoản công dân."), field="user")
    with transaction.atomic():
        helper, created = CommunityHelper.objects.get_or_create(team=team, user=person)
        if not created and helper.valid_to is not None:
            helper.valid_to = None
            helper.save(update_fields=["valid_to"])
        audit.record("accounts.helper_registered", obj=team, actor=actor, data={"user": person.username})
    return helper


def grant_consent(
    actor,
    *,
    citizen: User,
    helper: User,
    purpose: str,
    procedure_code: str = "",
    days: int | None = 30,
    paper_reference: str = "",
) -> AssistanceConsent:
    """Record a citizen's consent that `helper` may act for them (who, when, for what)."""
    require(actor, "accounts.record_consent", citizen)
    errors = {}
    if not (purpose or "").strip():
        errors["purpose"] = [_("Vui lòng ghi rõ mục đích của việc hỗ trợ.")]
    if citizen.kind != User.Kind.CITIZEN:
        errors["citizen"] = [_("Chỉ công dân mới ủy quyền hỗ trợ được.")]
    if helper.pk == citizen.pk:
        errors["helper"] = [_("Không thể tự ủy quyền cho chính mình.")]
    teams = list(active_helper_teams(helper)[:1])
    if not teams:
        errors["helper"] = [
            _("Người được chọn không phải thành viên tổ công nghệ số cộng đồng đang hoạt động.")
        ]
    by_citizen = actor.pk == citizen.pk
    if not by_citizen and not (paper_reference or "").strip():
        errors["paper_reference"] = [
            _("Cán bộ ghi nhận cần nhập số, ký hiệu giấy đồng ý có chữ ký của công dân.")
        ]
    if days is not None and not (1 <= int(days) <= 365):
        errors["days"] = [_("Thời hạn đồng ý từ 1 đến 365 ngày.")]
    if errors:
        raise InvalidFields(errors)
    now = timezone.now()
    with transaction.atomic():
        consent = AssistanceConsent.objects.create(
            citizen=citizen,
            helper=helper,
            team=teams[0],
            purpose=purpose.strip()[:300],
            procedure_code=(procedure_code or "").strip(),
            method=AssistanceConsent.Method.ONLINE if by_citizen else AssistanceConsent.Method.PAPER,
            paper_reference=(paper_reference or "").strip(),
            recorded_by=actor,
            granted_at=now,
            expires_at=now + datetime.timedelta(days=int(days)) if days else None,
        )
        audit.record(
            "accounts.consent_granted",
            obj=consent,
            actor=actor,
            data={
                "citizen": citizen.username,
                "helper": helper.username,
                "purpose": consent.purpose,
                "procedure_code": consent.procedure_code,
                "method": consent.method,
            },
        )
    return consent


def revoke_consent(actor, consent: AssistanceConsent) -> AssistanceConsent:
    require(actor, "accounts.revoke_consent", consent)
    with transaction.atomic():
        consent = AssistanceConsent.objects.select_for_update().get(pk=consent.pk)
        if consent.revoked_at is not None:
            raise ServiceError(_("Sự đồng ý này đã được thu hồi trước đó."))
        consent.revoked_at = timezone.now()
        consent.revoked_by = actor
        consent.save(update_fields=["revoked_at", "revoked_by"])
        audit.record("accounts.consent_revoked", obj=consent, actor=actor)
    return consent


def require_consent(helper, citizen, purpose: str = "") -> AssistanceConsent:
    """The active consent under which `helper` may act for `citizen` for `purpose` (a procedure code).

    Raises ConsentRequired (a core.errors.Forbidden, and a PermissionDenied) with a Vietnamese message otherwise.
    """
    if not is_helper(helper):
        raise ConsentRequired(_("Chỉ thành viên tổ công nghệ số cộng đồng mới được thao tác thay công dân."))
    now = timezone.now()
    candidates = AssistanceConsent.objects.filter(
        helper=helper, citizen=citizen, revoked_at__isnull=True
    ).filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
    for consent in candidates.select_related("team", "helper").order_by("-granted_at"):
        if consent.covers(purpose):
            return consent
    raise ConsentRequired(
        _(
            "Công dân %(citizen)s chưa đồng ý (hoặc đã thu hồi đồng ý) để %(helper)s thao tác thay cho việc này."
        )
        % {"citizen": citizen, "helper": helper}
    )


def record_assisted_action(consent: AssistanceConsent, action: str, obj=None) -> AssistedAction:
    """Count one action done under a consent; joins the caller's transaction (re-checks the consent)."""
    meta = getattr(obj, "_meta", None)
    with transaction.atomic():
        consent = (
            AssistanceConsent.objects.select_for_update(of=("self",))
            .select_related("helper", "citizen", "team")
            .get(pk=consent.pk)
        )
        if not consent.is_active():
            raise ConsentRequired(_("Sự đồng ý đã hết hạn hoặc đã bị thu hồi."))
        record = AssistedAction.objects.create(
            consent=consent,
            helper_id=consent.helper_id,
            citizen_id=consent.citizen_id,
            team_id=consent.team_id,
            action=action,
            object_type=meta.label_lower if meta else "",
            object_id=str(getattr(obj, "pk", "") or ""),
        )
        audit.record(
            "accounts.assisted_action",
            obj=obj,
            actor=consent.helper,
            data={"action": action, "consent": consent.pk, "citizen": consent.citizen.username},
        )
    return record


def assisted_label(consent: AssistanceConsent) -> str:
    return _("Nộp với sự hỗ trợ của %(helper)s (%(team)s)") % {"helper": consent.helper, "team": consent.team}


def assistance_counts(user, since=None):
    """Per team: helpers, active consents and assisted actions, for the teams the user may see."""
    teams = CommunityTeam.objects.all()
    if not is_sysadmin(user):
        visible = [t.pk for t in teams.select_related("agency") if _can_see_stats(user, t)]
        teams = teams.filter(pk__in=visible)
    action_filter = Q(actions__occurred_at__gte=since) if since else Q()
    now = timezone.now()
    return teams.annotate(
        action_count=Count("actions", filter=action_filter, distinct=True),
        consent_count=Count(
            "consents",
            filter=Q(consents__revoked_at__isnull=True)
            & (Q(consents__expires_at__isnull=True) | Q(consents__expires_at__gt=now)),
            distinct=True,
        ),
        helper_count=Count("helpers", distinct=True),
    ).select_related("commune", "agency")


def _can_see_stats(user, team) -> bool:
    return can(user, "accounts.view_assistance_stats", team)
