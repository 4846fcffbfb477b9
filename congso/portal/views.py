"""Pages of online filing: start, the five steps, drafts, and the result. Thin: services do the work."""

from __future__ import annotations

import re
import uuid
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from congso.accounts.services import is_helper
from congso.catalog.services import offering_for
from congso.core.errors import NotFound, ServiceError
from congso.dossiers import slips

from . import definitions, prefill, services
from .models import FieldType

STEP_SLUGS = {
    "applicant": "nguoi-nop",
    "details": "thong-tin",
    "uploads": "tai-lieu",
    "review": "kiem-tra",
    "declaration": "cam-doan",
}
SLUG_STEPS = {v: k for k, v in STEP_SLUGS.items()}


def step_titles():
    return {
        "applicant": _("Người nộp hồ sơ"),
        "details": _("Thông tin tờ khai"),
        "uploads": _("Thành phần hồ sơ"),
        "review": _("Kiểm tra thông tin"),
        "declaration": _("Cam đoan và nộp hồ sơ"),
    }


def step_url(draft, step: str) -> str:
    return reverse("portal:step", args=[draft.pk, STEP_SLUGS[step]])


def _problem(request, error: ServiceError):
    return render(request, "portal/problem.html", {"message": error.message}, status=error.status)


# --- start -------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def start(request):
    code = (request.GET.get("thu-tuc") or request.POST.get("thu-tuc") or "").strip()
    agency_code = (request.GET.get("co-quan") or request.POST.get("co-quan") or "").strip()
    if not code:
        drafts = list(services.drafts_for(request.user)[:50]) if request.user.is_authenticated else []
        return render(request, "portal/start.html", {"drafts": drafts, "now": timezone.now()})
    try:
        procedure = services.find_procedure(code)
    except NotFound as exc:
        return _problem(request, exc)
    agency = offering = None
    error, errors = "", {}
    try:
        agency = services.find_agency(agency_code) if agency_code else None
        if agency is None:
            raise ServiceError(_("Chọn cơ quan tiếp nhận hồ sơ trên trang thủ tục."), code="no_agency")
        offering = services.online_offering(procedure, agency)
    except ServiceError as exc:
        error = exc.message
    if request.method == "POST" and not error:
        if not request.user.is_authenticated:
            target = (
                f"{reverse('portal:start')}?{urlencode({'thu-tuc': procedure.code, 'co-quan': agency.code})}"
            )
            return redirect(f"{reverse('accounts:login')}?{urlencode({'next': target})}")
        cccd = request.POST.get("cccd", "").strip() if request.POST.get("assisted") else ""
        if request.POST.get("assisted") and not cccd:
            errors["cccd"] = _("Nhập số CCCD của công dân bạn nộp thay.")
        else:
            try:
                draft = services.start_draft(
                    request.user, procedure_code=procedure.code, agency_code=agency.code, citizen_cccd=cccd
                )
                return redirect(step_url(draft, "applicant"))
            except ServiceError as exc:
                errors["cccd" if cccd else "__all__"] = exc.message
    spec = definitions.spec_for(procedure, agency) if not error else None
    return render(
        request,
        "portal/procedure.html",
        {
            "procedure": procedure,
            "agency": agency,
            "error": error,
            "errors": errors,
            "spec": spec,
            "terms": services.online_terms(procedure, agency, spec, offering) if spec else None,
            "helper": request.user.is_authenticated and is_helper(request.user),
            "cccd": request.POST.get("cccd", ""),
        },
        status=200 if not error else 403,
    )


@login_required
def drafts(request):
    return render(
        request,
        "portal/drafts.html",
        {"drafts": list(services.drafts_for(request.user)[:200]), "now": timezone.now()},
    )


@login_required
def resume(request, draft_id):
    try:
        draft = services.get_draft(request.user, draft_id, editable=False)
        if draft.dossier_id:
            return redirect("portal:done", code=draft.dossier.code)
        draft = services.get_draft(request.user, draft_id)
    except NotFound:
        raise Http404 from None
    except ServiceError as exc:
        return _problem(request, exc)
    return redirect(step_url(draft, draft.step if draft.step in STEP_SLUGS else "applicant"))


@login_required
@require_http_methods(["GET", "POST"])
def delete(request, draft_id):
    try:
        draft = services.get_draft(request.user, draft_id, editable=False)
        if request.method == "POST":
            services.delete_draft(draft.pk, request.user)
            messages.success(request, _("Đã xoá hồ sơ nháp."))
            return redirect("portal:drafts")
    except NotFound:
        raise Http404 from None
    except ServiceError as exc:
        return _problem(request, exc)
    return render(request, "portal/delete.html", {"draft": draft})


@login_required
@require_POST
def remove_upload(request, draft_id, upload_id):
    try:
        services.remove_upload(draft_id, request.user, upload_id)
    except NotFound:
        raise Http404 from None
    except ServiceError as exc:
        return _problem(request, exc)
    messages.success(request, _("Đã bỏ tệp đã chọn."))
    return redirect("portal:step", draft_id=draft_id, step=STEP_SLUGS["uploads"])


# --- the steps ---------------------------------------------------------------------------------


ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _rows(spec, values: dict, errors: dict, prefix: str = "f_", sources: dict | None = None):
    """The template's view of each field; ``sources``: where a prefilled value came from, by key.

    The note "Điền sẵn theo: …" is shown once per source in the section (under the first field filled
    from it), and every field filled from that source is described by that one note."""
    rows = []
    sources = sources or {}
    notes: dict[str, str] = {}  # source -> id of the note that names it
    for item in spec.fields:
        value = values.get(item.key, "")
        controller = spec.field(item.show_if_field) if item.show_if_field else None
        condition = ""
        if item.show_if_field:
            shown = item.show_if_value
            if controller is not None and controller.type == FieldType.SELECT:
                shown = dict(controller.choices).get(item.show_if_value, item.show_if_value)
            if controller is not None and controller.type == FieldType.CHECKBOX:
                shown = _("được đánh dấu")
            condition = _("Chỉ điền khi “%(field)s” là “%(value)s”.") % {
                "field": controller.label if controller else item.show_if_field,
                "value": shown,
            }
        html_id = f"id_{prefix}{item.key}"
        error = errors.get(item.key, "")
        source = sources.get(item.key, "") if value not in ("", None) else ""
        show_source = bool(source) and source not in notes
        if show_source:
            notes[source] = f"{html_id}-source"
        is_date = item.type in (FieldType.DATE, FieldType.BIRTH_DATE)
        if is_date and isinstance(value, str) and ISO_DATE.fullmatch(value):
            value = f"{value[8:10]}/{value[5:7]}/{value[0:4]}"  # shown as the person types it
        described = [
            f"{html_id}-{suffix}"
            for suffix, present in (("cond", condition), ("hint", item.help_text), ("format", is_date))
            if present
        ]
        described += [notes[source]] if source else []
        described += [f"{html_id}-error"] if error else []
        rows.append(
            {
                "spec": item,
                "name": f"{prefix}{item.key}",
                "id": html_id,
                "value": value,
                "checked": value is True or str(value).lower() in definitions.TRUE,
                "error": error,
                "condition": condition,
                "source": source,
                "show_source": show_source,
                "describedby": " ".join(described),
                "show_if": f"{prefix}{item.show_if_field}" if item.show_if_field else "",
            }
        )
    return rows


def _context(draft, step, **extra):
    titles = step_titles()
    index = services.STEPS.index(step)
    return {
        "draft": draft,
        "step": step,
        "step_number": index + 1,
        "step_count": len(services.STEPS),
        "step_title": titles[step],
        "steps": [
            {"key": s, "title": titles[s], "url": step_url(draft, s), "current": s == step}
            for s in services.STEPS
        ],
        "back_url": step_url(draft, services.STEPS[index - 1]) if index else None,
        "procedure": draft.procedure_version.procedure,
        "person": services.person_of(draft),
        **extra,
    }


def _next(draft, step):
    return step_url(draft, services.STEPS[services.STEPS.index(step) + 1])


@login_required
@require_http_methods(["GET", "POST"])
def step(request, draft_id, step):
    if step not in SLUG_STEPS:
        raise Http404
    key = SLUG_STEPS[step]
    try:
        draft = services.get_draft(request.user, draft_id, editable=False)
        if draft.dossier_id:  # already filed (a second click, the back button): show its result
            return redirect("portal:done", code=draft.dossier.code)
        draft = services.get_draft(request.user, draft_id)
        return STEP_VIEWS[key](request, draft)
    except NotFound:
        raise Http404 from None
    except ServiceError as exc:
        if exc.code in ("draft_expired", "already_submitted"):
            return _problem(request, exc)
        raise


def _applicant(request, draft):
    errors = {}
    values = (draft.data or {}).get("applicant") or {}
    if request.method == "POST":
        values = {
            k: request.POST.get(k, "")
            for k in [
                *(f.key for f in services.applicant_spec(draft.procedure_version.procedure).fields),
                "on_behalf_of",
            ]
        }
        draft, errors = services.update_draft(draft.pk, request.user, applicant=values, step="details")
        if not errors:
            return redirect(_next(draft, "applicant"))
    procedure = draft.procedure_version.procedure
    spec = services.applicant_spec(procedure)
    rows = _rows(spec, values, errors, prefix="", sources=prefill.sources_of(draft, "applicant"))
    return render(
        request,
        "portal/step_applicant.html",
        _context(
            draft,
            "applicant",
            rows=[r for r in rows if not r["spec"].key.startswith("co_")],
            co_rows=[r for r in rows if r["spec"].key.startswith("co_")],
            co_label=procedure.co_applicant_label,
            registry=((draft.data or {}).get("prefill") or {}).get("registry"),
            errors=errors,
            error_rows=[r for r in rows if r["error"]],
            organisations=prefill.organisations(services.person_of(draft)),
            on_behalf_of=str(values.get("on_behalf_of") or ""),
            behalf_error=errors.get("on_behalf_of", ""),
        ),
    )


def _details(request, draft):
    spec = services.spec_of(draft)
    errors = {}
    values = (draft.data or {}).get("fields") or {}
    if request.method == "POST":
        values = {item.key: request.POST.get(item.html_name, "") for item in spec.fields}
        draft, errors = services.update_draft(draft.pk, request.user, fields=values, step="uploads")
        if not errors:
            return redirect(_next(draft, "details"))
    rows = _rows(spec, values, errors, sources=prefill.sources_of(draft, "fields"))
    return render(
        request,
        "portal/step_details.html",
        _context(
            draft, "details", spec=spec, rows=rows, errors=errors, error_rows=[r for r in rows if r["error"]]
        ),
    )


def _uploads(request, draft):
    spec = services.spec_of(draft)
    errors: dict[str, str] = {}
    if request.method == "POST":
        action = request.POST.get("action", "")
        component = request.POST.get("component", "")
        try:
            if action == "upload":
                services.stage_upload(
                    draft.pk, request.user, component=component, file=request.FILES.get("file")
                )
                messages.success(request, _("Đã tải lên tệp cho “%(name)s”.") % {"name": component})
                return redirect(step_url(draft, "uploads"))
            if action == "reuse":
                document_id = request.POST.get("document", "")
                if not document_id:
                    raise ServiceError(_("Chọn một giấy tờ trong kho dữ liệu."))
                services.reuse_document(draft.pk, request.user, component=component, document_id=document_id)
                messages.success(
                    request, _("Đã dùng giấy tờ trong kho dữ liệu cho “%(name)s”.") % {"name": component}
                )
                return redirect(step_url(draft, "uploads"))
            if action == "next":
                missing = services.check(draft, spec).get("uploads", {})
                if not missing:
                    services.update_draft(draft.pk, request.user, step="review")
                    return redirect(_next(draft, "uploads"))
                errors.update(missing)
        except ServiceError as exc:
            if exc.code in ("draft_expired", "already_submitted"):
                raise
            errors[component] = exc.message
    staged = {}
    for upload in draft.uploads.all():
        staged[upload.component] = upload
    documents, store_error = [], ""
    try:
        documents = list(services.reusable_documents(draft, request.user)[:100])
    except services.ConsentMissing as exc:
        store_error = exc.message
    components = [
        {
            "spec": c,
            "index": i,
            "upload": staged.get(c.name),
            "error": errors.get(c.name, ""),
        }
        for i, c in enumerate(spec.components, start=1)
    ]
    return render(
        request,
        "portal/step_uploads.html",
        _context(
            draft,
            "uploads",
            components=components,
            errors=errors,
            error_rows=[c for c in components if c["error"]],
            documents=documents,
            store_error=store_error,
            max_upload_bytes=settings.CONGSO_MAX_UPLOAD_BYTES,
        ),
    )


def _summary(draft, spec):
    applicant = (draft.data or {}).get("applicant") or {}
    fields = (draft.data or {}).get("fields") or {}
    applicant_rows = [
        (item.label, definitions.display_value(item, applicant.get(item.key, "")))
        for item in services.applicant_spec(draft.procedure_version.procedure).fields
    ]
    organisation = services._organisation(draft, applicant.get("on_behalf_of"))
    if organisation:
        applicant_rows.append((_("Nộp cho tổ chức"), f"{organisation.name} (MST {organisation.tax_code})"))
    field_rows = [
        (item.label, definitions.display_value(item, fields.get(item.key, "")))
        for item in spec.fields
        if definitions.is_visible(spec, item, fields)
    ]
    staged = {u.component: u for u in draft.uploads.all()}
    upload_rows = [(c.name, staged.get(c.name), c.required) for c in spec.components]
    return applicant_rows, field_rows, upload_rows


def _review(request, draft):
    spec = services.spec_of(draft)
    if request.method == "POST":
        services.update_draft(draft.pk, request.user, step="declaration")
        return redirect(_next(draft, "review"))
    applicant_rows, field_rows, upload_rows = _summary(draft, spec)
    problems = services.check(draft, spec)
    return render(
        request,
        "portal/step_review.html",
        _context(
            draft,
            "review",
            applicant_rows=applicant_rows,
            field_rows=field_rows,
            upload_rows=upload_rows,
            problems=[(step_url(draft, s), m) for s, msgs in problems.items() for m in msgs.values()],
        ),
    )


def _declaration(request, draft):
    problems, error = [], ""
    if request.method == "POST":
        try:
            dossier = services.submit_draft(
                draft.pk,
                request.user,
                request.POST.get("idempotency_key", ""),
                declaration=bool(request.POST.get("declaration")),
            )
            return redirect("portal:done", code=dossier.code)
        except services.Incomplete as exc:
            problems = [(step_url(draft, s), m) for s, msgs in exc.errors.items() for m in msgs.values()]
        except ServiceError as exc:
            if exc.code in ("draft_expired", "already_submitted"):
                raise
            error = exc.message

    procedure = draft.procedure_version.procedure
    terms = services.online_terms(
        procedure, draft.agency, services.spec_of(draft), offering_for(procedure, draft.agency)
    )
    return render(
        request,
        "portal/step_declaration.html",
        _context(
            draft,
            "declaration",
            problems=problems,
            error=error,
            idempotency_key=uuid.uuid4().hex,
            terms=terms,
        ),
    )


STEP_VIEWS = {
    "applicant": _applicant,
    "details": _details,
    "uploads": _uploads,
    "review": _review,
    "declaration": _declaration,
}


# --- after submitting ----------------------------------------------------------------------------


@login_required
def done(request, code):
    try:
        dossier = services.own_dossier(request.user, code)
    except NotFound:
        raise Http404 from None

    tracking = None
    try:
        tracking = reverse("tracking:detail", args=[dossier.code])
    except Exception:  # the tracking app names its page; without it the result page still stands
        tracking = None
    return render(
        request,
        "portal/done.html",
        {
            "dossier": dossier,
            "appointment": services.appointment_for(dossier),
            "receipt_ready": "receipt" in dict(slips.available(dossier)),
            "tracking_url": tracking,
            "terms": services.terms_of(dossier),
        },
    )


@login_required
def receipt(request, code):
    try:
        document = services.receipt_for(request.user, code)
    except NotFound:
        raise Http404 from None
    if document is None:
        dossier = services.own_dossier(request.user, code)
        return render(
            request,
            "portal/receipt_pending.html",
            {
                "dossier": dossier,
                "appointment": services.appointment_for(dossier),
                "terms": services.terms_of(dossier),
            },
        )
    response = FileResponse(document.file.open("rb"), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="giay-tiep-nhan-{code}.pdf"'
    return response
