"""Văn thư's and system administrators' exchange pages: the outbox and the inbox with their statuses."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congso.core.errors import ServiceError

from . import selectors, services
from .edxml import STATUS_CODES


def _require_view(user):
    if not selectors.may_view(user):
        raise PermissionDenied


@login_required
def outbox(request):
    _require_view(request.user)
    page = Paginator(selectors.outbox_for(request.user), 50).get_page(request.GET.get("page"))
    return render(request, "exchange/outbox.html", {"page": page, "status_codes": STATUS_CODES})


@login_required
def inbox(request):
    _require_view(request.user)
    page = Paginator(selectors.inbox_for(request.user), 50).get_page(request.GET.get("page"))
    return render(request, "exchange/inbox.html", {"page": page})


@login_required
@require_POST
def resend(request, pk):
    try:
        services.resend(pk, actor=request.user)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã đưa gói tin vào hàng đợi gửi lại."))
    return redirect("exchange:outbox")
