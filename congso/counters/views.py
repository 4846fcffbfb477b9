"""Pages of the queue-ticket system: kiosk, ticket, display board, clerk console, statistics.

Thin views: each translates HTTP to one call in ``services`` and back. Every form is a plain POST
that works without JavaScript; with htmx the console and the display update in place.
"""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from congso.core.errors import RateLimited
from congso.core.forms import DATE_ERROR, parse_day
from congso.core.permissions import can
from congso.core.text import ascii_digits

from . import ratelimit, services
from .models import Ticket
from .services import QueueError
from .transitions import TRANSITIONS, allowed_actions

DISPLAY_POLL_SECONDS = 5
TICKET_POLL_SECONDS = 15


def _centre_or_404(code):
    try:
        return services.get_centre(code)
    except QueueError:
        raise Http404(_("Không tìm thấy trung tâm phục vụ hành chính công này.")) from None


def _counter_or_404(centre, number):
    try:
        return services.get_counter(centre, number)
    except QueueError:
        raise Http404(_("Không tìm thấy quầy.")) from None


def _staff_only(request):
    """Anonymous visitors are sent to the login page; the permission check comes after."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return None


# --- public: choosing a centre, taking a number, following a ticket ------------------------


@require_GET
def index(request):
    return render(request, "counters/index.html", {"centres": services.centres()})


@never_cache
@require_http_methods(["GET", "POST"])
def kiosk(request, code):
    centre = _centre_or_404(code)
    error = None
    status = 200
    if request.method == "POST":
        try:
            ratelimit.check_session(request)
            ratelimit.check_ip(request)
            ticket = services.take_ticket(
                request.POST.get("service"),
                actor=request.user if request.user.is_authenticated else None,
                centre=centre,
            )
        except RateLimited as exc:
            error, status = exc.message, 429
        except (QueueError, PermissionDenied) as exc:
            error, status = getattr(exc, "message", None) or _("Dịch vụ này hiện không phát số."), 400
        else:
            ratelimit.remember(request, ticket)
            return redirect("counters:ticket", token=ticket.token)
    today = timezone.localdate()
    state = services.opening(centre)
    closed = services.closed_now(centre)
    rows = []
    for service in services.active_services(centre) if closed is None else []:
        waiting = Ticket.objects.filter(service=service, day=today, state=Ticket.State.WAITING).count()
        rows.append({"service": service, "waiting": waiting})
    response = render(
        request,
        "counters/kiosk.html",
        {
            "centre": centre,
            "rows": rows,
            "error": error,
            "hours": state.hours,
            "closed": closed,
            "mine": [] if ratelimit.is_kiosk(request) else ratelimit.session_tickets(request),
        },
        status=status,
    )
    if status == 429:
        response["Retry-After"] = "60"
    return response


def _ticket_or_404(token):
    ticket = Ticket.objects.select_related("service", "centre", "counter").filter(token=token).first()
    if ticket is None:
        raise Http404(_("Không tìm thấy phiếu số."))
    return ticket


@never_cache
@require_GET
def ticket(request, token):
    ticket = _ticket_or_404(token)
    context = {"ticket": ticket, "pos": services.position(ticket), "poll": TICKET_POLL_SECONDS}
    context["live"] = ticket.is_open and ticket.day == timezone.localdate()
    context["expired"] = ticket.is_open and ticket.day < timezone.localdate()
    pos = context["pos"]
    context["sig"] = f"{ticket.state}.{ticket.counter_id or 0}.{pos.ahead}.{pos.estimate_minutes}"
    if request.htmx:
        if request.GET.get("v") == context["sig"]:
            return HttpResponse(status=204)  # nothing changed: htmx keeps the page, no re-announcement
        return render(request, "counters/partials/ticket_status.html", context)
    return render(request, "counters/ticket.html", context)


# --- public display board --------------------------------------------------------------------


def _board_context(request, centre):
    auto = request.GET.get("tu-dong") != "0"
    board = services.board(centre, seen=request.GET.get("seen"))
    feed_url = reverse("counters:display_feed", kwargs={"code": centre.code}) + f"?seen={board.stamp}"
    return {
        "centre": centre,
        "board": board,
        "auto": auto,
        "feed_url": feed_url,
        "poll": DISPLAY_POLL_SECONDS,
    }


@never_cache
@require_GET
def display(request, code):
    centre = _centre_or_404(code)
    return render(request, "counters/display.html", _board_context(request, centre))


@never_cache
@require_GET
def display_feed(request, code):
    centre = _centre_or_404(code)
    return render(request, "counters/partials/board.html", {**_board_context(request, centre), "oob": True})


# --- clerk console ---------------------------------------------------------------------------


@never_cache
@require_GET
def console_home(request, code):
    if (login := _staff_only(request)) is not None:
        return login
    centre = _centre_or_404(code)
    may_operate = can(request.user, "counters.operate", centre)
    may_configure = can(request.user, "counters.configure", centre)
    may_stats = can(request.user, "counters.view_stats", centre)
    if not (may_operate or may_configure or may_stats):
        raise PermissionDenied
    counters = centre.counters.prefetch_related("services").select_related("last_called")
    return render(
        request,
        "counters/console_home.html",
        {
            "centre": centre,
            "counters": counters,
            "may_operate": may_operate,
            "may_configure": may_configure,
            "may_stats": may_stats,
        },
    )


def _console_context(centre, counter):
    today = timezone.localdate()
    current = services.current_ticket(counter)
    service_ids = list(counter.services.values_list("pk", flat=True))
    waiting = []
    for service in counter.services.filter(is_active=True).order_by("-is_priority", "position", "prefix"):
        count = Ticket.objects.filter(service=service, day=today, state=Ticket.State.WAITING).count()
        waiting.append({"service": service, "count": count})
    missed = Ticket.objects.filter(
        centre=centre, day=today, state=Ticket.State.NO_SHOW, service_id__in=service_ids
    ).order_by("-finished_at")[:10]
    return {
        "centre": centre,
        "counter": counter,
        "current": current,
        "actions": allowed_actions(current) if current else [],
        "waiting": waiting,
        "total_waiting": sum(row["count"] for row in waiting),
        "missed": missed,
        "transfer_targets": services.active_services(centre).exclude(pk=current.service_id)
        if current
        else [],
        "served_today": Ticket.objects.filter(counter=counter, day=today, state=Ticket.State.DONE).count(),
        "call_label": TRANSITIONS["call"].label,
    }


def _render_console(request, centre, counter, status=200):
    counter.refresh_from_db()  # the action may have moved its current ticket
    context = _console_context(centre, counter)
    if request.htmx:
        if request.method == "POST":
            context["flash"] = list(messages.get_messages(request))
        return render(request, "counters/partials/console_panel.html", context, status=status)
    return render(request, "counters/console.html", context, status=status)


@never_cache
@require_GET
def console(request, code, number):
    if (login := _staff_only(request)) is not None:
        return login
    centre = _centre_or_404(code)
    counter = _counter_or_404(centre, number)
    services.check_operate(request.user, counter)
    return _render_console(request, centre, counter)


def _after_action(request, centre, counter, status=200):
    if request.htmx:
        return _render_console(request, centre, counter, status=status)
    return redirect("counters:console", code=centre.code, number=counter.number)


@require_POST
def console_call(request, code, number):
    if (login := _staff_only(request)) is not None:
        return login
    centre = _centre_or_404(code)
    counter = _counter_or_404(centre, number)
    try:
        ticket = services.call_next(request.user, counter.pk)
    except QueueError as exc:
        messages.error(request, exc.message)
        return _after_action(request, centre, counter, status=409)
    messages.success(
        request,
        _("Đã gọi số %(code)s đến quầy số %(number)s.") % {"code": ticket.code, "number": counter.number},
    )
    return _after_action(request, centre, counter)


@require_POST
def console_act(request, code, number, ticket_id):
    if (login := _staff_only(request)) is not None:
        return login
    centre = _centre_or_404(code)
    counter = _counter_or_404(centre, number)
    action = request.POST.get("action", "")
    try:
        ticket = services.act(
            request.user, ticket_id, action, counter=counter, target_service_id=request.POST.get("service")
        )
    except QueueError as exc:
        if exc.code == "not_found":
            raise Http404(exc.message) from None
        messages.error(request, exc.message)
        return _after_action(request, centre, counter, status=409)
    done = {
        "recall": _("Đã gọi lại số %(code)s."),
        "start": _("Đang phục vụ số %(code)s."),
        "finish": _("Đã hoàn thành số %(code)s."),
        "no_show": _("Đã ghi nhận số %(code)s vắng mặt."),
        "transfer": _("Đã chuyển số %(code)s sang dịch vụ khác."),
        "requeue": _("Đã xếp số %(code)s trở lại hàng chờ."),
    }[action]
    messages.success(request, done % {"code": ticket.code})
    return _after_action(request, centre, counter)


# --- statistics ------------------------------------------------------------------------------


@never_cache
@require_GET
def stats(request, code):
    if (login := _staff_only(request)) is not None:
        return login
    centre = _centre_or_404(code)
    day = timezone.localdate()
    error = None
    raw = request.GET.get("ngay")
    if raw:
        try:
            day = parse_day(raw) or day
        except ValueError:
            error = DATE_ERROR
    rows = services.statistics_for(request.user, centre, day)
    return render(
        request,
        "counters/stats.html",
        {"centre": centre, "rows": rows[:-1], "total": rows[-1], "day": day, "error": error},
        status=400 if error else 200,
    )


# --- configuration (agency administrators, system administrators) ---------------------------


@never_cache
@require_GET
def configure(request, code):
    if (login := _staff_only(request)) is not None:
        return login
    centre = _centre_or_404(code)
    if not can(request.user, "counters.configure", centre):
        raise PermissionDenied
    all_services = list(centre.ticket_services.order_by("-is_priority", "position", "prefix"))
    counters = []
    for counter in centre.counters.prefetch_related("services"):
        chosen = {s.pk for s in counter.services.all()}
        counters.append({"counter": counter, "choices": [(s, s.pk in chosen) for s in all_services]})
    next_number = max([c["counter"].number for c in counters], default=0) + 1
    return render(
        request,
        "counters/configure.html",
        {"centre": centre, "services": all_services, "counters": counters, "next_number": next_number},
    )


def _checkbox(request, name):
    return request.POST.get(name) in ("1", "on", "true")


@require_POST
def configure_counter(request, code):
    if (login := _staff_only(request)) is not None:
        return login
    centre = _centre_or_404(code)
    try:
        counter = services.configure_counter(
            request.user,
            centre,
            request.POST.get("number"),
            label=request.POST.get("label", "").strip(),
            service_ids=request.POST.getlist("services"),
            is_active=_checkbox(request, "is_active"),
        )
    except QueueError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã lưu quầy số %(number)s.") % {"number": counter.number})
    return redirect("counters:configure", code=centre.code)


@require_POST
def configure_service(request, code):
    if (login := _staff_only(request)) is not None:
        return login
    centre = _centre_or_404(code)
    limit = request.POST.get("daily_limit", "").strip()
    minutes = request.POST.get("typical_minutes", "").strip()
    try:
        if (limit and not ascii_digits(limit)) or not ascii_digits(minutes):
            raise QueueError(_("Số phút và số phiếu tối đa phải là số nguyên dương."), "invalid_number")
        service = services.configure_service(
            request.user,
            centre,
            request.POST.get("prefix", ""),
            name=request.POST.get("name", ""),
            is_priority=_checkbox(request, "is_priority"),
            typical_minutes=int(minutes),
            daily_limit=int(limit) if limit else None,
            position=int(position) if ascii_digits(position := request.POST.get("position", "0")) else 0,
            is_active=_checkbox(request, "is_active"),
        )
    except QueueError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Đã lưu dịch vụ %(prefix)s — %(name)s.") % {"prefix": service.prefix, "name": service.name},
        )
    return redirect("counters:configure", code=centre.code)
