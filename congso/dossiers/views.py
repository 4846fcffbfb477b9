"""Back-office pages of the one-stop shop. Thin: each POST calls one service function."""

import datetime as dt

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from congso.calendar.engine import get_calendar
from congso.catalog.models import Offering
from congso.core import audit
from congso.core.errors import ServiceError
from congso.core.forms import DATE_ERROR, parse_day, service_error_to_form
from congso.core.navigation import landing_url
from congso.core.permissions import can, require
from congso.directory.hooks import queue_ticket
from congso.directory.models import AdministrativeUnit, Agency, Role
from congso.directory.scope import active_memberships, agencies_for, roles_at
from congso.directory.selectors import agency_by_code

from . import actions, clock, picker, processes, services, slips, staffing
from . import stats as stats_module
from .declared import declared_sections
from .fees import suggested_fee
from .forms import IntakeForm, StepFormSet
from .inbox import ROLE_BOXES, Box, boxes_for, inbox
from .models import CLOCK_RUNNING_STATUSES, Attachment, Channel, Dossier, ProcessTemplate
from .selectors import masked, sees_personal_data, visible_dossier
from .slips import PRINT_AT_RECEIPT, SLIPS, get_or_issue

PRINT_FLAG = "giay-hen"  # ?in=giay-hen: the dossier page right after its receipt


def _visible(request, code) -> Dossier:
    d = visible_dossier(request.user, code)
    if d is None:
        raise Http404
    return d


def _inbox_filters(request) -> dict:
    """The inbox's filters from the query string (or a bulk form's hidden fields), cleaned."""
    data = request.POST if request.method == "POST" else request.GET
    try:
        channel = int(data.get("channel") or 0)
    except ValueError:
        channel = 0
    return {
        "q": data.get("q", "").strip()[:100],
        "procedure": data.get("procedure", "").strip()[:40],
        "channel": channel if channel in Channel.values else None,
        "mine": data.get("mine") == "1",
    }


def _filter_query(filters: dict) -> str:
    """The filters as a query string (without box and page), kept by the tabs and the pager."""
    return urlencode(
        {
            key: ("1" if value is True else value)
            for key, value in filters.items()
            if value not in (None, "", False)
        }
    )


def _procedure_choices(user) -> list[tuple[str, str]]:
    rows = (
        Offering.objects.filter(agency__in=agencies_for(user), is_active=True)
        .values_list("procedure__code", "procedure__name")
        .distinct()
        .order_by("procedure__name")
    )
    return list(rows)


def _bulk_candidates(user, box):
    """Officials a leader may give dossiers of this box to: the box's role (officers for the shared
    boxes) at the agencies the user leads."""
    if not active_memberships(user, Role.LEADER).exists():
        return []
    role = ROLE_BOXES[box][0] if box in ROLE_BOXES else Role.OFFICER
    if role == Role.CLERK:
        return []  # counter work is not assigned
    return staffing.holders(agencies_for(user, Role.LEADER), [role])


@login_required
def inbox_page(request):
    boxes = boxes_for(request.user)
    if not boxes:
        if request.user.is_official:
            # No inbox (a system administrator, the operations centre): their own landing page.
            return redirect(landing_url(request.user))
        raise Http404
    box = request.GET.get("box") or boxes[0]
    if box not in boxes:
        box = boxes[0]
    filters = _inbox_filters(request)
    now = timezone.now()
    page = Paginator(inbox(request.user, box, **filters), 25).get_page(request.GET.get("page"))
    rows = [
        {"dossier": d, "flag": clock.flag(d, now) if d.status in CLOCK_RUNNING_STATUSES else None}
        for d in page
    ]
    return render(
        request,
        "dossiers/inbox.html",
        {
            "boxes": [(b, Box(b).label) for b in boxes],
            "box": box,
            "box_label": Box(box).label,
            **filters,
            "filter_query": _filter_query(filters),
            "procedures": _procedure_choices(request.user),
            "channels": Channel.choices,
            "page": page,
            "rows": rows,
            "candidates": _bulk_candidates(request.user, box),
            # only a counter's clerk receives new dossiers: the others are not offered intake
            "can_receive": active_memberships(request.user, Role.CLERK).exists(),
        },
    )


@login_required
@require_POST
def bulk_assign(request):
    """A leader gives the selected dossiers to one official: one service call per dossier, one
    transaction (services.assign_many)."""
    codes = request.POST.getlist("ma")[: services.BULK_LIMIT + 1]
    filters = _inbox_filters(request)
    box = request.POST.get("box", "")
    back = reverse("dossiers:inbox") + "?" + urlencode({"box": box}) + "&" + _filter_query(filters)
    ids = list(Dossier.objects.filter(code__in=codes).values_list("pk", flat=True))
    try:
        if len(ids) != len(set(codes)):
            raise ServiceError(_("Không tìm thấy hồ sơ."))
        assignee = actions.official(request.POST.get("assignee"), by="pk")
        done = services.assign_many(ids, actor=request.user, assignee=assignee)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Đã phân công %(n)s hồ sơ cho %(who)s.") % {"n": len(done), "who": done[0].assignee},
        )
    return redirect(back)


@login_required
def print_list(request):
    """A compact, printable list of the selected dossiers (e.g. a handover list between the counter
    and an agency). Only dossiers the user may see are listed."""
    codes = request.GET.getlist("ma")[: services.BULK_LIMIT]
    dossiers = [
        d
        for d in Dossier.objects.filter(code__in=codes)
        .select_related(
            "procedure_version__procedure", "current_agency", "current_step", "assignee", "receiving_agency"
        )
        .order_by("due_at", "code")
        if can(request.user, "dossiers.view", d)
    ]
    dossiers = [d if sees_personal_data(request.user, d) else masked(d) for d in dossiers]
    if not dossiers:
        messages.error(request, _("Chưa chọn hồ sơ nào."))
        return redirect("dossiers:inbox")
    return render(request, "dossiers/print_list.html", {"dossiers": dossiers, "now": timezone.now()})


def _options(param, d) -> list:
    """What the page offers for a parameter: the province's agencies for a transfer (suggestions),
    else the declaration's own options."""
    if param.kind == actions.AGENCY:
        return _transfer_targets(d)
    return list(param.options(d)) if param.options else []


def _action_forms(request, d, roles):
    """The forms of the actions ``request.user`` may take on ``d``, from the action table: each
    parameter's field (a choice field with too few options is left out: one next step, nobody to
    assign)."""
    result = []
    for action in actions.available(request.user, d, roles):
        fields, options, required, labels = [], {}, set(), {}
        for p in action.params:
            choices = _options(p, d)
            if p.min_options and len(choices) < p.min_options:
                continue
            fields.append(p.form_field)
            if p.kind == actions.LIST:
                fields.append(f"{p.form_field}_other")
            options[p.form_field] = choices
            labels[p.form_field] = p.label
            if p.required:
                required.add(p.form_field)
        result.append(
            {
                "transition": action,
                "fields": fields,
                "options": options,
                "required": required,
                "labels": labels,
            }
        )
    return result


def _transfer_targets(d):
    """Agencies a dossier may be handed to, offered as suggestions (any agency's code is accepted):
    the active agencies of the dossier's province (its own agencies and its communes') other than the
    one holding it."""
    province = get_calendar(d.receiving_agency.unit_id).province_id
    return list(
        Agency.objects.filter(Q(unit_id=province) | Q(unit__parent_id=province), is_active=True)
        .exclude(pk=d.current_agency_id)
        .order_by("name")
        .only("code", "name")[:500]
    )


STEP_FINISHED_LABELS = {
    "on_time": gettext_lazy("Hoàn thành đúng hạn"),
    "overdue": gettext_lazy("Hoàn thành trễ hạn"),
}


def _step_rows(d, now) -> list[dict]:
    """Each step run with its due moment and flag (``clock.step_deadlines``: the dossier's province
    calendar), labelled for the page: a finished step was finished on time or late; an open one is on
    time, due soon or overdue, or paused while the dossier's clock is stopped."""
    rows = []
    for step in clock.step_deadlines(d, now):
        if step.finished_at and step.flag:
            key = str(step.flag)
            rows.append({"run": step.run, "flag": key, "label": STEP_FINISHED_LABELS[key]})
        elif step.finished_at is None and d.status in clock.PAUSED_STATUSES:
            rows.append({"run": step.run, "flag": "paused", "label": _("Tạm dừng tính hạn")})
        elif step.flag is None:
            rows.append({"run": step.run, "flag": "", "label": ""})
        else:
            rows.append({"run": step.run, "flag": str(step.flag), "label": step.flag.label})
    return rows


@login_required
def dossier_page(request, code):
    d = _visible(request, code)
    if not sees_personal_data(request.user, d):
        # The operations centre: code, states, steps and dates; personal data masked, no files, no
        # declared data, no notes, no actions (selectors.masked).
        audit.record("dossier.read", obj=d, actor=request.user, data={"via": "web", "masked": True})
        return render(
            request,
            "dossiers/detail_masked.html",
            {
                "d": masked(d),
                "flag": clock.flag(d),
                "steps": _step_rows(d, timezone.now()),
                "timeline": list(d.timeline.select_related("agency")),
            },
        )
    audit.record("dossier.read", obj=d, actor=request.user, data={"via": "web"})
    roles = services.roles_for(request.user, d)
    # The fee from the catalogue (the agency's local fee, else the procedure's) pre-fills "request payment".
    fee = suggested_fee(d)
    attachments = list(d.attachments.order_by("uploaded_at", "id"))
    files_by_entry = {}
    for a in attachments:
        files_by_entry.setdefault(a.timeline_entry_id, []).append(a)
    timeline = list(d.timeline.select_related("agency"))
    for entry in timeline:
        entry.files = files_by_entry.get(entry.pk, [])
    printable = [
        (key, title)
        for key, title in (slips.available(d) if roles - {"applicant"} else [])
        if can(request.user, "dossiers.print_slip", (d, key))
    ]
    return render(
        request,
        "dossiers/detail.html",
        {
            "d": d,
            "flag": clock.flag(d),
            "steps": _step_rows(d, timezone.now()),
            "timeline": timeline,
            "attachments": attachments,
            "actions": _action_forms(request, d, roles),
            "suggested_fee": fee,
            "pauses": d.pauses.all(),
            "extensions": d.extensions.select_related("requested_by"),
            "obligations": d.obligations.all(),
            "slips": printable,
            # after "Tiếp nhận và in giấy hẹn": the receipt opens on the page, ready to print
            "print_now": [(k, t) for k, t in printable if k in PRINT_AT_RECEIPT]
            if request.GET.get("in") == PRINT_FLAG
            else [],
            "declared": declared_sections(d) if can(request.user, "dossiers.view_declared", d) else None,
            "signed_draft": services.signed_draft(d),
        },
    )


def _after_receipt(code: str) -> str:
    """The dossier page opening the slips the clerk prints at once when receiving it."""
    return f"{reverse('dossiers:detail', args=[code])}?{urlencode({'in': PRINT_FLAG})}#in-ngay"


@login_required
@require_POST
def act(request, code, action):
    d = _visible(request, code)
    declared = actions.get(action)
    if declared is None:
        raise Http404
    form = actions.page_form(declared, request.POST, request.FILES, dossier=d)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label}: {' '.join(errors)}" if label else " ".join(errors))
        return redirect("dossiers:detail", code=code)
    try:
        actions.perform(declared, d.pk, request.user, actions.resolve(declared, form.raw(), via="page"))
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã thực hiện: %(action)s.") % {"action": declared.label})
        if action == "accept":
            return redirect(_after_receipt(code))
    return redirect("dossiers:detail", code=code)


@login_required
def attachment(request, code, pk):
    d = _visible(request, code)
    if not sees_personal_data(request.user, d):
        raise Http404  # files are personal data: the operations centre sees none
    att = get_object_or_404(Attachment, dossier=d, pk=pk)
    audit.record("dossier.attachment.read", obj=d, actor=request.user, data={"attachment": att.pk})
    response = FileResponse(
        att.file.open("rb"),
        content_type={"pdf": "application/pdf", "jpeg": "image/jpeg", "png": "image/png"}[att.kind],
    )
    disposition = "attachment" if request.GET.get("tai") == "1" else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{att.sha256[:12]}{att.extension}"'
    # Previewed inside the dossier page (an <iframe> or <img> of this site only), never run as a page.
    response["Content-Security-Policy"] = (
        "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'self'; sandbox"
    )
    response["X-Frame-Options"] = "SAMEORIGIN"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _ticket_for(request, ticket_id, *, quiet=False):
    """The queue ticket the clerk called and now receives for (shown on the page), or None with the
    reason in a message (unless ``quiet``) when it cannot be served by this intake."""
    if not ticket_id:
        return None
    try:
        return queue_ticket(request.user, ticket_id)
    except ServiceError as exc:
        if not quiet:
            messages.error(request, exc.message)
        return None


@login_required
@require_http_methods(["GET", "POST"])
def intake(request):
    """Counter intake: pick the procedure (grouped by agency, the most received first, searchable
    without diacritics), then the applicant(s), the papers and the decision. ``ticket``: the queue
    ticket called at the counter (from the counter console), recorded on the dossier and served."""
    offerings = picker.counter_offerings(request.user)
    if not offerings:
        raise Http404
    data = request.POST if request.method == "POST" else request.GET
    ticket_id = (data.get("ticket") or "").strip()[:12]
    ticket = _ticket_for(request, ticket_id) if request.method == "GET" else None
    chosen = picker.chosen(offerings, data.get("offering"))
    if chosen is None:
        query = (request.GET.get("q") or "").strip()[:100]
        return render(
            request,
            "dossiers/intake_choose.html",
            {
                "groups": picker.groups(offerings, query),
                "q": query,
                "ticket": ticket,
                "total": len(offerings),
            },
        )
    procedure = chosen.procedure
    components = (procedure.current_version.content or {}).get("components", [])
    form = IntakeForm(
        request.POST or None,
        request.FILES or None,
        components=components,
        co_applicant=procedure.co_applicant_label,
    )
    if request.method == "POST" and form.is_valid():
        try:
            d, outcome = services.receive_at_counter(
                actor=request.user,
                agency=chosen.agency,
                procedure_version=procedure.current_version,
                channel=form.cleaned_data["channel"],
                applicant=form.applicant(),
                co_applicants=form.co_applicants(),
                queue_ticket=ticket_id or None,  # served by the receipt, or refused with its reason
                uploads=[services.Upload(name, f, f.name) for name, f in form.uploads()],
                decision=request.POST.get("decision", "accept"),
                missing=form.missing(),
                note=form.cleaned_data["note"],
                offering=chosen,
            )
        except ServiceError as exc:
            service_error_to_form(form, exc)
        else:
            if outcome == "accepted":
                messages.success(request, _("Đã tiếp nhận hồ sơ %(code)s.") % {"code": d.code})
                return redirect(_after_receipt(d.code))
            elif outcome == "refused":
                messages.success(request, _("Đã từ chối tiếp nhận hồ sơ %(code)s.") % {"code": d.code})
            elif request.POST.get("decision", "accept") == "accept":
                messages.warning(request, _("Hồ sơ chưa đủ thành phần nên đã chuyển sang yêu cầu bổ sung."))
            else:
                messages.success(request, _("Đã yêu cầu bổ sung hồ sơ %(code)s.") % {"code": d.code})
            return redirect("dossiers:detail", code=d.code)
    return render(
        request,
        "dossiers/intake.html",
        {
            "form": form,
            "offering": chosen,
            "action": reverse("dossiers:intake"),
            "ticket": ticket or _ticket_for(request, ticket_id, quiet=True),
        },
    )


@login_required
def reports(request):
    """Statistics by agency, procedure, field or channel for a period, and the log book download."""
    agencies = [
        a
        for a in Agency.objects.filter(is_active=True).order_by("name")
        if roles_at(request.user, a) & {"clerk", "leader", "agency_admin", "ioc_viewer"}
    ]
    if not agencies:
        raise Http404
    today = timezone.localdate()
    try:
        start = parse_day(request.GET.get("start")) or today.replace(day=1)
        end = parse_day(request.GET.get("end")) or today
    except ValueError:
        messages.error(request, DATE_ERROR)
        start, end = today.replace(day=1), today
    if end < start:
        messages.error(request, _("Ngày kết thúc phải sau ngày bắt đầu."))
        start, end = end, start
    agency = next((a for a in agencies if a.code == request.GET.get("agency")), agencies[0])
    group_by = (
        request.GET.get("group_by") if request.GET.get("group_by") in stats_module.GROUPS else "procedure"
    )
    tz = timezone.get_current_timezone()
    rows = stats_module.counts(
        stats_module.reported_dossiers(agency),
        start=dt.datetime.combine(start, dt.time.min, tzinfo=tz),
        end=dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz),
        group_by=group_by,
    )
    for row in rows:
        row["label"] = row.get("channel_name") or " — ".join(
            str(v) for k, v in row.items() if k in stats_module.GROUPS[group_by] and v is not None
        )
    return render(
        request,
        "dossiers/reports.html",
        {
            "agencies": agencies,
            "agency": agency,
            "start": start,
            "end": end,
            "group_by": group_by,
            "rows": rows,
            "groups": [
                ("procedure", _("Thủ tục")),
                ("field", _("Lĩnh vực")),
                ("channel", _("Hình thức nộp")),
                ("agency", _("Cơ quan")),
            ],
        },
    )


@login_required
def slip(request, code, key):
    """Print a one-stop slip: issue it (signed with the agency seal) the first time, then reuse it."""
    d = _visible(request, code)
    if key not in SLIPS:
        raise Http404
    try:
        document = get_or_issue(d, key, request.user)  # dossiers.print_slip: 403 when not allowed
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("dossiers:detail", code=code)
    response = FileResponse(document.file.open("rb"), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{key}-{d.code}.pdf"'
    # shown inside the dossier page right after the receipt (#in-ngay), from this site only
    response["Content-Security-Policy"] = (
        "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'self'"
    )
    response["X-Frame-Options"] = "SAMEORIGIN"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def declared_sheet(request, code):
    """What the applicant declared, on one printable page (the tờ khai as filed): for those who handle the
    dossier — văn thư drafts the result from it."""
    d = _visible(request, code)
    require(request.user, "dossiers.view_declared", d)
    audit.record("dossier.read", obj=d, actor=request.user, data={"via": "web", "view": "declared"})
    return render(
        request,
        "dossiers/declared_sheet.html",
        {
            "d": d,
            "declared": declared_sections(d),
            "papers": d.attachments.filter(purpose=Attachment.Purpose.COMPONENT).order_by(
                "uploaded_at", "id"
            ),
            "printed_at": timezone.now(),
        },
    )


# --- process templates (agency administrators, no code) ----------------------------------------


def _process_agency(request, agency_code):
    agency = agency_by_code(agency_code, active_only=True)
    if agency is None:
        raise Http404
    require(
        request.user,
        "dossiers.manage_process",
        agency,
        _("Bạn không có quyền quản lý quy trình xử lý của cơ quan này."),
    )
    return agency


def _step_agency_choices(agency, steps=()):
    """Agencies a step may hand the dossier to (liên thông): those of the same province, plus any
    already named by a step."""
    province = agency.unit
    while province is not None and province.level != AdministrativeUnit.Level.PROVINCE and province.parent_id:
        province = province.parent
    agencies = Agency.objects.filter(is_active=True).exclude(pk=agency.pk)
    if province is not None:
        agencies = agencies.filter(
            Q(unit=province) | Q(unit__parent=province) | Q(unit__parent__parent=province)
        )
    choices = {a.code: a.name for a in agencies.order_by("name")}
    for step in steps:
        if step.agency_id and step.agency.code not in choices:
            choices[step.agency.code] = step.agency.name
    return [(code, f"{name} ({code})") for code, name in choices.items()]


@login_required
def process_list(request, agency_code):
    """The agency's offered procedures and their process templates."""
    agency = _process_agency(request, agency_code)
    offerings = Offering.objects.filter(agency=agency, is_active=True).select_related("procedure")
    templates = {
        t.procedure_id: t for t in ProcessTemplate.objects.filter(agency=agency).prefetch_related("steps")
    }
    rows = []
    for o in offerings.order_by("procedure__code"):
        template = templates.get(o.procedure_id)
        steps = [s for s in template.steps.all() if not s.retired] if template else []
        rows.append({"offering": o, "template": template, "steps": sorted(steps, key=lambda s: s.position)})
    return render(request, "dossiers/process_list.html", {"agency": agency, "rows": rows})


@login_required
@require_http_methods(["GET", "POST"])
def process_edit(request, agency_code, procedure_code):
    """Edit a template's steps as a table; saved through processes.replace_steps (validated, audited)."""
    agency = _process_agency(request, agency_code)
    offering = get_object_or_404(
        Offering.objects.select_related("procedure"),
        agency=agency,
        procedure__code=procedure_code,
        is_active=True,
    )
    procedure = offering.procedure
    template = ProcessTemplate.objects.filter(agency=agency, procedure=procedure).first()
    current = processes.current_steps(template) if template else []
    if current:
        initial = [
            {
                "order": s.position,
                "name": s.name,
                "kind": s.kind,
                "role": s.role,
                "agency": s.agency.code if s.agency_id else "",
                "share_percent": s.share_percent,
                "next": ", ".join(
                    str(n.position) for n in s.next_steps.filter(retired=False).order_by("position")
                ),
                "signs": s.signs,
            }
            for s in current
        ]
    else:  # not created yet: the default the first dossier would get (processes.DEFAULT_STEPS)
        initial = [
            {
                "order": i,
                "name": name,
                "kind": kind,
                "role": role,
                "agency": "",
                "share_percent": share,
                "next": "",
                "signs": False,
            }
            for i, (kind, name, role, share) in enumerate(processes.DEFAULT_STEPS, start=1)
        ]
    formset = StepFormSet(
        request.POST or None,
        initial=initial,
        prefix="steps",
        agency_choices=_step_agency_choices(agency, current),
    )
    errors = []
    if request.method == "POST" and formset.is_valid():
        try:
            steps = formset.steps()
            services.save_process(request.user, agency, procedure, steps)
        except django_forms.ValidationError as exc:
            errors = exc.messages
        except ServiceError as exc:
            errors = [exc.message]
        except PermissionDenied as exc:
            errors = [str(exc) or _("Bạn không có quyền thực hiện thao tác này.")]
        else:
            messages.success(
                request, _("Đã lưu quy trình xử lý thủ tục %(code)s.") % {"code": procedure.code}
            )
            return redirect("dossiers:process_list", agency_code=agency.code)
    return render(
        request,
        "dossiers/process_edit.html",
        {
            "agency": agency,
            "procedure": procedure,
            "template": template,
            "formset": formset,
            "errors": errors,
        },
    )
