"""The form builder's pages, for agency administrators (and system administrators), next to the
catalogue's offering pages. Thin: every change is one function of ``builder.py``; no JavaScript needed
(reordering is a button per row, deleting asks for confirmation on its own page)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from congso.core.errors import NotFound, ServiceError
from congso.core.permissions import require
from congso.directory.models import Agency

from . import builder, definitions, services
from .forms import ComponentForm, DefinitionForm, FieldForm, NationalForm, put_errors
from .views import _rows

NATIONAL = "toan-quoc"  # the URL scope of the national forms (system administrators)


def _scope(request, scope: str) -> Agency | None:
    if scope == NATIONAL:
        agency = None
    else:
        agency = Agency.objects.filter(code=scope[:60]).select_related("unit").first()
        if agency is None:
            raise Http404
    require(request.user, "portal.manage_forms", agency, builder.forbidden_message())
    return agency


def _procedure(code: str):
    try:
        return builder.find_procedure(code)
    except NotFound:
        raise Http404 from None


def _edit_url(scope: str, code: str) -> str:
    return reverse("portal:form_edit", args=[scope, code])


def _context(request, scope, agency, procedure, **extra) -> dict:
    return {
        "scope": scope,
        "agency": agency,
        "national": agency is None,
        "procedure": procedure,
        "edit_url": _edit_url(scope, procedure.code) if procedure else None,
        **extra,
    }


def _definition(request, scope, code):
    """(agency, procedure, definition) — 404 when the agency has no form of its own yet."""
    agency = _scope(request, scope)
    procedure = _procedure(code)
    definition = builder.find(request.user, procedure, agency)
    if definition is None:
        raise Http404
    return agency, procedure, definition


@login_required
@require_GET
def home(request):
    agencies = builder.managed_agencies(request.user).select_related("unit").order_by("unit__level", "name")
    national = builder.may_manage_national(request.user)
    if not national and not agencies.exists():
        raise PermissionDenied(_("Bạn không quản lý biểu mẫu của cơ quan nào."))
    agencies = agencies.annotate(
        own_forms=Count("form_definitions", filter=Q(form_definitions__is_active=True), distinct=True)
    )
    return render(
        request,
        "portal/manage/home.html",
        {"agencies": agencies, "national": national, "national_scope": NATIONAL},
    )


@login_required
@require_http_methods(["GET", "POST"])
def scope(request, scope):
    agency = _scope(request, scope)
    add_form, status = None, 200
    if agency is None:  # national forms: added by procedure code
        add_form = NationalForm(request.POST or None)
        if request.method == "POST":
            if add_form.is_valid():
                code = add_form.cleaned_data["code"].strip()
                try:
                    builder.create_definition(request.user, procedure_code=code)
                except ServiceError as exc:
                    put_errors(add_form, exc)
                else:
                    messages.success(
                        request,
                        _("Đã tạo biểu mẫu chung cho thủ tục %(code)s (chưa công bố).") % {"code": code},
                    )
                    return redirect("portal:form_edit", scope=NATIONAL, code=code)
            status = 400
    elif request.method == "POST":
        return HttpResponseNotAllowed(["GET"])
    return render(
        request,
        "portal/manage/scope.html",
        _context(
            request, scope, agency, None, rows=builder.scope_rows(request.user, agency), add_form=add_form
        ),
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, scope, code):
    agency = _scope(request, scope)
    procedure = _procedure(code)
    definition = builder.find(request.user, procedure, agency)
    if definition is None:
        effective = definitions.spec_for(procedure, agency)
        return render(
            request,
            "portal/manage/new.html",
            _context(request, scope, agency, procedure, effective=effective),
        )
    form = DefinitionForm(
        request.POST or None,
        initial={"title": definition.title, "intro": definition.intro, "in_person": definition.in_person},
        prefix="general",
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                builder.update_definition(
                    request.user,
                    definition.pk,
                    title=form.cleaned_data["title"],
                    intro=form.cleaned_data["intro"],
                    in_person=definitions.lines_of(form.cleaned_data["in_person"]),
                )
            except ServiceError as exc:
                put_errors(form, exc)
            else:
                messages.success(request, _("Đã lưu tên và hướng dẫn của biểu mẫu."))
                return redirect(_edit_url(scope, procedure.code))
        status = 400
    return render(
        request,
        "portal/manage/edit.html",
        _context(
            request,
            scope,
            agency,
            procedure,
            definition=definition,
            status_text=builder.status_label(definition),
            form=form,
            fields=list(definition.fields.all()),
            components=list(definition.components.all()),
        ),
        status=status,
    )


@login_required
@require_POST
def create(request, scope, code):
    agency = _scope(request, scope)
    procedure = _procedure(code)
    try:
        builder.create_definition(
            request.user, procedure_code=procedure.code, agency_code=agency.code if agency else ""
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Đã tạo biểu mẫu riêng từ biểu mẫu đang áp dụng. Sửa rồi bấm “Công bố” để người dân dùng."),
        )
    return redirect(_edit_url(scope, procedure.code))


def _field_form_page(request, scope, code, key=None):
    agency, procedure, definition = _definition(request, scope, code)
    spec = definitions.working_spec(definition)
    current = spec.field(key) if key else None
    if key and current is None:
        raise Http404
    others = [f for f in spec.fields if f.key != key]
    initial = FieldForm.initial_for(current) if current else {"type": "text"}
    form = FieldForm(request.POST or None, initial=initial, others=others)
    return _item_page(
        request,
        scope,
        agency,
        procedure,
        definition,
        form,
        current,
        template="portal/manage/field.html",
        save=lambda: builder.save_field(request.user, definition.pk, form.spec(), original_key=key or ""),
        saved=lambda item: _("Đã lưu trường “%(label)s”.") % {"label": item.label},
    )


def _item_page(request, scope, agency, procedure, definition, form, current, *, template, save, saved):
    """The page of one item of a form (a field or a dossier component): on a valid POST, ``save()``
    through the builder's service and back to the form's page; a refusal goes onto the form (400)."""
    if request.method == "POST" and form.is_valid():
        try:
            item = save()
        except ServiceError as exc:
            put_errors(form, exc)
        else:
            messages.success(request, saved(item))
            return redirect(_edit_url(scope, procedure.code))
    return render(
        request,
        template,
        _context(request, scope, agency, procedure, definition=definition, form=form, current=current),
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def field_add(request, scope, code):
    return _field_form_page(request, scope, code)


@login_required
@require_http_methods(["GET", "POST"])
def field_edit(request, scope, code, key):
    return _field_form_page(request, scope, code, key)


def _confirm(request, scope, procedure, definition, *, what: str, action: str, agency):
    return render(
        request,
        "portal/manage/confirm.html",
        _context(request, scope, agency, procedure, definition=definition, what=what, action=action),
    )


@login_required
@require_http_methods(["GET", "POST"])
def field_delete(request, scope, code, key):
    agency, procedure, definition = _definition(request, scope, code)
    field = definition.fields.filter(key=key).first()
    if field is None:
        raise Http404
    return _delete_page(
        request,
        scope,
        agency,
        procedure,
        definition,
        delete=lambda: builder.delete_field(request.user, definition.pk, key),
        deleted=_("Đã xoá trường “%(label)s”.") % {"label": field.label},
        what=_("trường “%(label)s” (%(key)s)") % {"label": field.label, "key": field.key},
    )


def _delete_page(request, scope, agency, procedure, definition, *, delete, deleted, what):
    """Confirm (GET), then ``delete()`` through the builder's service (POST) and back to the form."""
    if request.method == "POST":
        try:
            delete()
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, deleted)
        return redirect(_edit_url(scope, procedure.code))
    return _confirm(request, scope, procedure, definition, agency=agency, what=what, action=request.path)


def _moved(request, scope, code, move, ident):
    agency, procedure, definition = _definition(request, scope, code)
    try:
        move(request.user, definition.pk, ident, request.POST.get("direction", ""))
    except NotFound:
        raise Http404 from None
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã đổi thứ tự."))
    return redirect(_edit_url(scope, procedure.code))


@login_required
@require_POST
def field_move(request, scope, code, key):
    return _moved(request, scope, code, builder.move_field, key)


def _component_form_page(request, scope, code, pk=None):
    agency, procedure, definition = _definition(request, scope, code)
    current = None
    if pk is not None:
        row = definition.components.filter(pk=pk).first()
        if row is None:
            raise Http404
        current = definitions.ComponentSpec(
            row.name, row.required, row.originals, row.copies, row.help_text, definitions.kinds_of(row.kinds)
        )
    initial = ComponentForm.initial_for(current) if current else {"required": True}
    form = ComponentForm(request.POST or None, initial=initial)
    return _item_page(
        request,
        scope,
        agency,
        procedure,
        definition,
        form,
        current,
        template="portal/manage/component.html",
        save=lambda: builder.save_component(request.user, definition.pk, form.spec(), component_id=pk),
        saved=lambda item: _("Đã lưu thành phần “%(name)s”.") % {"name": item.name},
    )


@login_required
@require_http_methods(["GET", "POST"])
def component_add(request, scope, code):
    return _component_form_page(request, scope, code)


@login_required
@require_http_methods(["GET", "POST"])
def component_edit(request, scope, code, pk):
    return _component_form_page(request, scope, code, pk)


@login_required
@require_http_methods(["GET", "POST"])
def component_delete(request, scope, code, pk):
    agency, procedure, definition = _definition(request, scope, code)
    row = definition.components.filter(pk=pk).first()
    if row is None:
        raise Http404
    return _delete_page(
        request,
        scope,
        agency,
        procedure,
        definition,
        delete=lambda: builder.delete_component(request.user, definition.pk, pk),
        deleted=_("Đã xoá thành phần “%(name)s”.") % {"name": row.name},
        what=_("thành phần hồ sơ “%(name)s”") % {"name": row.name},
    )


@login_required
@require_POST
def component_move(request, scope, code, pk):
    return _moved(request, scope, code, builder.move_component, pk)


@login_required
@require_http_methods(["GET", "POST"])
def preview(request, scope, code):
    agency, procedure, definition = _definition(request, scope, code)
    answers = None
    if request.method == "POST":
        spec = definitions.working_spec(definition)
        answers = {item.key: request.POST.get(item.html_name, "") for item in spec.fields}
    spec, cleaned, errors = builder.preview(request.user, definition.pk, answers)
    rows = _rows(spec, answers or {}, errors)
    return render(
        request,
        "portal/manage/preview.html",
        _context(
            request,
            scope,
            agency,
            procedure,
            definition=definition,
            spec=spec,
            rows=rows,
            error_rows=[r for r in rows if r["error"]],
            checked=answers is not None and not errors,
            terms=services.online_terms(procedure, agency, spec, None) if agency else None,
            cleaned=[
                (item.label, definitions.display_value(item, cleaned[item.key]))
                for item in spec.fields
                if item.key in cleaned
            ],
        ),
    )


@login_required
@require_POST
def publish(request, scope, code):
    agency, procedure, definition = _definition(request, scope, code)
    try:
        definition = builder.publish(request.user, definition.pk)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Đã công bố phiên bản %(n)s. Người dân nộp hồ sơ trực tuyến dùng biểu mẫu này từ bây giờ.")
            % {"n": definition.version},
        )
    return redirect(_edit_url(scope, procedure.code))


@login_required
@require_POST
def unpublish(request, scope, code):
    agency, procedure, definition = _definition(request, scope, code)
    try:
        builder.unpublish(request.user, definition.pk)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Đã ngừng áp dụng biểu mẫu này; người dân dùng biểu mẫu chung hoặc biểu mẫu mặc định."),
        )
    return redirect(_edit_url(scope, procedure.code))


@login_required
@require_http_methods(["GET", "POST"])
def delete(request, scope, code):
    agency, procedure, definition = _definition(request, scope, code)
    if request.method == "POST":
        try:
            builder.delete_definition(request.user, definition.pk)
        except ServiceError as exc:
            messages.error(request, exc.message)
            return redirect(_edit_url(scope, procedure.code))
        messages.success(request, _("Đã xoá biểu mẫu của thủ tục %(code)s.") % {"code": procedure.code})
        return redirect("portal:forms_scope", scope=scope)
    return _confirm(
        request,
        scope,
        procedure,
        definition,
        agency=agency,
        what=_("toàn bộ biểu mẫu này (mọi trường và thành phần hồ sơ)"),
        action=request.path,
    )
