"""Pages of online payment. Thin: each calls one service function.

The IPN endpoint is the gateway's protocol (VNPAY calls it with a signed GET, server to server),
so it is a plain view, exempt from CSRF, answering the gateway's JSON — not part of /api/v1/.
"""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from congso.core.errors import NotFound, ServiceError
from congso.core.logging import client_ip_var
from congso.core.middleware import SecurityHeadersMiddleware

from . import providers, receipts, services
from .forms import ReconciliationForm
from .models import Payment


def _return_url(request, provider: str) -> str:
    return request.build_absolute_uri(reverse("payments:return", args=[provider]))


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def pay(request, code):
    try:
        dossier = services.payable_dossier(code, request.user)
    except NotFound:
        raise Http404 from None
    if request.method == "POST":
        try:
            started = services.start_payment(
                code,
                actor=request.user,
                return_url=_return_url(request, providers.default_name()),
                client_ip=client_ip_var.get() or request.META.get("REMOTE_ADDR", ""),
            )
        except ServiceError as exc:
            messages.error(request, exc.message)
            return redirect("payments:pay", code=code)
        return redirect(started.redirect_url)
    services.expire_for_dossier(dossier)
    obligation = services.open_obligation(dossier)
    provider = providers.get_provider(providers.default_name())
    response = render(
        request,
        "payments/pay.html",
        {
            "d": dossier,
            "obligation": obligation,
            "provider": provider,
            "pending": Payment.objects.filter(dossier=dossier, status=Payment.Status.PENDING).first(),
            "payments": Payment.objects.filter(dossier=dossier).order_by("-created_at")[:20],
        },
    )
    if provider is not None and provider.origin:
        # The pay form's POST is answered with a redirect to the gateway: allow that one origin.
        response["Content-Security-Policy"] = SecurityHeadersMiddleware.policy.replace(
            "form-action 'self'", f"form-action 'self' {provider.origin}"
        )
    return response


@login_required
@never_cache
@require_GET
def return_page(request, provider):
    try:
        outcome = services.read_return(provider, request.GET, actor=request.user)
    except NotFound:
        raise Http404 from None
    return render(request, "payments/return.html", {"outcome": outcome, "payment": outcome.payment})


@csrf_exempt
@never_cache
@require_GET
def ipn(request, provider):
    try:
        outcome = services.handle_notification(provider, request.GET)
    except NotFound:
        raise Http404 from None
    return HttpResponse(outcome.body, content_type=outcome.content_type)


@login_required
def receipt(request, txn_ref):
    try:
        payment = services.receipt_for(txn_ref, request.user)
    except NotFound:
        raise Http404 from None
    return render(request, "payments/receipt.html", {"r": services.receipt_data(payment), "payment": payment})


@login_required
def receipt_pdf(request, txn_ref):
    try:
        payment = services.receipt_for(txn_ref, request.user, via="pdf")
    except NotFound:
        raise Http404 from None
    response = HttpResponse(
        receipts.render_pdf(services.receipt_data(payment)), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="bien-lai-{payment.receipt_number}.pdf"'
    return response


COLUMNS = [
    ("day", "Ngày"),
    ("agency_code", "Mã cơ quan"),
    ("agency_name", "Cơ quan"),
    ("provider", "Cổng thanh toán"),
    ("paid_count", "Số giao dịch thành công"),
    ("paid_amount", "Số tiền đã thu (đồng)"),
    ("pending_count", "Đang chờ"),
    ("failed_count", "Không thành công / hết hạn / hủy"),
    ("mismatch_count", "Sai lệch"),
]


def _export(rows, fmt, date_from, date_to):
    name = f"doi-soat-thanh-toan-{date_from:%Y%m%d}-{date_to:%Y%m%d}"
    values = [[getattr(r, key) for key, _label in COLUMNS] + ["; ".join(r.mismatches)] for r in rows]
    header = [label for _key, label in COLUMNS] + ["Chi tiết sai lệch"]
    if fmt == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        response.write("\ufeff")  # Excel opens UTF-8 CSV with Vietnamese correctly only with a BOM
        writer = csv.writer(response)
        writer.writerow(header)
        for v in values:
            writer.writerow([x.isoformat() if hasattr(x, "isoformat") else x for x in v])
        return response
    from openpyxl import Workbook  # local import: heavy, only for the spreadsheet export

    wb = Workbook()
    ws = wb.active
    ws.title = "Đối soát"
    ws.append(header)
    for v in values:
        ws.append(
            [
                int(x) if key == "paid_amount" else x
                for x, key in zip(v, [k for k, _ in COLUMNS] + [""], strict=True)
            ]
        )
    response = HttpResponse(content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    wb.save(response)
    return response


@login_required
def reconciliation(request):
    if not services.may_reconcile(request.user):
        raise PermissionDenied(_("Bạn không có quyền xem đối soát thanh toán."))
    agencies = services.reconcilable_agencies(request.user)
    form = ReconciliationForm(
        request.GET or None, agencies=agencies, initial=ReconciliationForm.default_initial()
    )
    rows, totals, error = [], {}, None
    if form.is_bound and form.is_valid():
        c = form.cleaned_data
        try:
            rows = services.reconciliation(request.user, c["date_from"], c["date_to"], c["agency"])
        except ServiceError as exc:
            error = exc.message
        else:
            fmt = request.GET.get("format")
            if fmt in ("csv", "xlsx"):
                return _export(rows, fmt, c["date_from"], c["date_to"])
            totals = services.totals(rows)
    return render(
        request,
        "payments/reconciliation.html",
        {"form": form, "rows": rows, "totals": totals, "error": error, "today": timezone.localdate()},
    )
