"""The form builder: agency administrators define their online forms without code (ADR 0085).

Every change is one function below. It locks the definition's row, checks ``portal.manage_forms`` for
the definition's agency (None: a national form, system administrators only), applies the change to the
rows being edited, refuses with ``InvalidDefinition`` (nothing written) when the form would become
unusable (``definitions.problems``), marks the definition as changed since it was published and
writes its audit entry — in one transaction. Citizens keep filling in the last published snapshot
until ``publish``.

- ``managed_agencies(user)`` — the agencies whose forms the user manages (as for catalogue offerings);
- ``scope_rows(actor, agency)`` — the agency's online offerings with the state of their form (or, for
  None, the national forms);
- ``find(actor, procedure, agency)`` / ``get(actor, definition_id)`` — one definition (permission-checked);
- ``create_definition(actor, *, procedure_code, agency_code="", content=None)`` — from the form in force
  (national or catalogue-derived) unless ``content`` is given;
- ``update_definition`` (title, introduction) / ``replace_definition`` (everything, for the API);
- ``save_field`` / ``delete_field`` / ``move_field`` — fields, identified by their key;
- ``save_component`` / ``delete_component`` / ``move_component`` — components, by row id;
- ``publish`` / ``unpublish`` / ``delete_definition``;
- ``preview(actor, definition_id, answers=None)`` — the working form and, given answers, what
  ``definitions.validate`` says about them (nothing written).
"""

from __future__ import annotations

from dataclasses import asdict, replace

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from congso.catalog.models import Offering, OnlineLevel, Procedure
from congso.catalog.permissions import managed_agencies as catalog_managed
from congso.catalog.selectors import procedure_by_code
from congso.core import audit
from congso.core.errors import Conflict, NotFound, ServiceError
from congso.core.permissions import can, require
from congso.directory.models import Agency

from . import definitions
from .definitions import ComponentSpec, FieldSpec, FormSpec, Problem
from .models import FormComponent, FormDefinition, FormField

UP, DOWN = "up", "down"


class InvalidDefinition(ServiceError):
    """The change would make the form unusable; ``problems`` says why (``definitions.Problem``)."""

    code = "invalid_definition"

    def __init__(self, problems: list[Problem]):
        first = problems[0]
        super().__init__(" ".join(p.message for p in problems), field=first.path)
        self.problems = problems


def forbidden_message() -> str:
    return _("Bạn không có quyền quản lý biểu mẫu nộp trực tuyến của cơ quan này.")


def managed_agencies(user):
    return catalog_managed(user)


def may_manage_national(user) -> bool:
    return can(user, "portal.manage_forms", None)


def _require(actor, agency) -> None:
    require(actor, "portal.manage_forms", agency, forbidden_message())


# --- reading -------------------------------------------------------------------------------------


def find_agency(code: str) -> Agency:
    agency = Agency.objects.filter(code=(code or "")[:60]).select_related("unit").first()
    if agency is None:
        raise NotFound(_("Không tìm thấy cơ quan có mã “%(code)s”.") % {"code": (code or "")[:60]})
    return agency


def find_procedure(code: str) -> Procedure:
    procedure = procedure_by_code(code, active_only=False)
    if procedure is None:
        raise NotFound(_("Không tìm thấy thủ tục có mã “%(code)s”.") % {"code": (code or "")[:40]})
    return procedure


def _definitions():
    return FormDefinition.objects.select_related("procedure", "agency", "published_by", "updated_by")


def find(actor, procedure: Procedure, agency: Agency | None) -> FormDefinition | None:
    """The definition of ``procedure`` for ``agency`` (None: the national one), if there is one."""
    _require(actor, agency)
    return _definitions().filter(procedure=procedure, agency=agency).first()


def get(actor, definition_id) -> FormDefinition:
    try:
        definition = _definitions().get(pk=int(definition_id))
    except (FormDefinition.DoesNotExist, TypeError, ValueError):
        raise NotFound(_("Không tìm thấy biểu mẫu.")) from None
    _require(actor, definition.agency)
    return definition


def definitions_of(actor, agency: Agency | None):
    """The definitions of one agency (None: the national ones), for the API's list."""
    _require(actor, agency)
    return _definitions().filter(agency=agency).order_by("procedure__code")


def status_label(definition: FormDefinition | None, effective: FormSpec | None = None) -> str:
    """The state of a procedure's form at an agency, in words."""
    if definition is None:
        if effective is not None and effective.source == "national":
            return _("Dùng biểu mẫu chung (phiên bản %(n)s)") % {"n": effective.version}
        return _("Dùng biểu mẫu mặc định theo danh mục thủ tục")
    if not definition.version:
        return _("Bản nháp, chưa công bố")
    if not definition.is_active:
        return _("Đã ngừng áp dụng (phiên bản %(n)s)") % {"n": definition.version}
    if definition.has_changes:
        return _("Đang áp dụng phiên bản %(n)s; có thay đổi chưa công bố") % {"n": definition.version}
    return _("Đang áp dụng phiên bản %(n)s") % {"n": definition.version}


def scope_rows(actor, agency: Agency | None) -> list[dict]:
    """For an agency: its offerings that can be filed online (or could be, once opened), each with its
    form's state. For the national scope (None): every national definition."""
    _require(actor, agency)
    if agency is None:
        return [
            {"procedure": d.procedure, "definition": d, "offering": None, "status": status_label(d)}
            for d in _definitions().filter(agency__isnull=True).order_by("procedure__code")
        ]
    offerings = list(
        Offering.objects.filter(agency=agency, is_active=True)
        .exclude(procedure__online_level=OnlineLevel.INFO)
        .select_related("procedure")
        .order_by("-online_open", "procedure__code")
    )
    procedure_ids = [o.procedure_id for o in offerings]
    own = {d.procedure_id: d for d in _definitions().filter(agency=agency, procedure_id__in=procedure_ids)}
    national = {
        d.procedure_id: d
        for d in FormDefinition.objects.filter(
            agency__isnull=True, procedure_id__in=procedure_ids, is_active=True, published__isnull=False
        )
    }
    rows = []
    for o in offerings:
        d = own.get(o.procedure_id)
        shared = national.get(o.procedure_id)
        effective = FormSpec(title="", source="national", version=shared.version) if shared else None
        rows.append(
            {"procedure": o.procedure, "definition": d, "offering": o, "status": status_label(d, effective)}
        )
    return rows


# --- writing helpers -------------------------------------------------------------------------------


def _lock(actor, definition_id) -> FormDefinition:
    try:
        definition = (
            FormDefinition.objects.select_for_update(of=("self",))
            .select_related("procedure", "agency")
            .get(pk=int(definition_id))
        )
    except (FormDefinition.DoesNotExist, TypeError, ValueError):
        raise NotFound(_("Không tìm thấy biểu mẫu.")) from None
    _require(actor, definition.agency)
    return definition


def _choices_text(choices) -> str:
    return "\n".join(value if value == label else f"{value}|{label}" for value, label in choices)


def _field_values(item: FieldSpec) -> dict:
    return {
        "key": item.key,
        "label": item.label.strip(),
        "type": item.type,
        "required": bool(item.required),
        "help_text": (item.help_text or "").strip(),
        "choices": _choices_text(item.choices),
        "show_if_field": item.show_if_field or "",
        "show_if_value": (item.show_if_value or "").strip(),
        "max_length": item.max_length,
        "pattern": item.pattern or "",
        "pattern_message": (item.pattern_message or "").strip(),
        "prefill": bool(item.prefill),
    }


def _component_values(item: ComponentSpec) -> dict:
    return {
        "name": item.name.strip(),
        "required": bool(item.required),
        "originals": item.originals,
        "copies": item.copies,
        "help_text": (item.help_text or "").strip(),
        "kinds": ",".join(item.kinds),
    }


LIMITS = {"label": 300, "help_text": 500, "show_if_value": 200, "pattern": 300, "pattern_message": 300}


def _length_problems(spec: FormSpec) -> list[Problem]:
    """Values longer than the columns hold, refused with a message instead of a database error."""
    out = []
    if len(spec.title or "") > 300:
        out.append(Problem("form", None, "title", _("Tên tờ khai dài quá 300 ký tự.")))
    if any(len(x) > 500 for x in spec.in_person) or len(spec.in_person) > 20:
        out.append(
            Problem(
                "form",
                None,
                "in_person",
                _("Tối đa 20 việc phải làm trực tiếp, mỗi việc không quá 500 ký tự."),
            )
        )
    for i, f in enumerate(spec.fields):
        for attr, limit in LIMITS.items():
            if len(getattr(f, attr) or "") > limit:
                out.append(Problem("field", i, attr, _("Không được dài quá %(n)s ký tự.") % {"n": limit}))
        if len(_choices_text(f.choices)) > 10000:
            out.append(Problem("field", i, "choices", _("Danh sách lựa chọn quá dài.")))
    for i, c in enumerate(spec.components):
        if len(c.name or "") > 500:
            out.append(Problem("component", i, "name", _("Không được dài quá %(n)s ký tự.") % {"n": 500}))
        if len(c.help_text or "") > 500:
            out.append(
                Problem("component", i, "help_text", _("Không được dài quá %(n)s ký tự.") % {"n": 500})
            )
    return out


def _all_problems(spec: FormSpec) -> list[Problem]:
    return _length_problems(spec) + definitions.problems(spec)


def _check(before: FormSpec | None, after: FormSpec) -> None:
    """Refuse ``after`` if it has a problem that ``before`` did not have (a definition saved before
    these checks existed can still be repaired one field at a time); ``before`` None: every problem."""
    known = {p.message for p in _all_problems(before)} if before is not None else set()
    new = [p for p in _all_problems(after) if p.message not in known]
    if new:
        raise InvalidDefinition(new)


def _write_all(definition: FormDefinition, spec: FormSpec) -> None:
    definition.fields.all().delete()
    definition.components.all().delete()
    FormField.objects.bulk_create(
        [
            FormField(definition=definition, position=i, **_field_values(f))
            for i, f in enumerate(spec.fields, 1)
        ]
    )
    FormComponent.objects.bulk_create(
        [
            FormComponent(definition=definition, position=i, **_component_values(c))
            for i, c in enumerate(spec.components, 1)
        ]
    )


def _changed(definition: FormDefinition, actor, *extra: str) -> None:
    definition.has_changes = True
    definition.updated_by = actor
    definition.save(update_fields=["has_changes", "updated_by", "updated_at", *extra])


def _renumber(rows) -> None:
    for i, row in enumerate(rows, 1):
        row.position = i
    if rows:
        type(rows[0]).objects.bulk_update(rows, ["position"])


def _record(action: str, definition: FormDefinition, actor, **data) -> None:
    audit.record(
        action,
        obj=definition,
        actor=actor,
        data={
            "procedure": definition.procedure.code,
            "agency": definition.agency.code if definition.agency_id else None,
            **data,
        },
    )


def _clean_field(item: FieldSpec) -> FieldSpec:
    return replace(
        item,
        key=(item.key or "").strip(),
        label=(item.label or "").strip(),
        help_text=(item.help_text or "").strip(),
        show_if_field=(item.show_if_field or "").strip(),
        show_if_value=(item.show_if_value or "").strip(),
        choices=[(str(v).strip(), str(lb).strip()) for v, lb in item.choices],
        pattern_message=(item.pattern_message or "").strip(),
    )


def _clean_component(item: ComponentSpec) -> ComponentSpec:
    return replace(
        item,
        name=(item.name or "").strip(),
        help_text=(item.help_text or "").strip(),
        kinds=sorted({k.strip().lower() for k in item.kinds if k.strip()}),
    )


def _clean(spec: FormSpec) -> FormSpec:
    return replace(
        spec,
        title=(spec.title or "").strip(),
        intro=(spec.intro or "").strip(),
        in_person=[x.strip() for x in spec.in_person if x and x.strip()],
        fields=[_clean_field(f) for f in spec.fields],
        components=[_clean_component(c) for c in spec.components],
    )


# --- use cases -------------------------------------------------------------------------------------


def create_definition(
    actor, *, procedure_code: str, agency_code: str = "", content: FormSpec | None = None
) -> FormDefinition:
    """The agency's own form for a procedure (``agency_code`` empty: the national form), starting from
    the form in force there (the national one, else the catalogue-derived default) unless ``content``
    is given. It is a draft: citizens see it once it is published."""
    procedure = find_procedure(procedure_code)
    agency = find_agency(agency_code) if agency_code else None
    with transaction.atomic():
        _require(actor, agency)
        if procedure.online_level == OnlineLevel.INFO:
            raise ServiceError(
                _(
                    "Thủ tục “%(name)s” chỉ cung cấp thông tin, không nộp hồ sơ trực tuyến nên không có biểu mẫu."
                )
                % {"name": procedure.name},
                code="online_not_available",
            )
        if agency is not None:
            if not agency.is_active:
                raise ServiceError(_("Cơ quan đã ngừng hoạt động."))
            if not Offering.objects.filter(agency=agency, procedure=procedure, is_active=True).exists():
                raise ServiceError(
                    _(
                        "%(agency)s chưa cung cấp thủ tục %(code)s. Thêm thủ tục trong mục Quản lý thủ tục của "
                        "cơ quan trước."
                    )
                    % {"agency": agency.name, "code": procedure.code},
                    code="not_offered",
                )
        if FormDefinition.objects.filter(procedure=procedure, agency=agency).exists():
            raise Conflict(_("Đã có biểu mẫu cho thủ tục này; hãy sửa biểu mẫu đó."), code="exists")
        base = definitions.spec_for(procedure, agency) if content is None else _clean(content)
        if content is not None:
            _check(None, base)
        definition = FormDefinition(
            procedure=procedure,
            agency=agency,
            title=(base.title or procedure.name)[:300],
            intro=base.intro,
            in_person="\n".join(base.in_person),
            is_active=False,
            has_changes=True,
            updated_by=actor,
        )
        try:
            with transaction.atomic():
                definition.save()
        except IntegrityError:  # created by someone else a moment ago
            raise Conflict(_("Đã có biểu mẫu cho thủ tục này; hãy sửa biểu mẫu đó."), code="exists") from None
        _write_all(definition, base)
        _record(
            "portal.form.create",
            definition,
            actor,
            based_on="content" if content is not None else base.source,
            based_on_version=base.version,
        )
        return definition


def update_definition(
    actor, definition_id, *, title: str, intro: str, in_person: list[str] | None = None
) -> FormDefinition:
    """Title, introduction and (partially online procedures) what must still be done in person."""
    with transaction.atomic():
        definition = _lock(actor, definition_id)
        before = definitions.working_spec(definition)
        after = replace(
            before,
            title=(title or "").strip(),
            intro=(intro or "").strip(),
            in_person=before.in_person if in_person is None else [x.strip() for x in in_person if x.strip()],
        )
        _check(before, after)
        old = {"title": definition.title, "intro": definition.intro, "in_person": before.in_person}
        definition.title, definition.intro = after.title, after.intro
        definition.in_person = "\n".join(after.in_person)
        _changed(definition, actor, "title", "intro", "in_person")
        _record(
            "portal.form.update",
            definition,
            actor,
            before=old,
            after={"title": after.title, "intro": after.intro, "in_person": after.in_person},
        )
        return definition


def replace_definition(actor, definition_id, content: FormSpec) -> FormDefinition:
    """Everything at once (the API's PUT): title, introduction, fields and components, in their order."""
    with transaction.atomic():
        definition = _lock(actor, definition_id)
        content = _clean(content)
        _check(None, content)
        definition.title, definition.intro = content.title[:300], content.intro
        definition.in_person = "\n".join(content.in_person)
        _write_all(definition, content)
        _changed(definition, actor, "title", "intro", "in_person")
        _record(
            "portal.form.replace",
            definition,
            actor,
            fields=[f.key for f in content.fields],
            components=[c.name for c in content.components],
        )
        return definition


def save_field(actor, definition_id, item: FieldSpec, *, original_key: str = "") -> FieldSpec:
    """Add a field (``original_key`` empty, at the end) or change one (its key may change: the
    conditions of other fields follow it)."""
    item = _clean_field(item)
    with transaction.atomic():
        definition = _lock(actor, definition_id)
        rows = list(definition.fields.all())
        before = definitions.working_spec(definition)
        fields = list(before.fields)
        index = next((i for i, r in enumerate(rows) if r.key == original_key), None) if original_key else None
        if original_key and index is None:
            raise NotFound(_("Không tìm thấy trường “%(key)s” trong biểu mẫu.") % {"key": original_key})
        renamed = bool(original_key) and item.key != original_key
        if index is None:
            fields.append(item)
        else:
            fields[index] = item
            if renamed:
                fields = [
                    replace(f, show_if_field=item.key)
                    if f.show_if_field == original_key and i != index
                    else f
                    for i, f in enumerate(fields)
                ]
        _check(before, replace(before, fields=fields))
        if index is None:
            top = definition.fields.aggregate(top=Max("position"))["top"] or 0
            FormField.objects.create(definition=definition, position=top + 1, **_field_values(item))
        else:
            row = rows[index]
            old = _field_values(before.fields[index])
            for attr, value in _field_values(item).items():
                setattr(row, attr, value)
            row.save()
            if renamed:
                definition.fields.filter(show_if_field=original_key).exclude(pk=row.pk).update(
                    show_if_field=item.key
                )
        _changed(definition, actor)
        _record(
            "portal.form.field.update" if index is not None else "portal.form.field.add",
            definition,
            actor,
            key=item.key,
            before=old if index is not None else None,
            after=_field_values(item),
        )
        return item


def delete_field(actor, definition_id, key: str) -> None:
    with transaction.atomic():
        definition = _lock(actor, definition_id)
        row = definition.fields.filter(key=key or "").first()
        if row is None:
            raise NotFound(_("Không tìm thấy trường “%(key)s” trong biểu mẫu.") % {"key": key})
        dependents = list(definition.fields.filter(show_if_field=row.key).exclude(pk=row.pk))
        if dependents:
            raise ServiceError(
                _(
                    "Không xoá được trường “%(name)s”: %(others)s chỉ hiện theo trường này. Sửa hoặc bỏ điều "
                    "kiện hiện của các trường đó trước."
                )
                % {"name": row.label, "others": ", ".join(f"“{d.label}”" for d in dependents)},
                code="field_in_use",
                field="key",
            )
        old = {"key": row.key, "label": row.label, "type": row.type, "required": row.required}
        row.delete()
        _renumber(list(definition.fields.all()))
        _changed(definition, actor)
        _record("portal.form.field.delete", definition, actor, key=key, before=old)


def _move(rows: list, index: int, direction: str) -> list:
    if direction not in (UP, DOWN):
        raise ServiceError(_("Hướng di chuyển không hợp lệ."), field="direction")
    other = index - 1 if direction == UP else index + 1
    if not 0 <= other < len(rows):
        raise ServiceError(
            _("Mục này đã ở đầu danh sách.") if direction == UP else _("Mục này đã ở cuối danh sách."),
            code="cannot_move",
        )
    rows[index], rows[other] = rows[other], rows[index]
    return rows


def move_field(actor, definition_id, key: str, direction: str) -> None:
    with transaction.atomic():
        definition = _lock(actor, definition_id)
        rows = list(definition.fields.all())
        index = next((i for i, r in enumerate(rows) if r.key == key), None)
        if index is None:
            raise NotFound(_("Không tìm thấy trường “%(key)s” trong biểu mẫu.") % {"key": key})
        _renumber(_move(rows, index, direction))
        _changed(definition, actor)
        _record(
            "portal.form.field.move",
            definition,
            actor,
            key=key,
            direction=direction,
            order=[r.key for r in rows],
        )


def _component_row(definition, component_id) -> tuple[list, int]:
    rows = list(definition.components.all())
    index = next((i for i, r in enumerate(rows) if str(r.pk) == str(component_id)), None)
    if index is None:
        raise NotFound(_("Không tìm thấy thành phần hồ sơ trong biểu mẫu."))
    return rows, index


def save_component(actor, definition_id, item: ComponentSpec, *, component_id=None) -> FormComponent:
    """Add a component (at the end) or change one."""
    item = _clean_component(item)
    with transaction.atomic():
        definition = _lock(actor, definition_id)
        before = definitions.working_spec(definition)
        components = list(before.components)
        if component_id is None:
            components.append(item)
            index = None
        else:
            rows, index = _component_row(definition, component_id)
            components[index] = item
        _check(before, replace(before, components=components))
        if index is None:
            top = definition.components.aggregate(top=Max("position"))["top"] or 0
            row = FormComponent.objects.create(
                definition=definition, position=top + 1, **_component_values(item)
            )
            old = None
        else:
            row = rows[index]
            old = _component_values(before.components[index])
            for attr, value in _component_values(item).items():
                setattr(row, attr, value)
            row.save()
        _changed(definition, actor)
        _record(
            "portal.form.component.update" if old is not None else "portal.form.component.add",
            definition,
            actor,
            component=row.pk,
            before=old,
            after=_component_values(item),
        )
        return row


def delete_component(actor, definition_id, component_id) -> None:
    with transaction.atomic():
        definition = _lock(actor, definition_id)
        rows, index = _component_row(definition, component_id)
        row = rows.pop(index)
        old = {"name": row.name, "required": row.required}
        row.delete()
        _renumber(rows)
        _changed(definition, actor)
        _record("portal.form.component.delete", definition, actor, component=int(component_id), before=old)


def move_component(actor, definition_id, component_id, direction: str) -> None:
    with transaction.atomic():
        definition = _lock(actor, definition_id)
        rows, index = _component_row(definition, component_id)
        _renumber(_move(rows, index, direction))
        _changed(definition, actor)
        _record(
            "portal.form.component.move",
            definition,
            actor,
            component=int(component_id),
            direction=direction,
            order=[r.pk for r in rows],
        )


def publish(actor, definition_id) -> FormDefinition:
    """Citizens get this form from now on (a new version): a snapshot of the rows being edited."""
    with transaction.atomic():
        definition = _lock(actor, definition_id)
        spec = definitions.working_spec(definition)
        found = _all_problems(spec)
        if found:
            raise InvalidDefinition(found)
        if not spec.fields and not spec.components:
            raise ServiceError(
                _("Biểu mẫu cần ít nhất một trường thông tin hoặc một thành phần hồ sơ trước khi công bố."),
                code="empty_definition",
            )
        if definition.is_active and not definition.has_changes:
            raise Conflict(
                _("Biểu mẫu không có thay đổi nào kể từ khi công bố phiên bản %(n)s.")
                % {"n": definition.version},
                code="nothing_to_publish",
            )
        definition.published = definitions.snapshot(spec)
        definition.version += 1
        definition.published_at = timezone.now()
        definition.published_by = actor
        definition.is_active = True
        definition.has_changes = False
        definition.save(
            update_fields=[
                "published",
                "version",
                "published_at",
                "published_by",
                "is_active",
                "has_changes",
                "updated_at",
            ]
        )
        _record(
            "portal.form.publish",
            definition,
            actor,
            version=definition.version,
            fields=[f.key for f in spec.fields],
            components=[c.name for c in spec.components],
        )
        return definition


def unpublish(actor, definition_id) -> FormDefinition:
    """Stop using the definition: the agency's citizens get the national form or the default again."""
    with transaction.atomic():
        definition = _lock(actor, definition_id)
        if not definition.is_active:
            raise Conflict(_("Biểu mẫu này đang không được áp dụng."), code="not_active")
        definition.is_active = False
        definition.save(update_fields=["is_active", "updated_at"])
        _record("portal.form.unpublish", definition, actor, version=definition.version)
        return definition


def delete_definition(actor, definition_id) -> None:
    with transaction.atomic():
        definition = _lock(actor, definition_id)
        _record(
            "portal.form.delete",
            definition,
            actor,
            version=definition.version,
            published=definition.published,
        )
        definition.delete()


def preview(actor, definition_id, answers: dict | None = None):
    """(working form, cleaned answers, errors) — how citizens would see the form once published."""
    definition = get(actor, definition_id)
    spec = definitions.working_spec(definition)
    if answers is None:
        return spec, {}, {}
    cleaned, errors = definitions.validate(spec, answers)
    return spec, cleaned, errors


def field_as_dict(item: FieldSpec) -> dict:
    data = asdict(item)
    data["choices"] = [list(c) for c in item.choices]
    return data
