"""Use cases of the catalogue, and the service API other apps use (dossiers, portal).

``effective_terms(procedure, agency, version=…)`` is what a dossier needs: for each submission channel
the time limit and fee that apply at that agency (its shorter local time and local fee where allowed)
under the version the dossier was filed under, whether online filing is open, and where to file in
person.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from congso.core import audit
from congso.core.compiled import CompiledQuery, fields_of
from congso.core.errors import Conflict, InvalidFields, NotFound, ServiceError
from congso.core.permissions import require

from . import consistency, hooks, importer, limits
from .models import (
    LOCAL_FEE_CHANNELS,
    Channel,
    ConsistencyDifference,
    ConsistencyReport,
    Currency,
    Offering,
    OnlineLevel,
    Procedure,
    TimeUnit,
)

AGENCY_LEVEL = {1: "province", 2: "district", 3: "commune"}

# Refusals of the permission checks below (PermissionDenied, 403 in pages and the API).
FORBIDDEN_OFFERINGS = _lazy("Bạn không có quyền quản lý thủ tục của cơ quan này.")
FORBIDDEN_PROCEDURES = _lazy("Chỉ quản trị viên hệ thống mới sửa được thủ tục trong danh mục.")


@dataclass
class ChannelTerms:
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
    description: str = ""

    @property
    def limit(self) -> limits.TimeLimit | None:
        """The channel's resolved time limit (ADR 0143), or None."""
        return limits.resolve(self.time_value, self.time_unit, is_local=self.time_is_local)

    @property
    def states_time(self) -> bool:
        return limits.states_time(self.time_value, self.time_unit)


@dataclass
class EffectiveTerms:
    procedure: Procedure
    version_id: int | None
    version_number: int | None
    agency: object | None
    offered: bool
    online_open: bool
    counters: str
    channels: list[ChannelTerms] = field(default_factory=list)

    def channel(self, code: str) -> ChannelTerms | None:
        return next((c for c in self.channels if c.channel == code), None)

    def time_limit(self, code: str) -> limits.TimeLimit | None:
        """The limit a dossier filed by channel ``code`` gets: the channel's own; when the record states
        no time at all for it, the first other channel's that resolves. A channel stating a number
        without a unit does not borrow another's: its limit is unknown (ADR 0143)."""
        own = self.channel(code)
        if own is not None and own.states_time:
            return own.limit
        return next((c.limit for c in self.channels if c.limit is not None), None)

    @property
    def limit_unresolved(self) -> bool:
        """True when a dossier of some channel of the procedure would get no limit."""
        if not self.channels:
            return True
        return any(self.time_limit(c.channel) is None for c in self.channels)


def require_time_limit(terms: EffectiveTerms, channel: str) -> limits.TimeLimit:
    """The limit of a dossier filed by ``channel``, or ServiceError when it cannot be resolved: a
    dossier is never received without an appointment date (ADR 0143)."""
    limit = terms.time_limit(channel)
    if limit is None:
        raise ServiceError(
            limits.unresolved_message(terms.procedure, terms.agency),
            code="time_limit_unresolved",
        )
    return limit


def get_procedure(code: str) -> Procedure:
    procedure = (
        Procedure.objects.select_related("current_version", "field").filter(code=code, is_active=True).first()
    )
    if procedure is None or procedure.current_version is None:
        raise Procedure.DoesNotExist(_("Không tìm thấy thủ tục có mã %(code)s.") % {"code": code[:40]})
    return procedure


# read at every filing and counter receipt: compiled once (congso.core.compiled)
_OFFERING = CompiledQuery(
    lambda procedure_id, agency_id: (
        Offering.objects.filter(procedure_id=procedure_id, agency_id=agency_id, is_active=True)
        .order_by("pk")
        .values_list(*fields_of(Offering))[:1]
    ),
    model=Offering,
)


def offering_for(procedure: Procedure, agency) -> Offering | None:
    """The agency's active offering of the procedure, or None."""
    if agency is None:
        return None
    found = _OFFERING.instances(procedure.pk, agency.pk)
    return found[0] if found else None


_LOAD = object()


def effective_terms(procedure: Procedure, agency=None, *, version=None, offering=_LOAD) -> EffectiveTerms:
    """Time, fee and channels of a procedure at an agency (national terms when agency is None).

    ``version``: the ``ProcedureVersion`` whose national terms apply — a dossier's terms come from the
    version it was filed under, not from a later re-import (default: the current version). The
    agency's local settings (its offering) are today's.
    ``offering``: the agency's active offering (or None) when the caller has already loaded it."""
    if version is None:
        version = procedure.current_version if procedure.current_version_id else None
    elif version.procedure_id != procedure.pk:
        raise ValueError(f"version {version.pk} is not a version of procedure {procedure.code}")
    content = version.content if version is not None else {}
    if offering is _LOAD:
        offering = offering_for(procedure, agency)
    online_open = bool(offering and offering.online_open and procedure.online_level != OnlineLevel.INFO)
    terms = EffectiveTerms(
        procedure=procedure,
        version_id=version.pk if version is not None else None,
        version_number=version.number if version is not None else None,
        agency=agency,
        offered=offering is not None,
        online_open=online_open,
        counters=(offering.counters if offering else "") or content.get("receiving_address", ""),
    )
    for row in content.get("channels", []):
        time = row.get("time") or {}
        fee = row.get("fee") or {}
        amount = fee.get("amount")
        item = ChannelTerms(
            channel=row["channel"],
            available=True if agency is None else offering is not None,
            time_value=time.get("value"),
            time_unit=time.get("unit", ""),
            time_is_local=False,
            fee_kind=fee.get("kind", "unknown"),
            fee_amount=Decimal(amount) if amount not in (None, "") else None,
            fee_currency=fee.get("currency", ""),
            fee_description=fee.get("description", ""),
            fee_is_local=False,
            description=row.get("description", ""),
        )
        if row["channel"] == Channel.ONLINE and agency is not None:
            item.available = online_open
        if offering and offering.local_time_value is not None:
            value = offering.local_time_value
            item.time_value = int(value) if value == value.to_integral_value() else float(value)
            item.time_unit = offering.local_time_unit
            item.time_is_local = True
        local = offering.local_fee(row["channel"]) if offering else None
        if local is not None:
            amount, currency = local
            item.fee_kind = "free" if amount == 0 else "amount"
            item.fee_amount = amount
            item.fee_currency = currency
            item.fee_description = offering.local_fee_note or item.fee_description
            item.fee_is_local = True
        terms.channels.append(item)
    return terms


def unresolved_offerings(agency) -> list[Offering]:
    """The agency's active offerings whose time limit does not resolve (ADR 0143): flagged to its
    administrator, and refused at receipt until the local limit is set."""
    offerings = (
        Offering.objects.filter(agency=agency, is_active=True)
        .select_related("procedure__current_version", "procedure__field")
        .order_by("procedure__code")
    )
    return [o for o in offerings if effective_terms(o.procedure, agency, offering=o).limit_unresolved]


# --- managing offerings --------------------------------------------------------------------------


def _decimal(value, label) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value).replace(",", "."))
    except InvalidOperation:
        raise ServiceError(_("Giá trị phải là một số."), field=label) from None
    if not number.is_finite():
        raise ServiceError(_("Giá trị phải là một số."), field=label)
    if number < 0:
        raise ServiceError(_("Giá trị không được âm."), field=label)
    return number


CHANNEL_NAMES = {
    "in_person": _lazy("nộp trực tiếp"),
    "online": _lazy("nộp trực tuyến"),
    "post": _lazy("nộp qua dịch vụ bưu chính"),
}


def _clean_local_fees(procedure: Procedure, data: dict, cleaned: dict, errors: dict) -> None:
    """A local fee per channel (``local_fee_<channel>`` and ``local_fee_<channel>_currency``).

    ``local_fee_amount`` (one fee in đồng for every channel the procedure has, as before) is still
    read when no channel's own fee is given."""
    given = {c: data.get(f"local_fee_{c}") for c in LOCAL_FEE_CHANNELS}
    currencies = {c: (data.get(f"local_fee_{c}_currency") or Currency.VND) for c in LOCAL_FEE_CHANNELS}
    channels = {row.get("channel") for row in procedure.content.get("channels", [])}
    if all(v in (None, "") for v in given.values()) and data.get("local_fee_amount") not in (None, ""):
        for channel in channels & set(LOCAL_FEE_CHANNELS):
            given[channel], currencies[channel] = data["local_fee_amount"], Currency.VND
    allowed = procedure.local_fee_allowed
    for channel in LOCAL_FEE_CHANNELS:
        key = f"local_fee_{channel}"
        cleaned[key], cleaned[f"{key}_currency"] = None, Currency.VND
        try:
            amount = _decimal(given[channel], key)
        except ServiceError as exc:
            errors.update(exc.errors)
            continue
        currency = str(currencies[channel]).strip().upper()
        if currency not in Currency.values:
            errors.setdefault(f"{key}_currency", []).append(_("Đơn vị tiền phải là VND, USD hoặc EUR."))
            continue
        cleaned[f"{key}_currency"] = currency
        if amount is None:
            continue
        if not allowed:
            errors.setdefault(key, []).append(
                _(
                    "Mức phí, lệ phí của thủ tục này do trung ương quy định; cơ quan chỉ tự đặt được khi "
                    "pháp luật cho phép Hội đồng nhân dân tỉnh quyết định mức thu."
                )
            )
        elif channel not in channels:
            errors.setdefault(key, []).append(
                _("Thủ tục này không có hình thức %(channel)s nên không đặt mức thu cho hình thức này được.")
                % {"channel": CHANNEL_NAMES[channel]}
            )
        elif amount >= Decimal("1e14"):
            errors.setdefault(key, []).append(_("Mức thu quá lớn."))
        elif amount != amount.quantize(Decimal(1) if currency == Currency.VND else Decimal("0.01")):
            errors.setdefault(key, []).append(
                _("Mức thu bằng đồng phải là số nguyên.")
                if currency == Currency.VND
                else _("Mức thu chỉ có tối đa hai chữ số thập phân.")
            )
        else:
            cleaned[key] = amount


def _clean_local_time(procedure: Procedure, cleaned: dict, errors: dict) -> None:
    """The local time limit: a value with its unit, or one of the units that count nothing ("trả
    ngay", "trong ngày", stored with 0). Never longer than the national limit it can be compared with;
    where the national one does not resolve (no unit), the local one is what makes it known."""
    value, unit = cleaned["local_time_value"], cleaned["local_time_unit"]
    if unit in limits.INSTANT_UNITS:
        cleaned["local_time_value"] = value = Decimal(0)
    if value is None:
        cleaned["local_time_unit"] = ""
        return
    if unit not in TimeUnit.values:
        errors.setdefault("local_time_unit", []).append(_("Chọn đơn vị của thời hạn giải quyết."))
        return
    if value == 0 and unit not in limits.INSTANT_UNITS:
        errors.setdefault("local_time_value", []).append(_("Thời hạn giải quyết phải lớn hơn 0."))
        return
    local = limits.resolve(value, unit)
    national = [
        found
        for row in procedure.content.get("channels", [])
        if (
            found := limits.resolve((row.get("time") or {}).get("value"), (row.get("time") or {}).get("unit"))
        )
    ]
    unitless = [
        (row.get("time") or {}).get("value")
        for row in procedure.content.get("channels", [])
        if not (row.get("time") or {}).get("unit") and (row.get("time") or {}).get("value") is not None
    ]
    odd = [
        (row.get("time") or {}).get("unit")
        for row in procedure.content.get("channels", [])
        if (row.get("time") or {}).get("unit") and (row.get("time") or {}).get("unit") not in TimeUnit.values
    ]
    if odd:  # content stored before units were checked: say so rather than compare
        errors.setdefault("local_time_unit", []).append(
            _("Thời hạn của thủ tục tính bằng %(unit)s; hãy dùng cùng đơn vị.") % {"unit": odd[0]}
        )
        return
    compared = [(n, limits.not_longer_than(local, n)) for n in national]
    longer = [n for n, ok in compared if ok is False]
    comparable = [n for n, ok in compared if ok is not None]
    if longer:
        shortest = min(longer, key=lambda n: n.value)
        errors.setdefault("local_time_value", []).append(
            _("Thời hạn tại địa phương chỉ được ngắn hơn hoặc bằng thời hạn luật định (%(limit)s).")
            % {"limit": str(shortest)}
        )
    elif national and not comparable:
        errors.setdefault("local_time_unit", []).append(
            _("Thời hạn của thủ tục tính bằng %(unit)s; hãy dùng cùng đơn vị.")
            % {"unit": TimeUnit(national[0].unit).label}
        )
    elif not national and unitless and not local.is_instant and value > Decimal(str(min(unitless))):
        # the record's number without a unit still bounds the local one
        errors.setdefault("local_time_value", []).append(
            _("Thời hạn tại địa phương chỉ được ngắn hơn hoặc bằng thời hạn luật định (%(value)s).")
            % {"value": min(unitless)}
        )


def validate_offering(procedure: Procedure, agency, data: dict) -> dict:
    """Check local settings against the national record. Returns cleaned values or raises InvalidFields."""
    errors: dict[str, list[str]] = {}
    cleaned = {
        "is_active": bool(data.get("is_active", True)),
        "online_open": bool(data.get("online_open", False)),
        "counters": (data.get("counters") or "").strip()[:2000],
        "local_fee_note": (data.get("local_fee_note") or "").strip()[:500],
        "local_decision": (data.get("local_decision") or "").strip()[:200],
        "local_time_unit": (data.get("local_time_unit") or "").strip(),
    }
    try:
        cleaned["local_time_value"] = _decimal(data.get("local_time_value"), "local_time_value")
    except ServiceError as exc:
        errors.update(exc.errors)
        cleaned["local_time_value"] = None
    _clean_local_fees(procedure, data, cleaned, errors)

    levels = procedure.level_list
    agency_level = AGENCY_LEVEL.get(getattr(agency.unit, "level", None))
    if levels and agency_level and agency_level not in levels and "other" not in levels:
        errors.setdefault("__all__", []).append(
            _("Thủ tục này không thực hiện ở %(level)s nên cơ quan không thể cung cấp.")
            % {"level": _("cấp tỉnh") if agency_level == "province" else _("cấp xã")}
        )
    _clean_local_time(procedure, cleaned, errors)
    if cleaned["online_open"] and procedure.online_level == OnlineLevel.INFO:
        errors.setdefault("online_open", []).append(
            _("Thủ tục này chưa có hình thức nộp trực tuyến nên không thể mở nộp hồ sơ trực tuyến.")
        )
    if errors:
        raise InvalidFields(errors)
    return cleaned


def save_offering(user, agency, procedure: Procedure, data: dict) -> Offering:
    """Create or change an agency's offering of a procedure."""
    with transaction.atomic():
        require(user, "catalog.manage_offerings", agency, str(FORBIDDEN_OFFERINGS))
        if not agency.is_active:
            raise ServiceError(_("Cơ quan đã ngừng hoạt động."))
        cleaned = validate_offering(procedure, agency, data)
        offering = Offering.objects.select_for_update().filter(agency=agency, procedure=procedure).first()
        if cleaned["is_active"]:
            probe = Offering(agency=agency, procedure=procedure, **cleaned)
            if effective_terms(procedure, agency, offering=probe).limit_unresolved:
                raise InvalidFields({"local_time_unit": [limits.unresolved_message(procedure)]})
        created = offering is None
        before = {}
        if offering is None:
            offering = Offering(agency=agency, procedure=procedure)
        else:
            before = {k: str(getattr(offering, k)) for k in cleaned}
        for key, value in cleaned.items():
            setattr(offering, key, value)
        offering.updated_by = user
        offering.save()
        audit.record(
            "catalog.offering.create" if created else "catalog.offering.update",
            obj=offering,
            actor=user,
            data={"agency": agency.code, "procedure": procedure.code, "before": before}
            | {"after": {k: str(v) for k, v in cleaned.items()}},
        )
        return offering


def withdraw_offering(user, agency, procedure: Procedure) -> None:
    with transaction.atomic():
        require(user, "catalog.manage_offerings", agency, str(FORBIDDEN_OFFERINGS))
        offering = Offering.objects.select_for_update().filter(agency=agency, procedure=procedure).first()
        if offering is None or not offering.is_active:
            raise ServiceError(_("Cơ quan chưa cung cấp thủ tục này."))
        offering.is_active = False
        offering.online_open = False
        offering.updated_by = user
        offering.save(update_fields=["is_active", "online_open", "updated_by", "updated_at"])
        audit.record(
            "catalog.offering.withdraw",
            obj=offering,
            actor=user,
            data={"agency": agency.code, "procedure": procedure.code},
        )


# --- administrators' corrections of a procedure (kept by every later import) ------------------------


def _locked_procedure(procedure: Procedure) -> Procedure:
    return (
        Procedure.objects.select_for_update(of=("self",))
        .select_related("current_version")
        .get(pk=procedure.pk)
    )


def _state(procedure: Procedure) -> dict:
    return {
        "is_active": procedure.is_active,
        "online_level": procedure.online_level,
        "online_level_override": procedure.online_level_override,
    }


def withdraw_procedure(user, procedure: Procedure, reason: str) -> Procedure:
    """Withdraw a procedure from the catalogue (search, pages, API, online filing); imports keep it so."""
    with transaction.atomic():
        require(user, "catalog.manage_procedures", procedure, str(FORBIDDEN_PROCEDURES))
        reason = (reason or "").strip()[:500]
        if not reason:
            raise ServiceError(_("Cần nêu lý do thu hồi thủ tục."), field="reason")
        procedure = _locked_procedure(procedure)
        if procedure.withdrawn_at is not None:
            raise ServiceError(_("Thủ tục %(code)s đã bị thu hồi.") % {"code": procedure.code})
        before = _state(procedure)
        procedure.withdrawn_at = timezone.now()
        procedure.withdrawn_by = user
        procedure.withdrawal_reason = reason
        procedure.apply_state()
        procedure.save(
            update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_reason", "is_active", "updated_at"]
        )
        audit.record(
            "catalog.procedure.withdraw",
            obj=procedure,
            actor=user,
            data={"code": procedure.code, "reason": reason, "before": before, "after": _state(procedure)},
        )
        hooks.procedure_changed.fire(procedure=procedure, change="catalog.procedure.withdraw", actor=user)
        return procedure


def restore_procedure(user, procedure: Procedure) -> Procedure:
    """Put a withdrawn procedure back into the catalogue."""
    with transaction.atomic():
        require(user, "catalog.manage_procedures", procedure, str(FORBIDDEN_PROCEDURES))
        procedure = _locked_procedure(procedure)
        if procedure.withdrawn_at is None:
            raise ServiceError(_("Thủ tục %(code)s đang được áp dụng.") % {"code": procedure.code})
        before = _state(procedure) | {"withdrawn_at": procedure.withdrawn_at.isoformat()}
        procedure.withdrawn_at = None
        procedure.withdrawn_by = None
        procedure.withdrawal_reason = ""
        procedure.apply_state()
        procedure.save(
            update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_reason", "is_active", "updated_at"]
        )
        audit.record(
            "catalog.procedure.restore",
            obj=procedure,
            actor=user,
            data={"code": procedure.code, "before": before, "after": _state(procedure)},
        )
        hooks.procedure_changed.fire(procedure=procedure, change="catalog.procedure.restore", actor=user)
        return procedure


def set_online_level(user, procedure: Procedure, level: str | None) -> Procedure:
    """Correct a procedure's online service level; an empty level goes back to what its record says."""
    with transaction.atomic():
        require(user, "catalog.manage_procedures", procedure, str(FORBIDDEN_PROCEDURES))
        level = (level or "").strip()
        if level and level not in OnlineLevel.values:
            raise ServiceError(
                _("Mức độ trực tuyến phải là toàn trình, một phần hoặc cung cấp thông tin."),
                field="online_level",
            )
        procedure = _locked_procedure(procedure)
        before = _state(procedure)
        procedure.online_level_override = level
        procedure.apply_state()
        procedure.save(update_fields=["online_level_override", "online_level", "updated_at"])
        audit.record(
            "catalog.procedure.online_level",
            obj=procedure,
            actor=user,
            data={"code": procedure.code, "before": before, "after": _state(procedure)},
        )
        hooks.procedure_changed.fire(procedure=procedure, change="catalog.procedure.online_level", actor=user)
        return procedure


def set_local_fee_allowed(user, procedure: Procedure, allowed: bool | None) -> Procedure:
    """State whether the law lets a province set this procedure's fee (None: the record's guess again).

    Agencies' local fees are refused when it does not; when it no longer does, the fees agencies had
    set are removed (listed in the audit entry), so a stored local fee is always an allowed one."""
    with transaction.atomic():
        require(user, "catalog.manage_procedures", procedure, str(FORBIDDEN_PROCEDURES))
        if allowed is not None and not isinstance(allowed, bool):
            raise ServiceError(_("Chọn có, không, hoặc theo hồ sơ thủ tục."), field="local_fee_allowed")
        procedure = _locked_procedure(procedure)
        before = {"override": procedure.local_fee_allowed_override, "allowed": procedure.local_fee_allowed}
        procedure.local_fee_allowed_override = allowed
        procedure.save(update_fields=["local_fee_allowed_override", "updated_at"])
        cleared = []
        if not procedure.local_fee_allowed:
            # a stored local fee is always one the law allows: the agencies' fees go
            with_fees = Offering.objects.select_for_update().filter(procedure=procedure)
            with_fees = with_fees.exclude(
                local_fee_in_person__isnull=True, local_fee_online__isnull=True, local_fee_post__isnull=True
            )
            for offering in with_fees.select_related("agency"):
                fees = {c: offering.local_fee(c) for c in LOCAL_FEE_CHANNELS}
                cleared.append(
                    {"agency": offering.agency.code}
                    | {c: f"{fee[0]} {fee[1]}" for c, fee in fees.items() if fee is not None}
                )
                for channel in LOCAL_FEE_CHANNELS:
                    setattr(offering, f"local_fee_{channel}", None)
                offering.updated_by = user
                offering.save(
                    update_fields=[f"local_fee_{c}" for c in LOCAL_FEE_CHANNELS]
                    + ["updated_by", "updated_at"]
                )
        audit.record(
            "catalog.procedure.local_fee_allowed",
            obj=procedure,
            actor=user,
            data={
                "code": procedure.code,
                "before": before,
                "after": {"override": allowed, "allowed": procedure.local_fee_allowed},
                "record_says": bool(procedure.content.get("fee_set_locally")),
                "cleared_local_fees": cleared,
            },
        )
        hooks.procedure_changed.fire(
            procedure=procedure, change="catalog.procedure.local_fee_allowed", actor=user
        )
        return procedure


# --- consistency with the national catalogue (ADR 0155) ------------------------------------------


def run_consistency_report(user, records, failures, *, source: str) -> ConsistencyReport:
    """Compare national records (``consistency.read_*``) with the local catalogue and keep the report.

    ``user`` None: the management command run by an operator."""
    if user is not None:
        require(user, "catalog.import", None, str(FORBIDDEN_PROCEDURES))
    if not records and not failures:
        raise ServiceError(_("Bản xuất không có bản ghi thủ tục nào."), field="export")
    comparison = consistency.compare(records)
    with transaction.atomic():
        report = ConsistencyReport.objects.create(
            created_by=user,
            source=source[:300],
            checked=comparison.checked,
            failures=[list(f) for f in (failures + comparison.failures)][:500],
        )
        ConsistencyDifference.objects.bulk_create(
            [
                ConsistencyDifference(
                    report=report,
                    code=f.code,
                    name=f.name[:2000],
                    kind=f.kind,
                    procedure_id=f.procedure_id,
                    agency_id=f.agency_id,
                    national=f.national[:500],
                    local=f.local[:500],
                    record=f.record,
                )
                for f in comparison.differences
            ],
            batch_size=500,
        )
        counts = dict.fromkeys(ConsistencyDifference.Kind.values, 0)
        for f in comparison.differences:
            counts[f.kind] += 1
        audit.record(
            "catalog.consistency_report",
            obj=report,
            actor=user,
            data={"source": source[:300], "checked": comparison.checked, "failures": len(report.failures)}
            | counts,
        )
    return report


def apply_difference(user, difference_id) -> ConsistencyDifference:
    """Bring the national record behind a ``missing`` or ``version`` difference into the catalogue,
    through the importer (a new procedure, or a new version of it), and mark the difference resolved."""
    require(user, "catalog.import", None, str(FORBIDDEN_PROCEDURES))
    with transaction.atomic():
        difference = (
            ConsistencyDifference.objects.select_for_update()
            .filter(pk=difference_id)
            .select_related("report")
            .first()
        )
        if difference is None:
            raise NotFound(_("Không tìm thấy khác biệt này."))
        if difference.resolved_at is not None:
            raise Conflict(_("Khác biệt này đã được cập nhật."))
        if difference.kind not in (ConsistencyDifference.Kind.MISSING, ConsistencyDifference.Kind.VERSION):
            raise ServiceError(
                _("Thời hạn, phí tại cơ quan được sửa trong thiết lập thủ tục của cơ quan."), code="offering"
            )
        outcome = importer.import_records(
            [difference.record], f"đối chiếu #{difference.report_id}: {difference.code}", actor=user
        )
        if outcome.failures:
            raise ServiceError(
                _("Không cập nhật được thủ tục %(code)s: %(reason)s")
                % {"code": difference.code, "reason": outcome.failures[0][1]}
            )
        difference.resolved_at = timezone.now()
        difference.resolved_by = user
        difference.procedure = Procedure.objects.filter(code=difference.code).first()
        difference.save(update_fields=["resolved_at", "resolved_by", "procedure"])
        audit.record(
            "catalog.consistency_applied",
            obj=difference,
            actor=user,
            data={"code": difference.code, "kind": difference.kind, "report": difference.report_id},
        )
    return difference
