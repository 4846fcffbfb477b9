"""Use cases of the directory: agencies, staff roles and historical units.

Each runs in one transaction, checks permission (``core.permissions.require``: PermissionDenied),
writes an audit entry, and raises a ``core.errors.ServiceError`` (``InvalidFields`` for several fields
at once) with a Vietnamese message (and changes nothing) on bad input.
"""

from __future__ import annotations

import datetime
import secrets

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from congso.core import audit
from congso.core.errors import InvalidFields, ServiceError
from congso.core.permissions import require
from congso.core.text import ascii_digits

from .models import AGENCY_CODE_RE, AdministrativeUnit, Agency, Membership, Role

AGENCY_FIELDS = ("name", "short_name", "name_en", "kind", "address", "phone", "email", "is_active")
# The English texts are stored without the spaces around them, from a form or from the API alone.
STRIPPED_FIELDS = ("name_en", "position_en")


def _too_long(model, data: dict) -> dict:
    """Messages, by field, for the texts in ``data`` longer than ``model``'s column: one rule for the
    pages and the API (the column's max_length), refused before anything is written."""
    errors = {}
    for name, value in data.items():
        limit = getattr(model._meta.get_field(name), "max_length", None)
        if isinstance(value, str) and limit and len(value) > limit:
            label = model._meta.get_field(name).verbose_name
            errors[name] = [
                _("%(field)s dài tối đa %(limit)d ký tự (đang có %(count)d ký tự).")
                % {"field": str(label)[:1].upper() + str(label)[1:], "limit": limit, "count": len(value)}
            ]
    return errors


def normalise_agency_code(code: str) -> str:
    return (code or "").strip().upper()


def check_agency_code(code: str, *, exclude_pk=None) -> str:
    code = normalise_agency_code(code)
    if not AGENCY_CODE_RE.match(code):
        raise ServiceError(
            _("Mã định danh điện tử chỉ gồm chữ số, chữ in hoa A–Z và dấu chấm, tối đa 35 ký tự."),
            field="code",
        )
    if Agency.objects.filter(code=code).exclude(pk=exclude_pk).exists():
        raise ServiceError(
            _("Mã định danh %(code)s đã được dùng cho cơ quan khác.") % {"code": code}, field="code"
        )
    return code


def find_unit(code: str, day: datetime.date | None = None) -> AdministrativeUnit:
    """The unit with this official code valid on `day` (today by default)."""
    day = day or timezone.localdate()
    unit = (
        AdministrativeUnit.objects.filter(code=(code or "").strip(), valid_from__lte=day)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=day))
        .order_by("-valid_from")
        .first()
    )
    if unit is None:
        raise ServiceError(
            _("Không tìm thấy đơn vị hành chính có mã “%(code)s” còn hiệu lực.") % {"code": code},
            field="unit",
        )
    return unit


def _validate_fields(data: dict) -> dict:
    data = {k: v.strip() if k in STRIPPED_FIELDS and isinstance(v, str) else v for k, v in data.items()}
    errors = _too_long(Agency, data)
    if "name" in data and not (data["name"] or "").strip():
        errors["name"] = [_("Vui lòng nhập tên cơ quan.")]
    if "kind" in data and data["kind"] not in Agency.Kind.values:
        errors["kind"] = [_("Loại cơ quan không hợp lệ.")]
    if data.get("email"):
        try:
            validate_email(data["email"])
        except ValidationError:
            errors["email"] = [_("Địa chỉ thư điện tử không hợp lệ.")]
    if errors:
        raise InvalidFields(errors)
    return data


def create_agency(
    actor, *, code: str, name: str, kind: str, unit_code: str, parent: Agency | None = None, **fields
) -> Agency:
    require(actor, "directory.create_agency", parent)
    data = _validate_fields(
        {"name": name, "kind": kind, **{k: v for k, v in fields.items() if k in AGENCY_FIELDS}}
    )
    with transaction.atomic():
        code = check_agency_code(code)
        unit = find_unit(unit_code)
        try:
            with transaction.atomic():
                agency = Agency.objects.create(code=code, unit=unit, parent=parent, **data)
        except IntegrityError as exc:  # a concurrent insert of the same code
            raise ServiceError(
                _("Mã định danh %(code)s đã được dùng cho cơ quan khác.") % {"code": code}, field="code"
            ) from exc
        audit.record(
            "directory.agency_created",
            obj=agency,
            actor=actor,
            data={"code": code, "parent": parent.code if parent else None, "unit": unit.code},
        )
    return agency


def update_agency(actor, agency: Agency, *, unit_code: str | None = None, **fields) -> Agency:
    require(actor, "directory.manage_agency", agency)
    data = _validate_fields({k: v for k, v in fields.items() if k in AGENCY_FIELDS and v is not None})
    with transaction.atomic():
        agency = Agency.objects.select_for_update().get(pk=agency.pk)
        changes = {}
        if unit_code is not None and unit_code != agency.unit.code:
            unit = find_unit(unit_code)
            changes["unit"] = [agency.unit.code, unit.code]
            agency.unit = unit
        for field, value in data.items():
            if getattr(agency, field) != value:
                changes[field] = [getattr(agency, field), value]
                setattr(agency, field, value)
        if changes:
            agency.save()
            audit.record("directory.agency_updated", obj=agency, actor=actor, data=changes)
    return agency


def _positions(position: str, position_en: str) -> tuple[str, str]:
    """A membership's position and its English title as stored (the English one stripped), or
    ``InvalidFields`` when one is longer than its column."""
    position, position_en = position or "", (position_en or "").strip()
    errors = _too_long(Membership, {"position": position, "position_en": position_en})
    if errors:
        raise InvalidFields(errors)
    return position, position_en


def grant_role(
    actor,
    *,
    user,
    agency: Agency,
    role: str,
    position: str = "",
    position_en: str = "",
    include_subtree: bool = False,
    valid_from: datetime.date | None = None,
    valid_to: datetime.date | None = None,
) -> Membership:
    """Give ``user`` the role at ``agency`` (or change the role they hold there: a position left empty
    keeps the one they have, in either language)."""
    if role not in Role.values:
        raise ServiceError(_("Vai trò không hợp lệ."), field="role")
    candidate = Membership(user=user, agency=agency, role=role)
    require(actor, "directory.grant_role", candidate)
    position, position_en = _positions(position, position_en)
    if user.kind != get_user_model().Kind.OFFICIAL:
        raise ServiceError(_("Chỉ tài khoản cán bộ, công chức mới được phân công vai trò."), field="user")
    if valid_from and valid_to and valid_to <= valid_from:
        raise ServiceError(_("Ngày kết thúc phải sau ngày bắt đầu."), field="valid_to")
    with transaction.atomic():
        membership, created = Membership.objects.select_for_update().get_or_create(
            user=user,
            agency=agency,
            role=role,
            defaults={
                "position": position,
                "position_en": position_en,
                "include_subtree": include_subtree,
                "valid_from": valid_from or timezone.localdate(),
                "valid_to": valid_to,
            },
        )
        if not created:
            membership.position = position or membership.position
            membership.position_en = position_en or membership.position_en
            membership.include_subtree = include_subtree
            membership.valid_from = valid_from or membership.valid_from
            membership.valid_to = valid_to
            membership.save()
        audit.record(
            "directory.role_granted",
            obj=membership,
            actor=actor,
            data={
                "user": user.username,
                "agency": agency.code,
                "role": role,
                "include_subtree": include_subtree,
                "position": membership.position,
                "position_en": membership.position_en,
            },
        )
    return membership


def end_role(actor, membership: Membership) -> Membership:
    """End a role from today (kept for history, never deleted)."""
    require(actor, "directory.grant_role", membership)
    with transaction.atomic():
        membership = (
            Membership.objects.select_for_update().select_related("agency", "user").get(pk=membership.pk)
        )
        today = timezone.localdate()
        if membership.valid_to is not None and membership.valid_to <= today:
            raise ServiceError(_("Phân công này đã kết thúc."))
        membership.valid_to = today
        membership.save(update_fields=["valid_to"])
        audit.record(
            "directory.role_ended",
            obj=membership,
            actor=actor,
            data={
                "user": membership.user.username,
                "agency": membership.agency.code,
                "role": membership.role,
            },
        )
    return membership


def create_official(
    actor,
    *,
    agency: Agency,
    username: str,
    full_name: str,
    email: str,
    role: str,
    position: str = "",
    position_en: str = "",
    include_subtree: bool = False,
):
    """Create an official's account with a role; they set their password through the e-mailed link."""
    User = get_user_model()
    require(actor, "directory.grant_role", Membership(agency=agency, role=role))
    errors = {}
    try:
        position, position_en = _positions(position, position_en)
    except InvalidFields as exc:
        errors.update(exc.errors)
    username = (username or "").strip().lower()
    if not username or not all(c.isalnum() or c in "._-" for c in username) or not username.isascii():
        errors["username"] = [_("Tên đăng nhập chỉ gồm chữ không dấu, chữ số và các dấu . _ -")]
    elif User.objects.filter(username=username).exists():
        errors["username"] = [_("Tên đăng nhập này đã có người dùng.")]
    if not (full_name or "").strip():
        errors["full_name"] = [_("Vui lòng nhập họ và tên.")]
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = [_("Địa chỉ thư điện tử không hợp lệ.")]
    if errors:
        raise InvalidFields(errors)
    with transaction.atomic():
        user = User(username=username, full_name=full_name.strip(), email=email, kind=User.Kind.OFFICIAL)
        # A random secret nobody knows; the official sets their own through the e-mailed reset link.
        user.set_password(secrets.token_urlsafe(32))
        user.save()
        audit.record("accounts.official_created", obj=user, actor=actor, data={"agency": agency.code})
        membership = grant_role(
            actor,
            user=user,
            agency=agency,
            role=role,
            position=position,
            position_en=position_en,
            include_subtree=include_subtree,
        )
    return user, membership


def create_historical_unit(
    actor,
    *,
    code: str,
    name: str,
    kind: str,
    level: int,
    valid_from: datetime.date,
    valid_to: datetime.date,
    parent_code: str = "",
    replaced_by_code: str = "",
) -> AdministrativeUnit:
    """Record a unit that no longer exists (a district, a merged commune) so old records can name it."""
    require(actor, "directory.manage_units")
    errors = {}
    if not ascii_digits((code or "").strip()) or len(code.strip()) > 10:
        errors["code"] = [_("Mã đơn vị hành chính gồm tối đa 10 chữ số.")]
    if not (name or "").strip():
        errors["name"] = [_("Vui lòng nhập tên đơn vị.")]
    if kind not in AdministrativeUnit.Kind.values:
        errors["kind"] = [_("Loại đơn vị không hợp lệ.")]
    if level not in AdministrativeUnit.Level.values:
        errors["level"] = [_("Cấp đơn vị không hợp lệ.")]
    if not valid_from or not valid_to or valid_to <= valid_from:
        errors["valid_to"] = [_("Ngày hết hiệu lực phải sau ngày bắt đầu hiệu lực.")]
    if errors:
        raise InvalidFields(errors)
    with transaction.atomic():
        parent = None
        if parent_code:
            parent = (
                AdministrativeUnit.objects.filter(code=parent_code.strip()).order_by("valid_from").first()
            )
            if parent is None:
                raise ServiceError(
                    _("Không tìm thấy đơn vị hành chính có mã “%(code)s”.") % {"code": parent_code},
                    field="unit",
                )
        replaced_by = find_unit(replaced_by_code) if replaced_by_code else None
        if AdministrativeUnit.objects.filter(code=code.strip(), valid_from=valid_from).exists():
            raise ServiceError(
                _("Đơn vị mã %(code)s với ngày hiệu lực này đã có.") % {"code": code}, field="code"
            )
        unit = AdministrativeUnit(
            code=code.strip(),
            name=name.strip(),
            kind=kind,
            level=level,
            parent=parent,
            valid_from=valid_from,
            valid_to=valid_to,
            replaced_by=replaced_by,
        )
        unit.save()
        audit.record(
            "directory.unit_created",
            obj=unit,
            actor=actor,
            data={"code": unit.code, "valid_from": valid_from, "valid_to": valid_to},
        )
    return unit
