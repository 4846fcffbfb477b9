"""The units figures are computed for: an agency (with its sub-tree), a commune (every agency on its
territory), the province (every agency in it), a procedure or a field (lĩnh vực), and the periods."""

from __future__ import annotations

import calendar as pycalendar
import datetime as dt
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from congso.catalog.models import Procedure, ProcedureField
from congso.core.errors import NotFound, ServiceError
from congso.core.forms import parse_day
from congso.directory.models import AdministrativeUnit, Agency
from congso.directory.selectors import agency_by_code

from .indicators import UNIT_KINDS, Period

COMMUNE_KINDS = (
    AdministrativeUnit.Kind.COMMUNE,
    AdministrativeUnit.Kind.WARD,
    AdministrativeUnit.Kind.SPECIAL_ZONE,
)
PROVINCE_KINDS = (AdministrativeUnit.Kind.PROVINCE, AdministrativeUnit.Kind.CITY)
UNIT_KIND_LABELS = {
    "agency": "Cơ quan",
    "commune": "Xã, phường",
    "province": "Tỉnh",
    "procedure": "Thủ tục",
    "field": "Lĩnh vực",
}
PERIOD_KINDS = ("day", "month", "quarter", "year", "custom")
MAX_CUSTOM_DAYS = 3 * 366


@dataclass(frozen=True)
class Unit:
    kind: str
    code: str
    name: str
    agency_ids: frozenset[int] | None = None  # None: every agency
    procedure_ids: frozenset[int] | None = None  # None: every procedure
    root: Agency | None = None  # whose scope covers the unit's dossiers (drill-down)
    province_code: str = ""

    def fact_filter(self, prefix: str = "") -> Q:
        q = Q()
        if self.agency_ids is not None:
            q &= Q(**{f"{prefix}agency_id__in": sorted(self.agency_ids)})
        if self.procedure_ids is not None:
            q &= Q(**{f"{prefix}procedure_id__in": sorted(self.procedure_ids)})
        return q


def _ids(qs) -> frozenset[int]:
    return frozenset(qs.values_list("pk", flat=True))


def _province_pc(province: AdministrativeUnit) -> Agency | None:
    return (
        Agency.objects.filter(unit=province, kind=Agency.Kind.PEOPLES_COMMITTEE, parent__isnull=True)
        .order_by("pk")
        .first()
    )


def province_agencies(province: AdministrativeUnit):
    return Agency.objects.filter(Q(unit=province) | Q(unit__parent=province))


def resolve(kind: str, code: str) -> Unit:
    """The unit of ``kind`` with ``code``; NotFound (a Vietnamese message) when there is none."""
    code = (code or "").strip()
    if kind not in UNIT_KINDS:
        raise ServiceError(_("Loại đơn vị không hợp lệ: %(kind)s.") % {"kind": kind}, field="unit_kind")
    if kind == "agency":
        agency = agency_by_code(code)
        if agency is None:
            raise NotFound(_("Không tìm thấy cơ quan %(code)s.") % {"code": code})
        province = agency.unit if agency.unit.kind in PROVINCE_KINDS else agency.unit.parent
        return Unit(
            kind,
            agency.code,
            agency.name,
            agency_ids=_ids(agency.subtree()),
            root=agency,
            province_code=province.code if province else "",
        )
    if kind in ("commune", "province"):
        kinds = COMMUNE_KINDS if kind == "commune" else PROVINCE_KINDS
        unit = (
            AdministrativeUnit.objects.filter(code=code, kind__in=kinds, valid_to__isnull=True)
            .select_related("parent")
            .first()
        )
        if unit is None:
            raise NotFound(_("Không tìm thấy đơn vị hành chính %(code)s.") % {"code": code})
        if kind == "commune":
            agencies = Agency.objects.filter(unit=unit)
            root = agencies.filter(kind=Agency.Kind.PEOPLES_COMMITTEE).order_by("pk").first()
            province_code = unit.parent.code if unit.parent else ""
        else:
            agencies = province_agencies(unit)
            root = _province_pc(unit)
            province_code = unit.code
        return Unit(
            kind, unit.code, unit.name, agency_ids=_ids(agencies), root=root, province_code=province_code
        )
    if kind == "procedure":
        procedure = Procedure.objects.filter(code=code).first()
        if procedure is None:
            raise NotFound(_("Không tìm thấy thủ tục %(code)s.") % {"code": code})
        return Unit(kind, procedure.code, procedure.name, procedure_ids=frozenset([procedure.pk]))
    pf = ProcedureField.objects.filter(pk=int(code)).first() if code.isdigit() else None
    if pf is None:
        raise NotFound(_("Không tìm thấy lĩnh vực %(code)s.") % {"code": code})
    return Unit(kind, str(pf.pk), pf.name, procedure_ids=_ids(Procedure.objects.filter(field=pf)))


def default_province() -> AdministrativeUnit | None:
    """The province the platform serves: the one of the first top-level People's Committee."""
    pc = (
        Agency.objects.filter(
            parent__isnull=True, kind=Agency.Kind.PEOPLES_COMMITTEE, unit__kind__in=PROVINCE_KINDS
        )
        .select_related("unit")
        .order_by("pk")
        .first()
    )
    return pc.unit if pc else None


def _parse_day(value, name: str) -> dt.date:
    try:
        day = parse_day(value)
    except ValueError:
        day = None
    if day is None:
        raise ServiceError(
            _("Ngày không hợp lệ (ngày/tháng/năm hoặc yyyy-mm-dd): %(value)s.") % {"value": value}, field=name
        )
    return day


def period(kind: str = "year", at=None, start=None, end=None) -> Period:
    """The period of ``kind`` containing the day ``at`` (today by default), or the custom range
    [start, end] (both days included, at most three years)."""
    kind = kind or "year"
    if kind not in PERIOD_KINDS:
        raise ServiceError(_("Kỳ không hợp lệ: %(kind)s.") % {"kind": kind}, field="period")
    if kind == "custom":
        if not start or not end:
            raise ServiceError(_("Kỳ tùy chọn cần cả ngày bắt đầu và ngày kết thúc."), field="start")
        first, last = _parse_day(start, "start"), _parse_day(end, "end")
        if last < first:
            raise ServiceError(_("Ngày kết thúc phải sau ngày bắt đầu."), field="end")
        if (last - first).days > MAX_CUSTOM_DAYS:
            raise ServiceError(_("Kỳ tùy chọn dài tối đa 3 năm."), field="end")
        return Period(first, last, kind, f"{first:%d/%m/%Y} – {last:%d/%m/%Y}")
    day = _parse_day(at, "at") if at else timezone.localdate()
    if kind == "day":
        return Period(day, day, kind, f"{day:%d/%m/%Y}")
    if kind == "month":
        last = pycalendar.monthrange(day.year, day.month)[1]
        return Period(day.replace(day=1), day.replace(day=last), kind, f"{day:%m/%Y}")
    if kind == "quarter":
        q = (day.month - 1) // 3
        first = dt.date(day.year, q * 3 + 1, 1)
        last_month = q * 3 + 3
        last = dt.date(day.year, last_month, pycalendar.monthrange(day.year, last_month)[1])
        return Period(first, last, kind, _("Quý %(q)s/%(y)s") % {"q": q + 1, "y": day.year})
    return Period(dt.date(day.year, 1, 1), dt.date(day.year, 12, 31), kind, _("Năm %(y)s") % {"y": day.year})


def months_back(n: int, today: dt.date | None = None) -> list[Period]:
    """The last ``n`` months, oldest first, ending with the current one."""
    today = today or timezone.localdate()
    y, m = today.year, today.month
    out = []
    for _i in range(n):
        out.append(period("month", dt.date(y, m, 1)))
        m -= 1
        if m == 0:
            y, m = y - 1, 12
    return list(reversed(out))
