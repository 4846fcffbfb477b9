"""The form a citizen fills in: from a ``FormDefinition`` (the agency's own, else the national one) or,
when none exists, a default derived from the catalogue's component list. Validation is driven by the
definition alone, on the server: ``validate(spec, data)`` returns cleaned values and Vietnamese errors.

Citizens always get a definition's *published* snapshot (``spec_for``); administrators edit its rows
(``working_spec``) in the form builder (``builder.py``), and ``problems(spec)`` says what would make a
definition unusable (duplicate keys, conditions on unknown fields, broken patterns…).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from congso.core import validation
from congso.core.compiled import CompiledQuery
from congso.core.uploads import EXTENSION, MIME
from congso.dossiers.declared import format_value

from .models import FieldType, FormDefinition, key_validator

DEFAULT_MAX = {FieldType.TEXTAREA: 4000}
TEXT_MAX = 255
TRUE = {"on", "true", "1", "yes", "co"}


@dataclass
class FieldSpec:
    key: str
    label: str
    type: str = FieldType.TEXT
    required: bool = False
    help_text: str = ""
    choices: list[tuple[str, str]] = field(default_factory=list)
    show_if_field: str = ""
    show_if_value: str = ""
    max_length: int | None = None
    pattern: str = ""
    pattern_message: str = ""
    prefill: bool = False  # copied from the person's latest dossier of the procedure (data once)

    @property
    def html_name(self) -> str:
        return f"f_{self.key}"

    @property
    def html_id(self) -> str:
        return f"id_f_{self.key}"


@dataclass
class ComponentSpec:
    name: str
    required: bool = True
    originals: int | None = None
    copies: int | None = None
    help_text: str = ""
    kinds: list[str] = field(default_factory=list)  # core.uploads kinds; empty: all of them

    @property
    def allowed(self) -> tuple[str, ...]:
        return tuple(k for k in self.kinds if k in MIME) or tuple(MIME)

    @property
    def accept(self) -> str:
        """The file input's ``accept`` attribute for these kinds."""

        parts = []
        for kind in self.allowed:
            parts += [EXTENSION[kind]] + ([".jpeg"] if kind == "jpeg" else []) + [MIME[kind]]
        return ",".join(parts)


@dataclass
class FormSpec:
    title: str
    intro: str = ""
    fields: list[FieldSpec] = field(default_factory=list)
    components: list[ComponentSpec] = field(default_factory=list)
    in_person: list[str] = field(default_factory=list)  # partially online: what is done at the agency
    source: str = "default"  # "default" | "national" | "agency"
    definition_id: int | None = None
    version: int = 0  # the published version of the definition (0: the default, never published)

    def field(self, key: str) -> FieldSpec | None:
        return next((f for f in self.fields if f.key == key), None)

    def component(self, name: str) -> ComponentSpec | None:
        return next((c for c in self.components if c.name == name), None)

    def as_dict(self) -> dict:
        return asdict(self)


def parse_choices(text: str) -> list[tuple[str, str]]:
    rows = []
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        value, _sep, label = line.partition("|")
        rows.append((value.strip(), (label or value).strip()))
    return rows


def lines_of(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def kinds_of(text: str) -> list[str]:
    return [k.strip() for k in (text or "").split(",") if k.strip()]


def working_spec(definition: FormDefinition) -> FormSpec:
    """The definition as it is being edited (its rows), not necessarily what citizens see."""
    return FormSpec(
        title=definition.title or definition.procedure.name,
        intro=definition.intro,
        in_person=lines_of(definition.in_person),
        fields=[
            FieldSpec(
                key=f.key,
                label=f.label,
                type=f.type,
                required=f.required,
                help_text=f.help_text,
                choices=parse_choices(f.choices),
                show_if_field=f.show_if_field,
                show_if_value=f.show_if_value,
                max_length=f.max_length,
                pattern=f.pattern,
                pattern_message=f.pattern_message,
                prefill=f.prefill,
            )
            for f in definition.fields.all()
        ],
        components=[
            ComponentSpec(c.name, c.required, c.originals, c.copies, c.help_text, kinds_of(c.kinds))
            for c in definition.components.all()
        ],
        source="agency" if definition.agency_id else "national",
        definition_id=definition.pk,
        version=definition.version,
    )


# Fields worth filling in again from the person's earlier dossier: stable personal data. Anything
# else (what a dossier is about: a child's name, a date of birth, a request in free text) is not.
STABLE_KEYS = frozenset(
    {
        "dia_chi",
        "dia_chi_lien_he",
        "dia_chi_thuong_tru",
        "noi_thuong_tru",
        "noi_cu_tru",
        "noi_o_hien_nay",
        "nghe_nghiep",
        "noi_lam_viec",
        "co_quan_cong_tac",
        "quoc_tich",
        "dan_toc",
        "ton_giao",
        "trinh_do_hoc_van",
        "so_dien_thoai",
        "email",
        "thu_dien_tu",
    }
)
STABLE_TYPES = (FieldType.CCCD, FieldType.PHONE, FieldType.EMAIL)


def suggested_prefill(key: str, kind: str) -> bool:
    """The default of a field's "prefill" flag: on for stable personal data (identity numbers, phone,
    e-mail, address, occupation…), off for free text and for everything a dossier is about."""
    return kind in STABLE_TYPES or (kind == FieldType.TEXT and key in STABLE_KEYS)


SNAPSHOT_KEYS = ("title", "intro", "in_person", "fields", "components")


def snapshot(spec: FormSpec) -> dict:
    """What is published: the form itself, without where it came from."""
    data = spec.as_dict()
    return {k: data[k] for k in SNAPSHOT_KEYS}


def from_snapshot(data: dict, *, definition_id=None, agency_id=None, version: int = 0) -> FormSpec:
    field_names = set(FieldSpec.__dataclass_fields__)
    component_names = set(ComponentSpec.__dataclass_fields__)
    fields = []
    for row in data.get("fields") or []:
        values = {k: v for k, v in row.items() if k in field_names}
        values["choices"] = [tuple(c) for c in values.get("choices") or []]
        fields.append(FieldSpec(**values))
    return FormSpec(
        title=data.get("title") or "",
        intro=data.get("intro") or "",
        in_person=list(data.get("in_person") or []),
        fields=fields,
        components=[
            ComponentSpec(**{k: v for k, v in row.items() if k in component_names})
            for row in data.get("components") or []
        ],
        source="agency" if agency_id else "national",
        definition_id=definition_id,
        version=version,
    )


NOTE_GROUPS = ("lưu ý", "xuất trình", "ghi chú")
OPTIONAL_MARKS = ("nếu có", "(nếu", "trong trường hợp", "(if any)")


def _clean_name(name: str) -> str:
    return re.sub(r"^[\s\-+*•–]+", "", name or "").strip()[:500]


def default_for(procedure) -> FormSpec:
    """A sensible form when no one defined one: a free-text request plus the catalogue's components.

    The national records mix papers with notes, so rows with no quantity (0 originals and 0 copies)
    and rows under “Lưu ý” / “Giấy tờ phải xuất trình” are left out; a paper is optional when its name
    starts with “Trường hợp” or says “nếu có” / “trong trường hợp”, required otherwise."""
    content = procedure.content or {}
    components = []
    seen = set()
    for row in content.get("components", []):
        name = _clean_name(row.get("name") or "")
        group = (row.get("group") or "").lower()
        if not name or name in seen or any(mark in group for mark in NOTE_GROUPS):
            continue
        if "điện tử tương tác" in name.lower():  # the interactive e-form: the online form itself
            continue
        if row.get("originals") == 0 and not row.get("copies"):
            continue
        seen.add(name)
        lowered = name.lower()
        optional = lowered.startswith("trường hợp") or any(mark in lowered for mark in OPTIONAL_MARKS)
        components.append(ComponentSpec(name, not optional, row.get("originals"), row.get("copies")))
    return FormSpec(
        title=procedure.name,
        fields=[
            FieldSpec(
                key="noi_dung",
                label=_("Nội dung đề nghị"),
                type=FieldType.TEXTAREA,
                required=True,
                help_text=_("Trình bày ngắn gọn việc bạn đề nghị cơ quan giải quyết."),
                max_length=4000,
            )
        ],
        components=components,
    )


# which definitions are in force is asked at every filing (and there are usually none): compiled once
_DEFINED = CompiledQuery(
    lambda procedure_id: (
        FormDefinition.objects.filter(procedure_id=procedure_id, is_active=True, published__isnull=False)
        .order_by()
        .values_list("pk", "agency_id")
    ),
    model=FormDefinition,
)


def spec_for(procedure, agency=None) -> FormSpec:
    """The agency's own published definition, else the national one, else the default from the
    catalogue. (One definition per procedure and agency, and one national: the model's constraints.)"""
    defined = {agency_id: pk for pk, agency_id in _DEFINED.rows(procedure.pk)}
    chosen_pk = defined.get(agency.pk) if agency is not None else None
    chosen_pk = chosen_pk or defined.get(None)
    if chosen_pk is None:
        return default_for(procedure)
    published, version, agency_id = (
        FormDefinition.objects.filter(pk=chosen_pk).values_list("published", "version", "agency_id").get()
    )
    spec = from_snapshot(published, definition_id=chosen_pk, agency_id=agency_id, version=version)
    spec.title = spec.title or procedure.name
    return spec


# --- what makes a definition unusable ------------------------------------------------------------


@dataclass
class Problem:
    """One reason a definition cannot be saved: ``where`` is "form", "field" or "component", ``index``
    the row's position (0-based), ``attr`` the attribute at fault, ``message`` in Vietnamese."""

    where: str
    index: int | None
    attr: str
    message: str

    @property
    def path(self) -> str:
        if self.where == "form":
            return self.attr
        return f"{self.where}s[{self.index}].{self.attr}"


TEXT_TYPES = (FieldType.TEXT, FieldType.TEXTAREA)
MAX_LIMIT = 4000


def _field_problems(spec: FormSpec) -> list[Problem]:
    out: list[Problem] = []
    by_key = {f.key: f for f in spec.fields}
    seen: set[str] = set()
    for i, f in enumerate(spec.fields):
        name = f.label or f.key

        def add(attr, message, i=i):
            out.append(Problem("field", i, attr, message))

        try:
            key_validator(f.key or "")
        except ValidationError:
            add(
                "key",
                _(
                    "Mã trường “%(key)s” không hợp lệ: bắt đầu bằng chữ thường không dấu, chỉ gồm chữ thường "
                    "không dấu, số và dấu gạch dưới, tối đa 50 ký tự."
                )
                % {"key": f.key},
            )
        if f.key in seen:
            add("key", _("Mã trường “%(key)s” bị trùng: mỗi trường cần một mã riêng.") % {"key": f.key})
        seen.add(f.key)
        if not (f.label or "").strip():
            add("label", _("Trường “%(key)s” cần có nhãn.") % {"key": f.key})
        if f.type not in FieldType.values:
            add("type", _("Kiểu của trường “%(name)s” không hợp lệ.") % {"name": name})
        if f.type == FieldType.SELECT:
            values = [v for v, _label in f.choices]
            if not values:
                add("choices", _("Trường danh sách “%(name)s” cần ít nhất một lựa chọn.") % {"name": name})
            duplicates = sorted({v for v in values if values.count(v) > 1})
            if duplicates:
                add(
                    "choices",
                    _("Trường “%(name)s” có giá trị lựa chọn bị trùng: %(values)s.")
                    % {"name": name, "values": ", ".join(duplicates)},
                )
            if any(not v for v in values):
                add("choices", _("Mỗi lựa chọn của trường “%(name)s” cần một giá trị.") % {"name": name})
            if any("|" in v or "\n" in v or "\n" in label for v, label in f.choices):
                add(
                    "choices",
                    _("Giá trị lựa chọn của trường “%(name)s” không được chứa dấu “|” hay xuống dòng.")
                    % {"name": name},
                )
        if f.max_length is not None and not (1 <= f.max_length <= MAX_LIMIT):
            add(
                "max_length",
                _("Độ dài tối đa của trường “%(name)s” phải từ 1 đến %(n)s ký tự.")
                % {"name": name, "n": MAX_LIMIT},
            )
        if f.pattern:
            try:
                re.compile(f.pattern)
            except re.error as exc:
                add(
                    "pattern",
                    _("Biểu thức kiểm tra của trường “%(name)s” không hợp lệ (%(error)s).")
                    % {"name": name, "error": exc.msg},
                )
            else:
                if f.type not in TEXT_TYPES:
                    add(
                        "pattern",
                        _("Chỉ trường văn bản mới có biểu thức kiểm tra; “%(name)s” là kiểu %(type)s.")
                        % {
                            "name": name,
                            "type": FieldType(f.type).label if f.type in FieldType.values else f.type,
                        },
                    )
        if f.show_if_field:
            controller = by_key.get(f.show_if_field)
            if f.show_if_field == f.key:
                add(
                    "show_if_field", _("Trường “%(name)s” không thể chỉ hiện theo chính nó.") % {"name": name}
                )
            elif controller is None:
                add(
                    "show_if_field",
                    _(
                        "Trường “%(name)s” chỉ hiện theo trường “%(key)s”, nhưng biểu mẫu không có trường nào "
                        "mang mã này."
                    )
                    % {"name": name, "key": f.show_if_field},
                )
            elif not (f.show_if_value or "").strip():
                add(
                    "show_if_value",
                    _("Cần nhập giá trị của trường “%(controller)s” để hiện trường “%(name)s”.")
                    % {"controller": controller.label, "name": name},
                )
            elif controller.type == FieldType.SELECT and f.show_if_value.strip() not in [
                v for v, _label in controller.choices
            ]:
                add(
                    "show_if_value",
                    _("“%(value)s” không phải là giá trị lựa chọn của trường “%(controller)s” (%(values)s).")
                    % {
                        "value": f.show_if_value,
                        "controller": controller.label,
                        "values": ", ".join(v for v, _label in controller.choices),
                    },
                )
        elif (f.show_if_value or "").strip():
            add("show_if_field", _("Chọn trường quyết định việc hiện trường “%(name)s”.") % {"name": name})
    # conditions must not go round in a circle (each field would wait for another: never shown)
    for i, f in enumerate(spec.fields):
        if f.show_if_field == f.key:
            continue  # said above
        path, current = [f.key], by_key.get(f.show_if_field)
        while current is not None and current.key not in path:
            path.append(current.key)
            current = by_key.get(current.show_if_field) if current.show_if_field else None
        if current is not None and current.key == f.key:
            out.append(
                Problem(
                    "field",
                    i,
                    "show_if_field",
                    _("Điều kiện hiện của các trường tạo thành vòng lặp: %(keys)s.")
                    % {"keys": " → ".join([*path, f.key])},
                )
            )
    return out


def _component_problems(spec: FormSpec) -> list[Problem]:
    out: list[Problem] = []
    seen: set[str] = set()
    for i, c in enumerate(spec.components):
        name = (c.name or "").strip()
        if not name:
            out.append(Problem("component", i, "name", _("Cần nhập tên thành phần hồ sơ.")))
        elif name in seen:
            out.append(
                Problem("component", i, "name", _("Thành phần hồ sơ “%(name)s” bị trùng.") % {"name": name})
            )
        seen.add(name)
        unknown = [k for k in c.kinds if k not in MIME]
        if unknown:
            out.append(
                Problem(
                    "component",
                    i,
                    "kinds",
                    _("Loại tệp không được hỗ trợ: %(kinds)s (chỉ nhận PDF, JPEG, PNG).")
                    % {"kinds": ", ".join(unknown)},
                )
            )
        for attr in ("originals", "copies"):
            value = getattr(c, attr)
            if value is not None and not (0 <= value <= validation.MAX_QUANTITY):
                out.append(
                    Problem(
                        "component",
                        i,
                        attr,
                        _("Số bản phải từ 0 đến %(max)s.") % {"max": validation.MAX_QUANTITY},
                    )
                )
    return out


def problems(spec: FormSpec) -> list[Problem]:
    """Everything that would make this definition unusable; empty when it can be saved and published."""
    return _field_problems(spec) + _component_problems(spec)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else ""
    return str(value).strip()


def is_visible(spec: FormSpec, item: FieldSpec, data: dict) -> bool:
    if not item.show_if_field:
        return True
    controller = spec.field(item.show_if_field)
    raw = _text(data.get(item.show_if_field))
    if controller is not None and controller.type == FieldType.CHECKBOX:
        return (raw.lower() in TRUE) == (item.show_if_value.strip().lower() in TRUE)
    return raw == item.show_if_value.strip()


def parse_date(raw: str) -> dt.date:
    """A date typed as ngày/tháng/năm (25/12/2025) or sent as ISO (2025-12-25), between 1900 and 2100."""
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            value = dt.datetime.strptime(raw, fmt).date()
            break
        except ValueError:
            continue
    else:
        raise ValidationError(_("Nhập ngày theo dạng ngày/tháng/năm, ví dụ 25/12/2025."))
    if value.year < 1900 or value.year > 2100:
        raise ValidationError(_("Ngày không hợp lệ."))
    return value


def _clean_one(item: FieldSpec, raw: str):
    """Returns the cleaned value of a non-empty answer or raises ValidationError with the message."""
    kind = item.type
    if kind == FieldType.CHECKBOX:
        return raw.lower() in TRUE
    limit = item.max_length or DEFAULT_MAX.get(kind, TEXT_MAX)
    if len(raw) > limit:
        raise ValidationError(_("Không được dài quá %(n)s ký tự.") % {"n": limit})
    if kind in (FieldType.DATE, FieldType.BIRTH_DATE):
        value = parse_date(raw)
        if kind == FieldType.BIRTH_DATE:
            validation.validate_birth_date(value)
        return value.isoformat()
    if kind == FieldType.QUANTITY:
        return validation.validate_quantity(raw)
    if kind == FieldType.NUMBER:
        try:
            number = Decimal(raw.replace(" ", "").replace(",", "."))
        except InvalidOperation:
            raise ValidationError(_("Nhập một số, ví dụ 12.")) from None
        if not number.is_finite():
            raise ValidationError(_("Nhập một số, ví dụ 12."))
        return str(number)
    if kind == FieldType.SELECT:
        values = [v for v, _label in item.choices]
        if raw not in values:
            raise ValidationError(_("Chọn một giá trị trong danh sách."))
        return raw
    if kind == FieldType.CCCD:
        return validation.validate_cccd(raw)
    if kind == FieldType.PHONE:
        return validation.validate_phone(raw)
    if kind == FieldType.EMAIL:
        return validation.validate_email_address(raw)
    if item.pattern:
        try:
            matched = re.fullmatch(item.pattern, raw)
        except re.error:
            matched = True  # a broken pattern entered by an administrator never blocks a citizen
        if not matched:
            raise ValidationError(item.pattern_message or _("Giá trị không đúng định dạng yêu cầu."))
    return raw


def validate(spec: FormSpec, data: dict) -> tuple[dict, dict[str, str]]:
    """Check answers against the form. Returns (cleaned, errors); hidden conditional fields are dropped."""
    cleaned: dict = {}
    errors: dict[str, str] = {}
    for item in spec.fields:
        if not is_visible(spec, item, data):
            continue
        raw = _text(data.get(item.key))
        if item.type == FieldType.CHECKBOX:
            value = raw.lower() in TRUE
            if item.required and not value:
                errors[item.key] = _("Cần đánh dấu mục này.")
            cleaned[item.key] = value
            continue
        if not raw:
            if item.required:
                errors[item.key] = (
                    _("Cần chọn một giá trị.")
                    if item.type == FieldType.SELECT
                    else _("Cần nhập thông tin này.")
                )
            continue
        try:
            cleaned[item.key] = _clean_one(item, raw)
        except ValidationError as exc:
            errors[item.key] = " ".join(exc.messages)
    return cleaned, errors


def display_value(item: FieldSpec, value) -> str:
    """How an answer reads on the check-your-answers page: the same as on the dossier page and its
    printout (one formatter, ``dossiers.declared.format_value``)."""
    return format_value(item.type, value, item.choices)
