"""Administration of the working-day calendar (ADR 0040): extra days off, make-up working days and
office hours, nationwide or per province.

Permission ``core.manage_calendar`` on the province (``permissions.py``: system administrators
everywhere and nationwide; agency administrators of a province's People's Committee or root agency for
that province); audited, one transaction each:

    services.set_exception(actor, day, kind, reason, unit=None)   -> CalendarException
    services.remove_exception(actor, day, unit=None)
    services.set_office_hours(actor, unit=None, morning_start=..., ...) -> OfficeHours
    services.may_manage(user, unit=None | "any")   -> bool
    services.manageable_provinces(user)            -> provinces the user may change

Each save or delete bumps the calendar's revision (``cache.py``), so every process recomputes.
Errors are ``engine.CalendarError`` with a Vietnamese message, or ``PermissionDenied``.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction

from congso.core import audit
from congso.core.permissions import can, require
from congso.directory.models import AdministrativeUnit
from congso.directory.scope import is_sysadmin

from .engine import CalendarError
from .models import CalendarException, OfficeHours
from .permissions import administered_province_ids

# The audit trail keeps the names it had when the calendar lived in core: its actions
# ("core.calendar_exception_set", …) and the object types of its rows, so that one search finds a
# province's calendar history before and after the move (the chain itself never changes).
AUDIT_TYPES = {"exception": "core.calendarexception", "office_hours": "core.officehours"}

__all__ = [
    "manageable_provinces",
    "may_manage",
    "remove_exception",
    "set_exception",
    "set_office_hours",
    "shows_menu_link",
]


def manageable_provinces(user):
    """The provinces whose calendar ``user`` may change (a queryset of AdministrativeUnit; every
    province for a system administrator). For a page's province selector."""
    provinces = AdministrativeUnit.objects.filter(level=1).order_by("code")
    if is_sysadmin(user):
        return provinces
    return provinces.filter(pk__in=administered_province_ids(user))


def may_manage(user, unit=None) -> bool:
    """May ``user`` change the calendar of ``unit`` (a province: unit, pk or code; None: nationwide)?
    With ``unit="any"``: of at least one province (to show or hide the editing page)."""
    if unit == "any":
        return is_sysadmin(user) or bool(administered_province_ids(user))
    try:
        province = _province_for_admin(unit)
    except CalendarError:
        return False
    return can(user, "core.manage_calendar", province)


def _require_manage(actor, unit):
    """The province row (None: nationwide) an administrator's change applies to, once allowed.
    Someone who may change no calendar at all is refused before their input is looked at."""
    if not may_manage(actor, "any"):
        require(actor, "core.manage_calendar", None)
    province = _province_for_admin(unit)
    require(actor, "core.manage_calendar", province)
    return province


def _province_for_admin(unit):
    """The province row an administrator's change applies to (None: nationwide)."""
    if unit is None:
        return None
    if isinstance(unit, AdministrativeUnit):
        node = unit
    elif isinstance(unit, int) and not isinstance(unit, bool):
        node = AdministrativeUnit.objects.filter(pk=unit).first()
    elif isinstance(unit, str):
        node = (
            AdministrativeUnit.objects.filter(code=unit, valid_to__isnull=True).first()
            or AdministrativeUnit.objects.filter(code=unit).order_by("-valid_from").first()
        )
    else:
        raise CalendarError("Đơn vị hành chính không hợp lệ.")
    if node is None:
        raise CalendarError(f"Không tìm thấy đơn vị hành chính {unit}.")
    if node.level != AdministrativeUnit.Level.PROVINCE:
        raise CalendarError("Chỉ khai báo lịch cho cả nước hoặc cho một tỉnh, thành phố.")
    return node


def set_exception(actor, day: dt.date, kind: str, reason: str, unit=None):
    """Declare (or change) an extra day off or a make-up working day, nationwide or for a province."""
    province = _require_manage(actor, unit)
    if kind not in CalendarException.Kind.values:
        raise CalendarError("Loại ngày phải là ngày nghỉ hoặc ngày làm việc bù.")
    reason = (reason or "").strip()
    if not reason:
        raise CalendarError("Hãy ghi lý do hoặc căn cứ (ví dụ số văn bản của Chính phủ).")
    if not isinstance(day, dt.date) or isinstance(day, dt.datetime):
        raise CalendarError("Ngày không hợp lệ.")
    with transaction.atomic():
        row = CalendarException.objects.select_for_update().filter(unit=province, date=day).first()
        before = None
        if row is None:
            row = CalendarException(unit=province, date=day)
        else:
            before = {"kind": row.kind, "reason": row.reason}
        row.kind, row.reason = kind, reason[:300]
        row.save()  # the post_save signal bumps the calendar revision
        audit.record(
            "core.calendar_exception_set",
            obj=row,
            object_type=AUDIT_TYPES["exception"],
            actor=actor,
            data={
                "date": day.isoformat(),
                "kind": kind,
                "reason": row.reason,
                "unit": province.code if province else None,
                "before": before,
            },
        )
    return row


def remove_exception(actor, day: dt.date, unit=None) -> bool:
    """Remove a declared day; returns False when there was none."""
    province = _require_manage(actor, unit)
    with transaction.atomic():
        row = CalendarException.objects.select_for_update().filter(unit=province, date=day).first()
        if row is None:
            return False
        data = {
            "date": day.isoformat(),
            "kind": row.kind,
            "reason": row.reason,
            "unit": province.code if province else None,
        }
        audit.record(
            "core.calendar_exception_remove",
            obj=row,
            object_type=AUDIT_TYPES["exception"],
            actor=actor,
            data=data,
        )
        row.delete()  # the post_delete signal bumps the calendar revision
    return True


def set_office_hours(actor, unit=None, **values):
    """Set the office hours of a province (or the nationwide default). Unknown fields are refused."""
    province = _require_manage(actor, unit)
    allowed = {"morning_start", "morning_end", "afternoon_start", "afternoon_end", "receipt_cutoff"}
    unknown = set(values) - allowed
    if unknown:
        raise CalendarError(f"Trường không hợp lệ: {', '.join(sorted(unknown))}.")
    with transaction.atomic():
        row = OfficeHours.objects.select_for_update().filter(unit=province).first()
        if row is None:
            # A province's new row starts from the nationwide hours, then takes the given values.
            base = OfficeHours.objects.filter(unit__isnull=True).first() if province is not None else None
            row = OfficeHours(unit=province)
            if base is not None:
                for name in allowed:
                    setattr(row, name, getattr(base, name))
        for name, value in values.items():
            setattr(row, name, value)
        try:
            row.full_clean()
        except ValidationError as exc:
            raise CalendarError(" ".join(exc.messages)) from None
        row.save()  # the post_save signal bumps the calendar revision
        audit.record(
            "core.office_hours_set",
            obj=row,
            object_type=AUDIT_TYPES["office_hours"],
            actor=actor,
            data={name: (value.isoformat() if value else None) for name, value in values.items()}
            | {"unit": province.code if province else None},
        )
    return row


def shows_menu_link(user) -> bool:
    """The account menu's link to /lich-lam-viec/: for officials who may change at least one calendar."""
    return bool(getattr(user, "is_official", False) and may_manage(user, "any"))
