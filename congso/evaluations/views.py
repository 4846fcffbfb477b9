"""Pages of evaluations: frameworks and their tree (administrators), rounds (evaluators, leaders), a
unit's sheet (self-assessment with evidence, review), results and exports. Thin: every change goes
through ``services``; refusals come back onto the form (``service_error_to_form``)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from congso.core.errors import NotFound, ServiceError
from congso.core.forms import service_error_to_form
from congso.core.permissions import can
from congso.directory.models import Agency
from congso.directory.scope import agencies_for, is_staff_member, is_sysadmin
from congso.signing.services import record_url

from . import exports, forms, selectors, services, validation
from .models import Criterion, Entry, Level, Round
from .transitions import REVIEW_STATES, SELF_ASSESS_STATES


def _found(fn, *args, **kwargs):
    try:
        return fn(*args, **kwargs)
    except NotFound:
        raise Http404 from None


def _staff(request):
    if not is_staff_member(request.user):
        raise PermissionDenied(_("Chỉ cán bộ, công chức mới xem được đánh giá, xếp hạng đơn vị."))


@login_required
def index(request):
    _staff(request)
    frameworks = selectors.visible_frameworks(request.user)
    rounds = Round.objects.filter(framework__in=frameworks).select_related("framework").order_by("-year")
    mine = []
    for r in rounds:
        if r.state in SELF_ASSESS_STATES:
            mine.extend((r, u) for u in selectors.units_of_user(r, request.user))
    may_create = bool(_owners(request.user))
    return render(
        request,
        "evaluations/index.html",
        {"frameworks": frameworks, "rounds": rounds, "mine": mine, "may_create": may_create},
    )


def _owners(user):
    if is_sysadmin(user):
        return list(Agency.objects.filter(kind=Agency.Kind.PEOPLES_COMMITTEE, unit__level=1, is_active=True))
    return [a for a in agencies_for(user, "agency_admin") if a.kind == Agency.Kind.PEOPLES_COMMITTEE]


@login_required
@require_http_methods(["GET", "POST"])
def framework_create(request):
    owners = _owners(request.user)
    if not owners:
        raise PermissionDenied(_("Bạn không có quyền tạo bộ chỉ số đánh giá."))
    form = forms.FrameworkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        owner = next((a for a in owners if a.code == request.POST.get("owner")), owners[0])
        try:
            framework = services.create_framework(request.user, owner=owner, data=form.cleaned_data)
        except ServiceError as exc:
            service_error_to_form(form, exc)
        else:
            messages.success(request, _("Đã tạo bộ chỉ số."))
            return redirect("evaluations:framework", pk=framework.pk)
    return render(request, "evaluations/framework_form.html", {"form": form, "owners": owners})


@login_required
@require_http_methods(["GET", "POST"])
def framework_page(request, pk):
    framework = _found(selectors.framework_for, request.user, pk)
    may_edit = can(request.user, "evaluations.manage_framework", framework)
    may_open = can(request.user, "evaluations.open_round", framework)
    locked = framework.rounds.exists()
    initial = {k: getattr(framework, k) for k in ("name", "year", "description", "applies_to")}
    initial.update({f"level_{n}_min": getattr(framework, f"level_{n}_min") for n in (1, 2, 3, 4)})
    edit_form = forms.FrameworkForm(initial=initial, prefix="f")
    criterion_form = forms.CriterionForm(framework=framework, prefix="c", initial={"weight": "1"})
    round_form = forms.RoundForm(prefix="r")
    copy_form = forms.CopyForm(prefix="k")
    if request.method == "POST":
        what = request.POST.get("what")
        try:
            if what == "framework" and may_edit:
                edit_form = forms.FrameworkForm(request.POST, prefix="f")
                if edit_form.is_valid():
                    services.update_framework(request.user, framework, edit_form.cleaned_data)
                    messages.success(request, _("Đã lưu bộ chỉ số."))
                    return redirect("evaluations:framework", pk=framework.pk)
            elif what == "criterion" and may_edit:
                criterion_form = forms.CriterionForm(request.POST, framework=framework, prefix="c")
                if criterion_form.is_valid():
                    services.add_criterion(request.user, framework, criterion_form.cleaned_data)
                    messages.success(request, _("Đã thêm tiêu chí, chỉ số."))
                    return redirect("evaluations:framework", pk=framework.pk)
            elif what == "copy" and may_edit:
                copy_form = forms.CopyForm(request.POST, prefix="k")
                if copy_form.is_valid():
                    data = copy_form.cleaned_data
                    copy = services.copy_framework(
                        request.user, framework, year=data["year"], name=data["name"]
                    )
                    messages.success(request, _("Đã sao chép bộ chỉ số."))
                    return redirect("evaluations:framework", pk=copy.pk)
            elif what == "round" and may_open:
                round_form = forms.RoundForm(request.POST, prefix="r")
                if round_form.is_valid():
                    data = round_form.cleaned_data
                    round_ = services.open_round(
                        request.user, framework, year=data["year"], deadline=data.get("deadline")
                    )
                    messages.success(request, _("Đã mở đợt đánh giá."))
                    return redirect("evaluations:round", pk=round_.pk)
            else:
                raise PermissionDenied(_("Bạn không có quyền thực hiện thao tác này."))
        except ServiceError as exc:
            target = {
                "framework": edit_form,
                "criterion": criterion_form,
                "round": round_form,
                "copy": copy_form,
            }[what]
            service_error_to_form(target, exc)
    leaf_ids = {c.pk for c in selectors.leaves(framework)}
    return render(
        request,
        "evaluations/framework.html",
        {
            "framework": framework,
            "nodes": [(c, depth, c.pk in leaf_ids) for c, depth in selectors.tree(framework)],
            "max_total": selectors.max_total(framework),
            "may_edit": may_edit and not locked,
            "may_rename": may_edit,
            "may_open": may_open,
            "locked": locked,
            "edit_form": edit_form,
            "criterion_form": criterion_form,
            "round_form": round_form,
            "copy_form": copy_form,
            "rounds": framework.rounds.all(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def criterion_page(request, pk):
    criterion = _found(selectors.criterion_for, request.user, pk)
    framework = criterion.framework
    initial = {k: getattr(criterion, k) for k in validation.CRITERION_FIELDS}
    initial["parent"] = str(criterion.parent_id or "")
    form = forms.CriterionForm(request.POST or None, framework=framework, initial=initial)
    if request.method == "POST":
        try:
            if request.POST.get("what") == "delete":
                services.delete_criterion(request.user, criterion)
                messages.success(request, _("Đã xoá tiêu chí, chỉ số."))
                return redirect("evaluations:framework", pk=framework.pk)
            if form.is_valid():
                services.update_criterion(request.user, criterion, form.cleaned_data)
                messages.success(request, _("Đã lưu tiêu chí, chỉ số."))
                return redirect("evaluations:framework", pk=framework.pk)
        except ServiceError as exc:
            service_error_to_form(form, exc)
    return render(
        request, "evaluations/criterion.html", {"criterion": criterion, "form": form, "framework": framework}
    )


@login_required
@require_http_methods(["GET", "POST"])
def round_page(request, pk):
    round_ = _found(selectors.round_for, request.user, pk)
    publish_form = forms.PublishForm(request.POST or None)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "start_review":
                services.start_review(request.user, round_)
                messages.success(request, _("Đã kết thúc tự đánh giá, chuyển sang thẩm định."))
            elif action == "close":
                services.close_round(request.user, round_)
                messages.success(request, _("Đã chốt kết quả đánh giá."))
            elif action == "publish":
                services.publish_round(
                    request.user, round_, decision_number=request.POST.get("decision_number", "")
                )
                messages.success(request, _("Đã công bố xếp hạng; phụ lục đã được ký số."))
            else:
                raise Http404
            return redirect("evaluations:round", pk=round_.pk)
        except ServiceError as exc:
            if action == "publish":
                publish_form.is_valid()
                service_error_to_form(publish_form, exc)
            else:
                messages.error(request, exc.message)
                return redirect("evaluations:round", pk=round_.pk)
    framework = round_.framework
    units = list(selectors.units_for(framework))
    owner_view = can(request.user, "evaluations.view_results", round_)
    visible_units = [u for u in units if can(request.user, "evaluations.view_unit", (round_, u))]
    pending = {}
    for unit_id in round_.entries.filter(status=Entry.Status.SUBMITTED).values_list("unit_id", flat=True):
        pending[unit_id] = pending.get(unit_id, 0) + 1
    return render(
        request,
        "evaluations/round.html",
        {
            "round": round_,
            "framework": framework,
            "units": [(u, pending.get(u.pk, 0)) for u in visible_units],
            "ranking": selectors.results(round_) if owner_view else None,
            "pending_total": sum(pending.values()),
            "may_manage": can(request.user, "evaluations.manage_round", round_),
            "may_publish": can(request.user, "evaluations.publish", round_)
            and round_.state == Round.State.CLOSED,
            "publish_form": publish_form,
            "annex_url": record_url(round_.annex, absolute=False) if round_.annex_id else "",
            "levels": Level,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def unit_page(request, pk, code):
    round_ = _found(selectors.round_for, request.user, pk)
    unit = _found(selectors.unit_in, round_, code)
    if not can(request.user, "evaluations.view_unit", (round_, unit)):
        raise PermissionDenied(_("Bạn không xem được bảng điểm của đơn vị này."))
    may_assess = round_.state in SELF_ASSESS_STATES and can(request.user, "evaluations.self_assess", unit)
    bound: dict = {}
    if request.method == "POST":
        what, target = request.POST.get("what"), request.POST.get("target", "")
        try:
            if what == "value":
                form = forms.ValueForm(request.POST, request.FILES, prefix=f"v{target}")
                bound[("value", target)] = form
                form.is_valid()
                data = form.cleaned_data
                services.submit_value(
                    request.user,
                    round_,
                    unit,
                    int(target) if target.isdigit() else 0,
                    value=data.get("value"),
                    note=data.get("note"),
                    evidence=data.get("evidence"),
                )
                messages.success(request, _("Đã lưu giá trị tự đánh giá."))
            elif what == "review":
                form = forms.ReviewForm(request.POST, prefix=f"r{target}")
                bound[("review", target)] = form
                entry = _found(selectors.entry_for, request.user, target)
                if entry.round_id != round_.pk or entry.unit_id != unit.pk:
                    raise Http404
                form.is_valid()
                data = form.cleaned_data
                services.review_value(
                    request.user,
                    entry,
                    action=data.get("action") or request.POST.get(f"r{target}-action", ""),
                    value=data.get("value"),
                    reason=data.get("reason", ""),
                )
                messages.success(request, _("Đã ghi kết quả thẩm định."))
            else:
                raise Http404
            return redirect(request.path + f"#c{request.POST.get('anchor', '')}")
        except ServiceError as exc:
            service_error_to_form(form, exc)
    rows, total = selectors.sheet(round_, unit)
    may_review = round_.state in REVIEW_STATES
    items = []
    for row in rows:
        item = {"row": row, "value_form": None, "review_form": None}
        line = row.line
        if line is not None and row.criterion.source == Criterion.Source.MANUAL:
            key = str(row.criterion.pk)
            if may_assess and (line.entry is None or line.entry.status == Entry.Status.SUBMITTED):
                item["value_form"] = bound.get(("value", key)) or forms.ValueForm(
                    prefix=f"v{key}",
                    initial={
                        "value": line.entry.value if line.entry else "",
                        "note": line.entry.note if line.entry else "",
                    },
                )
            entry = line.entry
            if entry is not None and may_review and can(request.user, "evaluations.review", entry):
                ekey = str(entry.pk)
                item["review_form"] = bound.get(("review", ekey)) or forms.ReviewForm(prefix=f"r{ekey}")
        items.append(item)
    return render(
        request,
        "evaluations/unit.html",
        {
            "round": round_,
            "unit": unit,
            "items": items,
            "total": total,
            "level": round_.framework.level_for(total),
            "max_total": selectors.max_total(round_.framework),
            "may_assess": may_assess,
        },
    )


@login_required
def evidence(request, pk):
    entry = _found(selectors.entry_for, request.user, pk)
    if not entry.evidence:
        raise Http404
    return FileResponse(
        entry.evidence.open("rb"), as_attachment=True, filename=entry.evidence_name or "minh-chung"
    )


@login_required
def results_page(request, pk):
    round_ = _found(selectors.round_for, request.user, pk, "evaluations.view_results")
    leaves, table = selectors.met_table(round_)
    before, unmet = selectors.still_unmet(round_)
    return render(
        request,
        "evaluations/results.html",
        {
            "round": round_,
            "ranking": selectors.results(round_),
            "leaves": leaves,
            "table": table,
            "before": before,
            "unmet": unmet,
        },
    )


@login_required
def results_xlsx(request, pk):
    round_ = _found(selectors.round_for, request.user, pk, "evaluations.view_results")
    return exports.xlsx_response(round_)
