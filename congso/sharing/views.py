"""Pages: the agreements (system administrators) and a citizen's "who read my data" (ADR 0155)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from congso.accounts.hooks import PERSONAL_DATA
from congso.core.errors import ServiceError
from congso.core.forms import service_error_to_form
from congso.core.permissions import can

from . import selectors, services
from .forms import AgreementForm, RevokeForm


def _admin(request):
    if not can(request.user, "sharing.manage_agreements"):
        raise PermissionDenied


@login_required
@require_http_methods(["GET", "POST"])
def agreements(request):
    _admin(request)
    form = AgreementForm(request.POST) if request.method == "POST" else AgreementForm()
    if request.method == "POST" and form.is_valid():
        try:
            agreement = services.create_agreement(request.user, **form.cleaned_data)
        except ServiceError as exc:
            service_error_to_form(form, exc)
        else:
            messages.success(request, _("Đã ghi thỏa thuận số %(n)s.") % {"n": agreement.number})
            return redirect("sharing:agreement", pk=agreement.pk)
    return render(
        request,
        "sharing/agreements.html",
        {"agreements": selectors.agreements(), "form": form, "categories": PERSONAL_DATA},
        status=400 if form.errors else 200,
    )


@login_required
def agreement(request, pk):
    _admin(request)
    found = selectors.agreements().filter(pk=pk).first()
    if found is None:
        raise Http404
    page = Paginator(selectors.reads_of(found), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "sharing/agreement.html",
        {
            "agreement": found,
            "scopes": [PERSONAL_DATA.get(s, s) for s in found.scopes],
            "page": page,
            "categories": PERSONAL_DATA,
            "revoke_form": RevokeForm(),
        },
    )


@login_required
@require_POST
def revoke(request, pk):
    _admin(request)
    form = RevokeForm(request.POST)
    form.is_valid()
    try:
        services.revoke_agreement(request.user, pk, reason=form.cleaned_data.get("reason", ""))
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã thu hồi thỏa thuận."))
    return redirect("sharing:agreement", pk=pk)


@login_required
def my_reads(request):
    if not can(request.user, "sharing.view_own_reads", request.user):
        raise PermissionDenied
    page = Paginator(selectors.reads_about(request.user), 30).get_page(request.GET.get("page"))
    return render(request, "sharing/my_reads.html", {"page": page, "categories": PERSONAL_DATA})
