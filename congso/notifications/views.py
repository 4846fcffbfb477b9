"""The outbox page for system administrators: notices waiting, failing or given up, and "send again"."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congso.core.errors import ServiceError
from congso.core.permissions import can

from . import services
from .messages import EVENTS
from .models import Notice, Notification

S = Notification.Status
PROBLEMS = (S.QUEUED, S.SENDING, S.FAILED, S.GIVEN_UP)


def filtered(params):
    """The outbox filtered by ``status`` ("problems" by default, or one status, or "all"), ``channel``,
    ``event`` and ``q`` (dossier code or address). Shared by the page and the API."""
    qs = Notification.objects.select_related("dossier")
    status = params.get("status") or "problems"
    if status == "problems":
        qs = qs.filter(status__in=PROBLEMS)
    elif status in S.values:
        qs = qs.filter(status=status)
    if params.get("channel") in Notification.Channel.values:
        qs = qs.filter(channel=params["channel"])
    if params.get("event") in EVENTS:
        qs = qs.filter(event=params["event"])
    q = (params.get("q") or "").strip()[:100]
    if q:
        qs = qs.filter(dossier__code__icontains=q) | qs.filter(address__iexact=q)
    return qs


@login_required
def outbox(request):
    if not can(request.user, "notifications.view_outbox"):
        raise PermissionDenied
    page = Paginator(filtered(request.GET), 50).get_page(request.GET.get("page"))
    counts = {s: Notification.objects.filter(status=s).count() for s in PROBLEMS}
    return render(
        request,
        "notifications/outbox.html",
        {
            "page": page,
            "counts": [(S(s).label, n) for s, n in counts.items()],
            "status": request.GET.get("status") or "problems",
            "channel": request.GET.get("channel", ""),
            "event": request.GET.get("event", ""),
            "q": request.GET.get("q", "")[:100],
            "statuses": [
                ("problems", _("Chưa gửi được (chờ, lỗi, ngừng)")),
                ("all", _("Tất cả")),
                *S.choices,
            ],
            "channels": Notification.Channel.choices,
            "events": [(e.name, e.label) for e in EVENTS.values()],
        },
    )


@login_required
@require_POST
def resend(request, pk):
    try:
        services.resend(pk, actor=request.user)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã đưa thông báo vào hàng đợi gửi lại."))
    back = request.POST.get("next", "")
    return redirect(back if back.startswith("/thong-bao/") else "notifications:outbox")


def _internal(url: str) -> str:
    """A notice's link, only if it stays inside the platform (a path, never another host)."""
    return url if url.startswith("/") and not url.startswith("//") and "\\" not in url else ""


@login_required
def mine(request):
    """The signed-in person's notices, newest first, unread ones marked."""
    notices = Notice.objects.filter(recipient=request.user)
    page = Paginator(notices, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/mine.html",
        {"page": page, "unread": services.unread_count(request.user)},
    )


@login_required
@require_POST
def open_notice(request, pk):
    """Mark one notice read and go to what it is about (or back to the list)."""
    try:
        services.mark_read(request.user, pk)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("notifications:mine")
    url = Notice.objects.filter(recipient=request.user, pk=pk).values_list("url", flat=True).first() or ""
    return redirect(_internal(url) or "notifications:mine")


@login_required
@require_POST
def read_all(request):
    n = services.mark_read(request.user)
    messages.success(request, _("Đã đánh dấu %(n)s thông báo là đã đọc.") % {"n": n})
    return redirect("notifications:mine")
