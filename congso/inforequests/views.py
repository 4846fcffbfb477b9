"""Pages of access to information under /tiep-can-thong-tin/: the public section (the agencies' lists of
information they must publish, anonymised statistics), filing a request from a phone, the requester's
own requests and answers, and the officials' inbox, request page and disclosure-list editor. Thin:
every decision is in ``services``/``selectors``."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from congso.core.errors import NotFound, RateLimited, ServiceError
from congso.core.forms import service_error_to_form
from congso.core.middleware import client_ip
from congso.core.permissions import can
from congso.directory.models import Agency

from . import selectors, services
from .forms import ActionForm, DisclosureForm, RequestForm
from .models import DisclosureCategory, RefusalGround, Status, TimeLimit
from .transitions import REQUESTS, STAFF_ACTIONS


def _year(value) -> int:
    try:
        year = int(value)
    except (TypeError, ValueError):
        return timezone.localdate().year
    return year if 2017 <= year <= 2100 else timezone.localdate().year


def home(request):
    year = _year(request.GET.get("year"))
    return render(
        request,
        "inforequests/home.html",
        {
            "agencies": selectors.disclosure_agencies(),
            "stats": selectors.stats(None, dt.date(year, 1, 1), dt.date(year, 12, 31)),
            "year": year,
            "limits": {code: services.limit(code) for code in (TimeLimit.ANSWER, TimeLimit.EXTENSION)},
        },
    )


def agency_page(request, code):
    agency = Agency.objects.filter(code=code, is_active=True).first()
    if agency is None:
        raise Http404
    year = _year(request.GET.get("year"))
    return render(
        request,
        "inforequests/agency.html",
        {
            "agency": agency,
            "groups": selectors.disclosure(agency),
            "stats": selectors.stats(agency, dt.date(year, 1, 1), dt.date(year, 12, 31)),
            "year": year,
            "may_manage": can(request.user, "inforequests.manage_disclosure", agency),
        },
    )


def _initial(request) -> dict:
    initial = {
        "agency": request.GET.get("co_quan", ""),
        "form": "electronic",
        "means": "online",
        "copies": "1",
    }
    user = request.user
    if user.is_authenticated:
        initial |= {"name": user.full_name, "email": user.email, "phone": user.phone}
        profile = getattr(user, "citizen_profile", None)
        if profile is not None:
            initial |= {"id_number": profile.cccd, "address": profile.address}
    return initial


@require_http_methods(["GET", "POST"])
def submit_page(request):
    form = RequestForm(request.POST or None, initial=_initial(request))
    status = 200
    if request.method == "POST":
        form.is_valid()
        try:
            req = services.submit(dict(request.POST.items()), actor=request.user, ip=client_ip(request))
        except RateLimited as exc:
            form.add_error(None, exc.message)
            status = 429
        except ServiceError as exc:
            service_error_to_form(form, exc)
            status = 400
        else:
            messages.success(
                request,
                _("Đã gửi yêu cầu %(code)s tới %(agency)s. Hạn cung cấp thông tin: %(due)s.")
                % {
                    "code": req.code,
                    "agency": req.agency.name,
                    "due": timezone.localtime(req.due_at).strftime("%d/%m/%Y"),
                },
            )
            return redirect(services.request_url(req, with_token=not request.user.is_authenticated))
    return render(request, "inforequests/submit.html", {"form": form}, status=status)


def request_page(request, code):
    try:
        req = services.for_requester(code, actor=request.user, token=request.GET.get("ma", ""))
    except NotFound:
        raise Http404 from None
    return render(
        request,
        "inforequests/request.html",
        {
            "req": req,
            "deadline": services.deadline_status(req),
            "events": req.events.all(),
            "token": request.GET.get("ma", "") if req.requester_id is None else "",
        },
    )


def answer_file(request, code):
    req = None
    try:
        req = services.for_requester(code, actor=request.user, token=request.GET.get("ma", ""))
    except NotFound:
        if request.user.is_authenticated:
            try:
                req = services.for_staff(code, actor=request.user)
            except NotFound:
                req = None
    if req is None or not req.answer_file or req.status != Status.ANSWERED:
        raise Http404
    return FileResponse(
        req.answer_file.open("rb"),
        content_type=req.answer_mime,
        as_attachment=True,
        filename=f"{req.code}{'.pdf' if req.answer_mime == 'application/pdf' else ''}",
    )


@login_required
def mine(request):
    page = Paginator(selectors.mine(request.user), 20).get_page(request.GET.get("page"))
    return render(
        request,
        "inforequests/mine.html",
        {"page": page, "rows": selectors.annotate_deadlines(page.object_list)},
    )


# --- officials -------------------------------------------------------------------------------------


@login_required
def inbox(request):
    if not selectors.staff_agencies(request.user).exists():
        raise PermissionDenied
    status = request.GET.get("status") or "open"
    page = Paginator(selectors.inbox(request.user, status=status), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "inforequests/inbox.html",
        {
            "page": page,
            "rows": selectors.annotate_deadlines(page.object_list),
            "status": status,
            "statuses": [("open", _("Đang giải quyết"))] + list(Status.choices) + [("all", _("Tất cả"))],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def staff_page(request, code):
    try:
        req = services.for_staff(code, actor=request.user)
    except NotFound:
        raise Http404 from None
    form = ActionForm(request.POST or None, request.FILES or None)
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
                note=request.POST.get("note", ""),
                reason=request.POST.get("reason", ""),
                file=request.FILES.get("file"),
            )
        except ServiceError as exc:
            service_error_to_form(form, exc)
            status = exc.status
        except PermissionDenied:
            form.add_error(None, _("Bạn không có quyền thực hiện thao tác này."))
            status = 403
        else:
            messages.success(request, _("Đã cập nhật yêu cầu."))
            return redirect("inforequests:staff", code=code)
    return render(
        request,
        "inforequests/staff.html",
        {
            "req": req,
            "form": form,
            "deadline": services.deadline_status(req),
            "actions": REQUESTS.available(req.status, actor=request.user, obj=req),
            "events": req.events.select_related("actor"),
            "grounds": RefusalGround.objects.filter(is_active=True),
            "extension": services.limit(TimeLimit.EXTENSION),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def manage(request):
    if not can(request.user, "inforequests.manage_disclosure"):
        raise PermissionDenied
    managed = [
        a
        for a in Agency.objects.filter(is_active=True).order_by("name")
        if can(request.user, "inforequests.manage_disclosure", a)
    ]
    code = request.POST.get("agency") or request.GET.get("agency") or (managed[0].code if managed else "")
    agency = next((a for a in managed if a.code == code), None)
    if agency is None:
        raise PermissionDenied
    form = DisclosureForm(request.POST or None)
    form.fields["category"].widget.choices = [("", _("— Chọn nhóm —"))] + [
        (c.code, f"{c.legal_basis}: {c.name}") for c in DisclosureCategory.objects.all()
    ]
    status = 200
    if request.method == "POST":
        form.is_valid()
        try:
            pk = request.POST.get("pk") or None
            services.save_disclosure_item(
                actor=request.user,
                agency=agency.code,
                category=request.POST.get("category", ""),
                title=request.POST.get("title", ""),
                url=request.POST.get("url", ""),
                how=request.POST.get("how", ""),
                published_on=request.POST.get("published_on") or None,
                pk=int(pk) if pk and pk.isdigit() else None,
                is_active=request.POST.get("is_active", "1") == "1",
            )
        except ServiceError as exc:
            service_error_to_form(form, exc)
            status = exc.status
        else:
            messages.success(request, _("Đã lưu danh mục thông tin công khai."))
            return redirect(f"{request.path}?agency={agency.code}")
    return render(
        request,
        "inforequests/manage.html",
        {
            "agency": agency,
            "managed": managed,
            "form": form,
            "groups": selectors.disclosure(agency, include_inactive=True),
        },
        status=status,
    )
