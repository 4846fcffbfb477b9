"""The validation rules of evaluations, in one place for the pages, the API and the services (ADR 0150).

Each ``clean_*`` takes raw values (strings from a form, numbers from the API) and returns them
normalised, or raises ``core.errors.InvalidFields`` with every field's Vietnamese message.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from congso.core.errors import InvalidFields, ServiceError

from . import hooks
from .models import Criterion, UnitGroup

NAME_MAX = 255
CRITERION_NAME_MAX = 500
NOTE_MAX = 4000
REASON_MAX = 2000
POINTS_MAX = Decimal("999999.999")


def _first_upper(label) -> str:
    """The label at the start of a sentence: its first letter upper case, the rest untouched
    (``str.capitalize`` would turn "mức I" into "Mức i")."""
    label = str(label)
    return label[:1].upper() + label[1:]


def parse_decimal(raw, label: str, *, field: str, required: bool = True) -> Decimal | None:
    """A number as people type it in Vietnam ("12,5" or "12.5"), at most 3 decimals."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        if required:
            raise ServiceError(_("Vui lòng nhập %(label)s.") % {"label": label}, field=field)
        return None
    text = str(raw).strip().replace(" ", "")
    if "," in text and "." not in text:
        text = text.replace(",", ".")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ServiceError(
            _("%(label)s phải là một số (ví dụ 12,5).") % {"label": _first_upper(label)}, field=field
        ) from None
    if not value.is_finite() or abs(value) > POINTS_MAX:
        raise ServiceError(_("%(label)s quá lớn.") % {"label": _first_upper(label)}, field=field)
    if value != value.quantize(Decimal("0.001")):
        raise ServiceError(
            _("%(label)s chỉ được có tối đa 3 chữ số thập phân.") % {"label": _first_upper(label)},
            field=field,
        )
    return value


def _collect(errors: dict, field: str, fn):
    try:
        return fn()
    except ServiceError as exc:
        errors.setdefault(field, []).append(exc.message)
        return None


def clean_framework(data: dict) -> dict:
    errors: dict = {}
    out: dict = {}
    name = str(data.get("name") or "").strip()
    if not name:
        errors["name"] = [_("Vui lòng nhập tên bộ chỉ số.")]
    elif len(name) > NAME_MAX:
        errors["name"] = [_("Tên bộ chỉ số dài tối đa %(n)s ký tự.") % {"n": NAME_MAX}]
    out["name"] = name
    year = data.get("year")
    try:
        year = int(str(year).strip())
        if not 2000 <= year <= 2100:
            raise ValueError
    except (TypeError, ValueError):
        errors["year"] = [_("Năm phải là một năm từ 2000 đến 2100.")]
    out["year"] = year
    out["description"] = str(data.get("description") or "").strip()[:4000]
    applies = data.get("applies_to") or []
    if isinstance(applies, str):
        applies = [applies]
    applies = sorted({str(a) for a in applies})
    if not applies:
        errors["applies_to"] = [_("Vui lòng chọn đối tượng đánh giá (sở, ban, ngành và/hoặc cấp xã).")]
    elif any(a not in UnitGroup.values for a in applies):
        errors["applies_to"] = [_("Đối tượng đánh giá không hợp lệ.")]
    out["applies_to"] = applies
    labels = {1: _("điểm tối thiểu mức I"), 2: _("điểm tối thiểu mức II"), 3: _("điểm tối thiểu mức III")}
    labels[4] = _("điểm tối thiểu mức IV")
    for n in (1, 2, 3, 4):
        key = f"level_{n}_min"
        out[key] = _collect(
            errors, key, lambda n=n, key=key: parse_decimal(data.get(key), labels[n], field=key)
        )
    bands = [out[f"level_{n}_min"] for n in (1, 2, 3, 4)]
    if all(b is not None for b in bands):
        if any(b < 0 for b in bands):
            errors.setdefault("level_4_min", []).append(_("Điểm tối thiểu của các mức không được âm."))
        elif not bands[0] > bands[1] > bands[2] > bands[3]:
            errors.setdefault("level_1_min", []).append(
                _(
                    "Điểm tối thiểu phải giảm dần: mức I cao hơn mức II, mức II cao hơn mức III, mức III cao hơn mức IV."
                )
            )
    if errors:
        raise InvalidFields(errors)
    return out


#: What an administrator edits on a criterion (the page's form and the API's answer show the same).
CRITERION_FIELDS = (
    "kind",
    "code",
    "name",
    "position",
    "max_points",
    "weight",
    "source",
    "metric_key",
    "value_kind",
    "unit_label",
    "min_value",
    "max_value",
    "target",
    "lower_is_better",
    "guidance",
)


def clean_criterion(framework, data: dict, *, instance: Criterion | None = None) -> dict:
    """A node of ``framework``'s tree. A group holds other nodes; an indicator or sub-indicator without
    children carries a value from its source."""
    errors: dict = {}
    out: dict = {}
    kind = str(data.get("kind") or "").strip()
    if kind not in Criterion.Kind.values:
        errors["kind"] = [_("Vui lòng chọn loại: nhóm tiêu chí, chỉ số hoặc chỉ số thành phần.")]
    out["kind"] = kind
    parent = data.get("parent")
    if parent in ("", None):
        parent = None
    else:
        parent_id = getattr(parent, "pk", parent)
        parent = framework.criteria.filter(pk=str(parent_id)).first() if str(parent_id).isdigit() else None
        if parent is None:
            errors["parent"] = [_("Không tìm thấy tiêu chí cấp trên trong bộ chỉ số này.")]
        elif instance is not None and (parent.pk == instance.pk or _descends(parent, instance)):
            errors["parent"] = [_("Không thể đặt tiêu chí dưới chính nó.")]
        elif parent.kind == Criterion.Kind.SUB:
            errors["parent"] = [_("Chỉ số thành phần không có cấp dưới.")]
    out["parent"] = parent
    if kind == Criterion.Kind.GROUP and parent is not None and parent.kind != Criterion.Kind.GROUP:
        errors.setdefault("parent", []).append(_("Nhóm tiêu chí chỉ nằm trong một nhóm khác."))
    if kind == Criterion.Kind.SUB and (parent is None or parent.kind != Criterion.Kind.INDICATOR):
        errors.setdefault("parent", []).append(_("Chỉ số thành phần phải thuộc một chỉ số."))
    code = str(data.get("code") or "").strip()
    if not code:
        errors["code"] = [_("Vui lòng nhập số thứ tự (ví dụ 1.2).")]
    elif len(code) > 20:
        errors["code"] = [_("Số thứ tự dài tối đa 20 ký tự.")]
    elif framework.criteria.filter(code=code).exclude(pk=getattr(instance, "pk", None)).exists():
        errors["code"] = [_("Số thứ tự “%(code)s” đã có trong bộ chỉ số.") % {"code": code}]
    out["code"] = code
    name = str(data.get("name") or "").strip()
    if not name:
        errors["name"] = [_("Vui lòng nhập tên tiêu chí, chỉ số.")]
    elif len(name) > CRITERION_NAME_MAX:
        errors["name"] = [_("Tên dài tối đa %(n)s ký tự.") % {"n": CRITERION_NAME_MAX}]
    out["name"] = name
    try:
        out["position"] = int(str(data.get("position") or 0))
        if out["position"] < 0:
            raise ValueError
    except ValueError:
        errors["position"] = [_("Thứ tự hiển thị phải là số nguyên không âm.")]
    out["guidance"] = str(data.get("guidance") or "").strip()[:4000]
    out["unit_label"] = str(data.get("unit_label") or "").strip()[:30]
    if kind == Criterion.Kind.GROUP:
        out.update(
            max_points=Decimal(0),
            weight=Decimal(1),
            source="",
            metric_key="",
            value_kind="points",
            min_value=Decimal(0),
            max_value=None,
            target=None,
            lower_is_better=False,
        )
    else:
        out["max_points"] = _collect(
            errors,
            "max_points",
            lambda: parse_decimal(data.get("max_points"), _("điểm tối đa"), field="max_points"),
        )
        if out["max_points"] is not None and out["max_points"] <= 0:
            errors.setdefault("max_points", []).append(_("Điểm tối đa phải lớn hơn 0."))
        weight = _collect(
            errors,
            "weight",
            lambda: parse_decimal(data.get("weight"), _("trọng số"), field="weight", required=False),
        )
        out["weight"] = Decimal(1) if weight is None else weight
        if out["weight"] <= 0 or out["weight"] > 100:
            errors.setdefault("weight", []).append(_("Trọng số phải lớn hơn 0 và không quá 100."))
        source = str(data.get("source") or "").strip()
        if source not in Criterion.Source.values:
            errors["source"] = [
                _("Vui lòng chọn nguồn số liệu: tự đánh giá kèm minh chứng, hoặc số liệu hệ thống.")
            ]
        out["source"] = source
        metric_key = str(data.get("metric_key") or "").strip()
        if source == Criterion.Source.METRIC:
            if not metric_key:
                errors["metric_key"] = [_("Vui lòng chọn số liệu hệ thống cho chỉ số tự động.")]
            elif hooks.source(metric_key) is None:
                errors["metric_key"] = [_("Số liệu hệ thống “%(key)s” không tồn tại.") % {"key": metric_key}]
        else:
            metric_key = ""
        out["metric_key"] = metric_key
        value_kind = str(data.get("value_kind") or Criterion.ValueKind.POINTS)
        if value_kind not in Criterion.ValueKind.values:
            errors["value_kind"] = [_("Loại giá trị không hợp lệ.")]
        out["value_kind"] = value_kind
        for key, label in (("min_value", _("giá trị nhỏ nhất")), ("max_value", _("giá trị lớn nhất"))):
            out[key] = _collect(
                errors, key, lambda k=key, lb=label: parse_decimal(data.get(k), lb, field=k, required=False)
            )
        out["min_value"] = out["min_value"] if out["min_value"] is not None else Decimal(0)
        out["target"] = _collect(
            errors,
            "target",
            lambda: parse_decimal(data.get("target"), _("chỉ tiêu"), field="target", required=False),
        )
        if (
            value_kind == Criterion.ValueKind.RATE
            and out["max_value"] is None
            and source == Criterion.Source.MANUAL
        ):
            errors.setdefault("max_value", []).append(
                _("Chỉ số tính theo tỷ lệ cần giá trị lớn nhất (ví dụ 100 với %).")
            )
        if out["max_value"] is not None and out["max_value"] <= out["min_value"]:
            errors.setdefault("max_value", []).append(_("Giá trị lớn nhất phải lớn hơn giá trị nhỏ nhất."))
        if value_kind == Criterion.ValueKind.POINTS and out["max_points"] is not None:
            if out["max_value"] is not None and out["max_value"] != out["max_points"]:
                errors.setdefault("max_value", []).append(
                    _("Với chỉ số chấm điểm trực tiếp, giá trị lớn nhất là điểm tối đa; để trống ô này.")
                )
            out["max_value"] = None
            if out["target"] is not None and out["target"] > out["max_points"]:
                errors.setdefault("target", []).append(_("Chỉ tiêu không được vượt điểm tối đa."))
        # Lower is better: a platform metric has its own direction (``lower_is_better`` on the source, as
        # the scorecard says of its indicators); a manual indicator takes the administrator's choice.
        if source == Criterion.Source.METRIC and metric_key and hooks.source(metric_key) is not None:
            out["lower_is_better"] = bool(getattr(hooks.source(metric_key), "lower_is_better", False))
        else:
            out["lower_is_better"] = str(data.get("lower_is_better") or "").lower() in (
                "1",
                "true",
                "on",
                "yes",
            )
        if out["lower_is_better"] and value_kind == Criterion.ValueKind.POINTS:
            errors.setdefault("lower_is_better", []).append(
                _(
                    "Chỉ số chấm điểm trực tiếp không thể “càng thấp càng tốt”; chọn loại giá trị tỷ lệ hoặc số lượng."
                )
            )
        top = out["max_value"]
        if out["target"] is not None and top is not None and not out["min_value"] <= out["target"] <= top:
            errors.setdefault("target", []).append(_("Chỉ tiêu phải nằm trong khoảng giá trị của chỉ số."))
    if errors:
        raise InvalidFields(errors)
    return out


def _descends(node: Criterion, ancestor: Criterion) -> bool:
    seen = 0
    while node is not None and seen < 50:
        if node.parent_id == ancestor.pk:
            return True
        node = node.parent
        seen += 1
    return False


def clean_value(criterion: Criterion, raw, *, field: str = "value") -> Decimal:
    """A value a unit or an evaluator enters for a leaf: a number within the indicator's range."""
    value = parse_decimal(raw, _("giá trị"), field=field)
    low, high = criterion.min_value, criterion.upper_value()
    if value < low or value > high:
        raise ServiceError(
            _("Giá trị của chỉ số “%(code)s” phải từ %(low)s đến %(high)s%(unit)s (đã nhập %(value)s).")
            % {
                "code": criterion.code,
                "low": _num(low),
                "high": _num(high),
                "unit": f" {criterion.unit_label}" if criterion.unit_label else "",
                "value": _num(value),
            },
            field=field,
            code="out_of_range",
        )
    return value


def clean_text(raw, label: str, *, field: str, limit: int, required: bool) -> str:
    text = str(raw or "").strip()
    if required and not text:
        raise ServiceError(_("Vui lòng nhập %(label)s.") % {"label": label}, field=field)
    if len(text) > limit:
        raise ServiceError(
            _("%(label)s dài tối đa %(n)s ký tự.") % {"label": _first_upper(label), "n": limit}, field=field
        )
    return text


def _num(value: Decimal) -> str:
    """12.500 → "12,5" (Vietnamese decimal comma)."""
    text = format(value.normalize(), "f") if value == value.to_integral() else format(value.normalize(), "f")
    return text.replace(".", ",")
