"""Pages of the integration platform for system administrators: health, subscribers (register, edit,
test, delivery log) and the dead letters with replay. Thin: every change is a ``services`` call."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congso.core.errors import ServiceError
from congso.core.forms import service_error_to_form
from congso.core.permissions import can

from . import selectors, services
from .events import EVENT_TYPES
from .forms import SubscriberForm
from .models import Delivery, InboundDossier, ReconcileRun, Subscriber
from .national import inbound, reconcile


def _viewer(request):
    if not can(request.user, "integration.view"):
        raise PermissionDenied


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@login_required
def health(request):
    _viewer(request)
    return render(
        request,
        "integration/health.html",
        {"health": selectors.health(), "events": EVENT_TYPES, "parked": inbound.parked().count()},
    )


@login_required
def subscriber_form(request, pk=None):
    _viewer(request)
    subscriber = get_object_or_404(Subscriber, pk=pk) if pk else None
    if request.method == "POST":
        form = SubscriberForm(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                if subscriber is None:
                    subscriber = services.create_subscriber(request.user, data)
                    messages.success(request, _("Đã đăng ký hệ thống nhận sự kiện."))
                else:
                    services.update_subscriber(request.user, subscriber.pk, data)
                    messages.success(request, _("Đã lưu thay đổi."))
            except ServiceError as exc:
                service_error_to_form(form, exc)
            else:
                return redirect("integration:subscriber", pk=subscriber.pk)
    elif subscriber is not None:
        form = SubscriberForm(
            initial={
                "name": subscriber.name,
                "url": subscriber.url,
                "event_types": subscriber.event_types,
                "active": subscriber.active,
            }
        )
    else:
        form = SubscriberForm()
    return render(request, "integration/subscriber_form.html", {"form": form, "subscriber": subscriber})


@login_required
def subscriber(request, pk):
    _viewer(request)
    subscriber = get_object_or_404(Subscriber, pk=pk)
    attempts = Paginator(selectors.attempts_of(subscriber), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "integration/subscriber.html",
        {
            "subscriber": subscriber,
            "attempts": attempts,
            "events": [EVENT_TYPES.get(e, e) for e in subscriber.event_types],
            "counts": {
                label: subscriber.deliveries.filter(status=status).count()
                for status, label in Delivery.Status.choices
            },
        },
    )


@login_required
@require_POST
def send_test(request, pk):
    try:
        attempt = services.send_test(request.user, pk)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        if attempt.ok:
            messages.success(
                request, _("Gửi thử thành công (HTTP %(code)s).") % {"code": attempt.status_code}
            )
        else:
            messages.error(request, _("Gửi thử không thành công: %(error)s") % {"error": attempt.error})
    return redirect("integration:subscriber", pk=pk)


@login_required
def dead_letters(request):
    _viewer(request)
    subscriber_id = _int(request.GET.get("subscriber"))
    event_type = request.GET.get("event", "") if request.GET.get("event", "") in EVENT_TYPES else ""
    page = Paginator(selectors.dead_letters(subscriber_id=subscriber_id, event_type=event_type), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "integration/dead_letters.html",
        {
            "page": page,
            "subscribers": Subscriber.objects.order_by("name", "id"),
            "subscriber_id": subscriber_id,
            "event": event_type,
            "events": list(EVENT_TYPES.items()),
        },
    )


@login_required
@require_POST
def replay(request, pk):
    try:
        services.replay(request.user, pk)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã đưa sự kiện vào hàng đợi gửi lại."))
    return redirect("integration:dead_letters")


@login_required
@require_POST
def replay_all(request):
    subscriber_id = _int(request.POST.get("subscriber"))
    event_type = request.POST.get("event", "") if request.POST.get("event", "") in EVENT_TYPES else ""
    try:
        n = services.replay_all(request.user, subscriber_id=subscriber_id, event_type=event_type)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã đưa %(n)s sự kiện vào hàng đợi gửi lại.") % {"n": n})
    return redirect("integration:dead_letters")


# --- National Public Service Portal (ADR 0168) -----------------------------------------------------


@login_required
def national(request):
    """The national portal sync: the connection, the dossiers parked on their way in, reconciliation."""
    _viewer(request)
    parked = Paginator(inbound.parked().select_related("dossier"), 50).get_page(request.GET.get("page"))
    subscriber = inbound.national_subscriber()
    return render(
        request,
        "integration/national.html",
        {
            "subscriber": subscriber,
            "counts": {
                label: subscriber.deliveries.filter(status=status).count()
                for status, label in Delivery.Status.choices
            }
            if subscriber
            else {},
            "parked": parked,
            "received": InboundDossier.objects.filter(status=InboundDossier.Status.RECEIVED)
            .select_related("dossier")
            .order_by("-received_at", "-id")[:10],
            "runs": ReconcileRun.objects.order_by("-started_at", "-id")[:5],
        },
    )


@login_required
def inbound_item(request, pk):
    """One dossier parked on its way in: why, and a form to map its codes and file it again."""
    _viewer(request)
    row = get_object_or_404(InboundDossier.objects.select_related("dossier"), pk=pk)
    errors = {}
    if request.method == "POST":
        try:
            row = inbound.resolve(
                request.user,
                pk,
                procedure_code=request.POST.get("procedure_code", ""),
                agency_code=request.POST.get("agency_code", ""),
            )
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            if row.status == InboundDossier.Status.RECEIVED:
                messages.success(request, _("Đã tiếp nhận hồ sơ %(code)s vào một cửa.") % {"code": row.code})
                return redirect("integration:national")
            errors = {"__all__": [row.problem]}
            messages.error(request, _("Chưa tiếp nhận được: %(problem)s") % {"problem": row.problem})
    return render(request, "integration/inbound_item.html", {"row": row, "errors": errors})


@login_required
@require_POST
def national_reconcile(request):
    try:
        run = reconcile.reconcile(request.user)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        if run.error:
            messages.error(request, run.error)
        else:
            messages.success(
                request,
                _("Đã đối soát %(checked)s hồ sơ: %(differing)s hồ sơ lệch, đã gửi lại %(resent)s.")
                % {"checked": run.checked, "differing": run.differing, "resent": run.resent},
            )
    return redirect("integration:national")
