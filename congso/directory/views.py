"""Directory pages: the public list of agencies and units, and the scoped administration screens."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordResetForm
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from congso.core.errors import ServiceError
from congso.core.forms import service_error_to_form
from congso.core.permissions import can, require
from congso.core.text import fold

from . import services
from .forms import AgencyEditForm, AgencyForm, GrantRoleForm, HistoricalUnitForm, OfficialForm
from .models import AdministrativeUnit, Agency, Membership, Role
from .scope import active_memberships, agencies_for, is_sysadmin


def index(request):
    """Public list of agencies, grouped under their parents."""
    agencies = Agency.objects.filter(is_active=True).select_related("unit").order_by("path")
    return render(request, "directory/index.html", {"agencies": agencies})


def units(request):
    q = request.GET.get("q", "").strip()
    parent = request.GET.get("tinh", "").strip()
    qs = AdministrativeUnit.objects.select_related("parent").order_by("level", "code")
    if q:
        qs = qs.filter(Q(name_folded__contains=fold(q)) | Q(code=q))
    if parent:
        qs = qs.filter(parent__code=parent)
    page = Paginator(qs, 50).get_page(request.GET.get("trang"))
    return render(
        request,
        "directory/units.html",
        {
            "page": page,
            "q": q,
            "provinces": AdministrativeUnit.objects.filter(level=1, valid_to__isnull=True),
            "tinh": parent,
            "can_manage": can(request.user, "directory.manage_units"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def unit_new(request):
    require(request.user, "directory.manage_units")
    form = HistoricalUnitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            unit = services.create_historical_unit(request.user, **form.cleaned_data)
        except ServiceError as exc:
            service_error_to_form(form, exc)
        else:
            messages.success(request, _("Đã thêm đơn vị %(name)s.") % {"name": unit})
            return redirect("directory:units")
    return render(request, "directory/unit_form.html", {"form": form})


@login_required
def my_roles(request):
    memberships = active_memberships(request.user).order_by("agency__code", "role")
    return render(
        request,
        "directory/my_roles.html",
        {
            "memberships": memberships,
            "sysadmin": is_sysadmin(request.user),
            "can_manage": is_sysadmin(request.user) or agencies_for(request.user, Role.AGENCY_ADMIN).exists(),
        },
    )


def _managed_agencies(user):
    if is_sysadmin(user):
        return Agency.objects.all()
    return agencies_for(user, Role.AGENCY_ADMIN)


@login_required
def manage(request):
    agencies = _managed_agencies(request.user).select_related("unit").order_by("path")
    if not agencies.exists() and not is_sysadmin(request.user):
        raise PermissionDenied(_("Bạn không quản trị cơ quan nào."))
    return render(
        request,
        "directory/manage.html",
        {"agencies": agencies, "can_create_top": can(request.user, "directory.create_agency", None)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def agency_detail(request, code):
    agency = get_object_or_404(Agency.objects.select_related("unit", "parent"), code=code)
    require(request.user, "directory.manage_agency", agency)
    initial = {
        f: getattr(agency, f)
        for f in ("code", "name", "short_name", "name_en", "kind", "address", "phone", "email", "is_active")
    }
    initial["unit_code"] = agency.unit.code
    form = AgencyEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "code"}
        try:
            services.update_agency(request.user, agency, **data)
        except ServiceError as exc:
            service_error_to_form(form, exc)
        else:
            messages.success(request, _("Đã lưu thông tin cơ quan."))
            return redirect("directory:agency", code=agency.code)
    today = timezone.localdate()
    staff = (
        Membership.objects.filter(agency=agency)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=today))
        .select_related("user")
        .order_by("role", "user__full_name")
    )
    return render(
        request,
        "directory/agency.html",
        {
            "agency": agency,
            "form": form,
            "staff": staff,
            "grant_form": GrantRoleForm(),
            "children": agency.children.order_by("code"),
            "can_create_child": can(request.user, "directory.create_agency", agency),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def agency_new(request):
    parent = None
    parent_code = request.GET.get("cap-tren") or request.POST.get("parent") or ""
    if parent_code:
        parent = get_object_or_404(Agency, code=parent_code)
    require(request.user, "directory.create_agency", parent)
    form = AgencyForm(request.POST or None, initial={"unit_code": parent.unit.code if parent else ""})
    if request.method == "POST" and form.is_valid():
        try:
            agency = services.create_agency(request.user, parent=parent, **form.cleaned_data)
        except ServiceError as exc:
            service_error_to_form(form, exc)
        else:
            messages.success(request, _("Đã thêm cơ quan %(name)s.") % {"name": agency})
            return redirect("directory:agency", code=agency.code)
    return render(request, "directory/agency_form.html", {"form": form, "parent": parent})


@login_required
@require_POST
def grant(request, code):
    agency = get_object_or_404(Agency, code=code)
    require(request.user, "directory.manage_staff", agency)
    form = GrantRoleForm(request.POST)
    if form.is_valid():
        user = get_user_model().objects.filter(username=form.cleaned_data["username"].strip()).first()
        if user is None:
            messages.error(request, _("Không tìm thấy tài khoản cán bộ với tên đăng nhập này."))
        else:
            try:
                services.grant_role(
                    request.user,
                    user=user,
                    agency=agency,
                    role=form.cleaned_data["role"],
                    position=form.cleaned_data["position"],
                    position_en=form.cleaned_data["position_en"],
                    include_subtree=form.cleaned_data["include_subtree"],
                )
            except ServiceError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("Đã phân công vai trò."))
    else:
        messages.error(request, _("Vui lòng nhập tên đăng nhập và chọn vai trò."))
    return redirect("directory:agency", code=agency.code)


@login_required
@require_POST
def membership_end(request, pk):
    membership = get_object_or_404(Membership.objects.select_related("agency"), pk=pk)
    try:
        services.end_role(request.user, membership)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã kết thúc phân công."))
    return redirect("directory:agency", code=membership.agency.code)


@login_required
@require_http_methods(["GET", "POST"])
def official_new(request, code):
    agency = get_object_or_404(Agency, code=code)
    require(request.user, "directory.manage_staff", agency)
    form = OfficialForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user, _m = services.create_official(request.user, agency=agency, **form.cleaned_data)
        except ServiceError as exc:
            service_error_to_form(form, exc)
        else:
            reset = PasswordResetForm({"email": user.email})
            if reset.is_valid():
                reset.save(
                    request=request,
                    use_https=request.is_secure(),
                    email_template_name="accounts/email/password_reset.txt",
                    subject_template_name="accounts/email/password_reset_subject.txt",
                )
            messages.success(
                request, _("Đã tạo tài khoản %(user)s và gửi thư đặt mật khẩu.") % {"user": user.username}
            )
            return redirect("directory:agency", code=agency.code)
    return render(request, "directory/official_form.html", {"form": form, "agency": agency})
