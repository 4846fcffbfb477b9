"""The consistency report pages for the catalogue administrator (ADR 0155): upload a national export,
read the differences, and one click per difference opens its update (the national record imported,
or the agency's offering settings)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from congso.core.errors import ServiceError
from congso.core.forms import service_error_to_form
from congso.core.permissions import can

from . import consistency, services
from .models import ConsistencyDifference, ConsistencyReport
from .selectors import consistency_rate


class ExportForm(forms.Form):
    export = forms.FileField(
        label=gettext_lazy("Bản xuất danh mục quốc gia (tệp .json)"),
        required=False,
        help_text=gettext_lazy(
            "Tệp JSON gồm một hoặc nhiều bản ghi thủ tục của Cổng Dịch vụ công quốc gia, như khi nhập danh mục."
        ),
    )


def _require_admin(request):
    if not can(request.user, "catalog.import"):
        raise PermissionDenied


@login_required
@require_http_methods(["GET", "POST"])
def reports(request):
    _require_admin(request)
    form = ExportForm(request.POST, request.FILES) if request.method == "POST" else ExportForm()
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["export"]
        try:
            if upload is None:
                raise ServiceError(_("Chọn tệp bản xuất danh mục quốc gia (.json)."), field="export")
            if upload.size > consistency.MAX_EXPORT_BYTES:
                raise ServiceError(_("Tệp quá lớn (tối đa 64 MB)."), field="export")
            records, failures = consistency.read_bytes(upload.read(), upload.name[:200])
            if not records:
                reason = failures[0][1] if failures else _("Bản xuất không có bản ghi thủ tục nào.")
                raise ServiceError(reason, field="export")
            report = services.run_consistency_report(request.user, records, failures, source=upload.name)
        except ServiceError as exc:
            service_error_to_form(form, exc)
        else:
            return redirect("catalog:consistency_report", pk=report.pk)
    return render(
        request,
        "catalog/consistency.html",
        {
            "form": form,
            "reports": ConsistencyReport.objects.all()[:20],
            "rate": consistency_rate(),
        },
        status=400 if form.errors else 200,
    )


@login_required
def report(request, pk):
    _require_admin(request)
    found = get_object_or_404(ConsistencyReport, pk=pk)
    differences = found.differences.select_related("agency").order_by("resolved_at", "code", "kind")
    return render(
        request,
        "catalog/consistency_report.html",
        {
            "report": found,
            "rate": consistency_rate(found),
            "differences": differences,
            "importable": {ConsistencyDifference.Kind.MISSING, ConsistencyDifference.Kind.VERSION},
        },
    )


@login_required
@require_POST
def apply(request, pk):
    _require_admin(request)
    difference = get_object_or_404(ConsistencyDifference, pk=pk)
    try:
        services.apply_difference(request.user, pk)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("Đã cập nhật thủ tục %(code)s theo danh mục quốc gia.") % {"code": difference.code}
        )
    return redirect("catalog:consistency_report", pk=difference.report_id)
