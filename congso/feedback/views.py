"""Pages of citizen feedback: the public board ``/phan-anh/`` (list, map, each report with its public
timeline), reporting from a phone, the reporter's rating, and the staff inbox, report page, entry form
and administration. Thin: every decision is in ``services``/``selectors``."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from congso.core import audit, pagination
from congso.core.errors import NotFound, RateLimited, ServiceError
from congso.core.forms import parse_day, service_error_to_form
from congso.core.middleware import client_ip
from congso.core.permissions import can

from . import selectors, services, validation
from .forms import ActionForm, ReportForm, category_choices, commune_choices
from .models import Category, Media, RejectReason, Report, RoutingRule, Status
from .transitions import REPORTS, STAFF_ACTIONS

PAGE_SIZE = 20
MAX_PAGE = selectors.MAX_BOARD_ROWS // PAGE_SIZE  # older reports: narrow the dates (ADR 0184)


def _date(value):
    try:
        return parse_day(value)
    except ValueError:
        return None


def board(request):
    keys = ("category", "unit", "status", "q", "start", "end", "procedure")
    f = {k: (request.GET.get(k) or "").strip() for k in keys}
    board_filters = {
        "procedure": f["procedure"][:40],
        "category": f["category"],
        "unit": f["unit"],
        "status": f["status"],
        "q": f["q"][:200],
        "start": _date(f["start"]),
        "end": _date(f["end"]),
    }
    rows = selectors.public_board(**board_filters)
    # no COUNT(*) over the whole board (a million rows): one row more than the page says if there is a next
    page = pagination.uncounted_page(rows, request.GET.get("page"), per_page=PAGE_SIZE, max_page=MAX_PAGE)
    for r in page.rows:
        r.public_description = selectors.mask_text(r.description)
    tiles = bool(settings.CONGSO_FEEDBACK_TILE_URL)
    # the board-wide map (only with a tile server; the list above is the same content without it)
    # each marker's link from one reverse(): 500 reverse() calls were a quarter of the page's time
    prefix, suffix = reverse("feedback:report", args=["CODE"]).rsplit("CODE", 1)
    points = (
        [
            {**p, "url": f"{prefix}{p['code']}{suffix}"}
            for p in selectors.public_points(board=rows, **board_filters)
        ]
        if tiles
        else []
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "feedback/board.html",
        {
            "page": page,
            "filters": f,
            "query": query.urlencode(),
            "categories": category_choices(),
            "communes": commune_choices(),
            "statuses": [("open", _("Đang xử lý, chờ trả lời"))]
            + [(s, Status(s).label) for s in (Status.ANSWERED, Status.CLOSED)],
            "tiles": tiles,
            "points": points,
            "map_bounds": ",".join(str(b) for b in validation.bounds(selectors.board_province_code())),
            "tile_url": settings.CONGSO_FEEDBACK_TILE_URL,
            "tile_attribution": settings.CONGSO_FEEDBACK_TILE_ATTRIBUTION,
        },
    )


def report_page(request, code):
    report = selectors.public_report(code)
    own = None
    if report is None:
        own = Report.objects.filter(code=code).select_related("category", "unit", "agency").first()
        if own is None or not (request.user.is_authenticated and own.reporter_id == request.user.pk):
            raise Http404
        report = own
    return render(
        request,
        "feedback/report.html",
        {
            "report": report,
            "name": selectors.public_name(report),
            "description": selectors.mask_text(report.description),
            "answer": selectors.mask_text(report.answer)
            if report.status in (Status.ANSWERED, Status.CLOSED)
            else "",
            "timeline": selectors.public_timeline(report),
            "photos": list(report.media.exclude(mime="video/mp4").values_list("pk", flat=True)),
            "videos": list(report.media.filter(mime="video/mp4").values_list("pk", flat=True)),
            "may_rate": request.user.is_authenticated
            and report.status == Status.ANSWERED
            and can(request.user, "feedback.rate", report),
            "may_add_info": request.user.is_authenticated
            and report.is_open
            and report.reporter_id == request.user.pk,
            "may_follow": request.user.is_authenticated and report.reporter_id != request.user.pk,
            # the linked dossier is shown to its reporter only, never to the public
            "dossier": report.dossier
            if request.user.is_authenticated and report.reporter_id == request.user.pk
            else None,
            "tiles": bool(settings.CONGSO_FEEDBACK_TILE_URL) and report.lat is not None,
            "tile_url": settings.CONGSO_FEEDBACK_TILE_URL,
            "tile_attribution": settings.CONGSO_FEEDBACK_TILE_ATTRIBUTION,
        },
    )


def media(request, pk):
    item = Media.objects.select_related("report").filter(pk=pk).first()
    if item is None:
        raise Http404
    report = item.report
    visible = selectors.public_report(report.code) is not None or (
        request.user.is_authenticated and can(request.user, "feedback.view_identity", report)
    )
    if not visible:
        raise Http404
    return FileResponse(item.file.open("rb"), content_type=item.mime)


@require_http_methods(["GET", "POST"])
def submit_page(request):
    return _submit(request, staff=False)


@login_required
@require_http_methods(["GET", "POST"])
def staff_entry(request):
    if not can(request.user, "feedback.enter"):
        raise PermissionDenied
    return _submit(request, staff=True)


def _submit(request, *, staff: bool):
    form = ReportForm(request.POST or None, request.FILES or None, staff=staff)
    dups = []
    status = 200
    if request.method == "POST" and form.is_valid():
        data = dict(request.POST.items())
        # an unticked checkbox is not sent: not public, name not shown
        data["is_public"] = "1" if request.POST.get("is_public") else "0"
        data["show_name"] = "1" if request.POST.get("show_name") else "0"
        if not staff and not request.POST.get("confirm"):
            unit = Report._meta.get_field("unit").related_model.objects.filter(code=data.get("unit")).first()
            dups = services.duplicates(unit, f"{data.get('title', '')} {data.get('description', '')}")
        if not dups:
            try:
                report = services.submit(
                    data,
                    request.FILES.getlist("photos"),
                    video=request.FILES.get("video"),
                    actor=request.user,
                    ip=client_ip(request),
                    staff=staff,
                )
            except RateLimited as exc:
                form.add_error(None, exc.message)
                status = 429
            except ServiceError as exc:
                service_error_to_form(form, exc)
                status = 400
            else:
                messages.success(
                    request,
                    _("Đã gửi phản ánh %(code)s. Cơ quan xử lý: %(agency)s.")
                    % {"code": report.code, "agency": report.agency.name},
                )
                if staff:
                    return redirect("feedback:staff_report", code=report.code)
                return redirect("feedback:report", code=report.code)
    return render(
        request, "feedback/submit.html", {"form": form, "staff": staff, "duplicates": dups}, status=status
    )


@login_required
@require_POST
def follow(request, code):
    try:
        services.follow(code, actor=request.user)
    except NotFound:
        raise Http404 from None
    messages.success(request, _("Ông/Bà sẽ nhận thông báo khi phản ánh này có kết quả."))
    return redirect("feedback:report", code=code)


@login_required
@require_POST
def add_info(request, code):
    try:
        services.add_info(code, actor=request.user, text=request.POST.get("text", ""))
    except NotFound:
        raise Http404 from None
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã gửi thông tin bổ sung tới cơ quan xử lý."))
    return redirect("feedback:report", code=code)


@login_required
@require_POST
def rate(request, code):
    try:
        report = services.rate(
            code,
            actor=request.user,
            rating=request.POST.get("rating", ""),
            comment=request.POST.get("comment", ""),
        )
    except NotFound:
        raise Http404 from None
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("feedback:report", code=code)
    if report.status == Status.PROCESSING:
        messages.success(request, _("Phản ánh đã được mở lại để cơ quan xử lý lần nữa."))
    else:
        messages.success(request, _("Cảm ơn Ông/Bà đã đánh giá."))
    return redirect("feedback:report", code=code)


# --- staff -----------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def inbox(request):
    if not selectors.staff_agencies(request.user).exists():
        raise PermissionDenied
    if request.method == "POST":
        codes = request.POST.getlist("codes")
        agency = request.POST.get("agency", "")
        done, failed = 0, []
        for code in codes[:100]:
            try:
                services.act(code, "dispatch", actor=request.user, agency=agency)
                done += 1
            except (ServiceError, PermissionDenied) as exc:
                failed.append(f"{code}: {getattr(exc, 'message', None) or exc}")
        if done:
            messages.success(request, _("Đã phân công %(n)s phản ánh.") % {"n": done})
        for f in failed:
            messages.error(request, f)
        if not codes:
            messages.error(request, _("Vui lòng chọn phản ánh cần phân công."))
        return redirect(request.get_full_path())
    status = request.GET.get("status") or "open"
    procedure = (request.GET.get("procedure") or "").strip()[:40]
    dossier = (request.GET.get("dossier") or "").strip()[:40]
    rows = selectors.inbox(request.user, status=status, procedure=procedure, dossier=dossier)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "feedback/inbox.html",
        {
            "page": page,
            "counts": selectors.inbox_counts(request.user),
            "status": status,
            "procedure": procedure,
            "dossier": dossier,
            "statuses": [("open", _("Đang mở"))] + list(Status.choices),
        },
    )


def _staff_report(request, code):
    report = (
        Report.objects.select_related(
            "category", "unit", "agency", "reporter", "entered_by", "procedure", "dossier"
        )
        .filter(code=code)
        .first()
    )
    if report is None or not (
        can(request.user, "feedback.view_staff", report) or can(request.user, "feedback.dispatch", report)
    ):
        raise Http404
    return report


@login_required
@require_http_methods(["GET", "POST"])
def staff_report(request, code):
    report = _staff_report(request, code)
    form = ActionForm(request.POST or None)
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action not in STAFF_ACTIONS:
            raise Http404
        form.is_valid()
        try:
            services.act(
                code,
                action,
                actor=request.user,
                reason=request.POST.get("reason", ""),
                note=request.POST.get("note", ""),
                agency=request.POST.get("agency", ""),
                target=request.POST.get("target", ""),
            )
        except ServiceError as exc:
            service_error_to_form(form, exc)
            status = exc.status
        except PermissionDenied:
            form.add_error(None, _("Bạn không có quyền thực hiện thao tác này."))
            status = 403
        else:
            messages.success(request, _("Đã cập nhật phản ánh."))
            return redirect("feedback:staff_report", code=code)
    audit.record("feedback.view_identity", obj=report, actor=request.user)
    available = [
        t for t in REPORTS.available(report.status, actor=request.user, obj=report) if t.name in STAFF_ACTIONS
    ]
    return render(
        request,
        "feedback/staff_report.html",
        {
            "report": report,
            "form": form,
            "actions": available,
            "events": report.events.select_related("actor", "agency", "to_agency"),
            "help_requests": report.help_requests.select_related("agency"),
            "photos": list(report.media.exclude(mime="video/mp4").values_list("pk", flat=True)),
            "videos": list(report.media.filter(mime="video/mp4").values_list("pk", flat=True)),
            "reasons": RejectReason.choices,
            "duplicates": services.duplicates(
                report.unit, f"{report.title} {report.description}", exclude=report
            )
            if report.is_open
            else [],
        },
        status=status,
    )


# --- administration --------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def admin_page(request):
    if not can(request.user, "feedback.manage"):
        raise PermissionDenied
    error, new_key, status = None, None, 200
    if request.method == "POST":
        what = request.POST.get("what")
        try:
            if what == "category":
                services.save_category(
                    actor=request.user,
                    code=request.POST.get("code", ""),
                    name=request.POST.get("name", ""),
                    parent=request.POST.get("parent", ""),
                    answer_days=request.POST.get("answer_days", ""),
                    description=request.POST.get("description", ""),
                    keywords=request.POST.get("keywords", ""),
                    is_active=request.POST.get("is_active", "on") == "on",
                )
            elif what == "rule":
                services.save_rule(
                    actor=request.user,
                    category=request.POST.get("category", ""),
                    agency=request.POST.get("agency", ""),
                    unit=request.POST.get("unit", ""),
                )
            elif what == "key":
                _key, new_key = services.issue_api_key(actor=request.user, name=request.POST.get("name", ""))
            else:
                raise Http404
        except ServiceError as exc:
            error, status = exc.message, exc.status
        else:
            if not new_key:
                messages.success(request, _("Đã lưu."))
                return redirect("feedback:admin")
    return render(
        request,
        "feedback/admin.html",
        {
            "categories": Category.objects.select_related("parent").order_by("parent__name", "order", "name"),
            "rules": RoutingRule.objects.select_related("category", "unit", "province", "agency").order_by(
                "category__name"
            ),
            "communes": commune_choices(),
            "error": error,
            "new_key": new_key,
            "keys": services.ApiKey.objects.order_by("-created_at"),
        },
        status=status,
    )
