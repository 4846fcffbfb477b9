"""Thin views: sign-in (password, TOTP, OIDC), password reset, profile, organisations, assisted service."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from congso.core import audit
from congso.core.errors import ServiceError
from congso.core.forms import service_error_to_form
from congso.core.navigation import landing_url
from congso.core.permissions import require
from congso.directory.models import Role
from congso.directory.scope import agencies_for, is_sysadmin

from . import otp, services, throttle
from .forms import (
    CongsoPasswordResetForm,
    ConsentForm,
    HelperForm,
    LoginForm,
    OrganisationForm,
    OTPForm,
    PaperConsentForm,
    ProfileForm,
)
from .models import AssistanceConsent, CitizenProfile, CommunityHelper, CommunityTeam, User
from .oidc import oidc_enabled


def _safe_next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return default


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = False

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["oidc_enabled"] = oidc_enabled()
        context["oidc_provider"] = getattr(settings, "CONGSO_OIDC_PROVIDER_NAME", "VNeID")
        return context

    def post(self, request, *args, **kwargs):
        if throttle.login_blocked(request):  # password spraying: many usernames from one address
            return throttle.too_many_logins(request)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        throttle.login_failed(self.request)
        return super().form_invalid(form)

    def form_valid(self, form):
        response = super().form_valid(form)
        user = form.get_user()
        audit.record("accounts.login", obj=user, actor=user, data={"method": "password"})
        if otp.needs_otp(user):
            target = "accounts:otp_verify" if otp.has_confirmed_device(user) else "accounts:otp_setup"
            next_url = self.get_redirect_url()
            url = reverse(target)
            return redirect(f"{url}?next={next_url}" if next_url else url)
        return response


def locked_out(request, credentials=None, *args, **kwargs):
    """django-axes lockout response: the same for existing and unknown accounts."""
    response = render(
        request, "accounts/locked_out.html", {"minutes": int(settings.AXES_COOLOFF_TIME * 60)}, status=429
    )
    response["Retry-After"] = str(max(1, int(settings.AXES_COOLOFF_TIME * 3600)))
    return response


@login_required
@require_http_methods(["GET", "POST"])
def otp_setup(request):
    user = request.user
    if not otp.needs_otp(user):
        return redirect("core:home")
    if otp.has_confirmed_device(user):
        # Never let a password alone enrol a second device.
        return redirect(f"{reverse('accounts:otp_verify')}?next={_safe_next(request, '')}")
    device = otp.pending_device(user)
    form = OTPForm(request.POST or None)
    wait = throttle.totp_wait(user) if request.method == "POST" and form.is_valid() else 0
    if wait:
        form.add_error("token", throttle.totp_wait_message(wait, user))
    elif request.method == "POST" and form.is_valid():
        codes = otp.confirm_enrolment(request, device, form.cleaned_data["token"])
        if codes:
            return render(
                request,
                "accounts/otp_backup_codes.html",
                {"codes": codes, "next": _safe_next(request, landing_url(user))},
            )
        form.add_error("token", _("Mã xác thực không đúng hoặc đã hết hạn. Vui lòng nhập mã mới."))
    return render(
        request,
        "accounts/otp_setup.html",
        {
            "form": form,
            "qr": otp.qr_data_uri(device),
            "secret": otp.secret_base32(device),
            "next": _safe_next(request, ""),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def otp_verify(request):
    user = request.user
    if not otp.needs_otp(user) or user.is_verified():
        return redirect(_safe_next(request, reverse("core:home")))
    if not otp.has_confirmed_device(user):
        return redirect("accounts:otp_setup")
    form = OTPForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        wait = throttle.totp_wait(user)
        if wait:
            form.add_error("token", throttle.totp_wait_message(wait, user))
        elif otp.verify(request, form.cleaned_data["token"]):
            return redirect(_safe_next(request, landing_url(user)))
        elif throttle.totp_wait(user) and otp.locked_for(user):  # this wrong code locked it
            form.add_error("token", throttle.totp_wait_message(throttle.totp_wait(user), user))
        else:
            form.add_error("token", _("Mã xác thực không đúng hoặc đã hết hạn. Vui lòng nhập mã mới."))
    return render(request, "accounts/otp_verify.html", {"form": form, "next": _safe_next(request, "")})


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    form_class = CongsoPasswordResetForm
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form):
        if not throttle.reset_mail_allowed(self.request, form.cleaned_data["email"]):
            return HttpResponseRedirect(self.get_success_url())  # the same answer; nothing more is sent
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        with transaction.atomic():
            response = super().form_valid(form)
            audit.record("accounts.password_reset", obj=form.user, actor=form.user)
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    user = request.user
    prof = CitizenProfile.objects.filter(user=user).select_related("commune").first()
    initial = {
        "cccd": getattr(prof, "cccd", "") or "",
        "date_of_birth": getattr(prof, "date_of_birth", None),
        "address": getattr(prof, "address", ""),
        "commune_code": prof.commune.code if prof and prof.commune else "",
        "phone": user.phone,
        "email": user.email,
    }
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_profile(
                user,
                user,
                cccd=data["cccd"] or None,
                date_of_birth=data["date_of_birth"],
                address=data["address"],
                commune_code=data["commune_code"] or None,
                phone=data["phone"],
                email=data["email"],
            )
        except ServiceError as exc:
            service_error_to_form(form, exc)
        else:
            messages.success(request, _("Đã lưu thông tin cá nhân."))
            return redirect("accounts:profile")
    return render(
        request,
        "accounts/profile.html",
        {
            "form": form,
            "organisations": services.organisations_for(user),
            "helper_teams": services.active_helper_teams(user),
        },
    )


@login_required
def citizen_detail(request, pk):
    citizen = get_object_or_404(User, pk=pk, kind=User.Kind.CITIZEN)
    prof = services.view_citizen(request.user, citizen)  # permission + audited read
    return render(
        request,
        "accounts/citizen_detail.html",
        {"citizen": citizen, "profile": prof, "organisations": services.organisations_for(citizen)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def organisation_new(request):
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            org = services.register_organisation(request.user, **form.cleaned_data)
        except ServiceError as exc:
            service_error_to_form(form, exc)
        else:
            messages.success(
                request, _("Đã đăng ký %(name)s. Bạn có thể thao tác thay cho tổ chức này.") % {"name": org}
            )
            return redirect("accounts:profile")
    return render(request, "accounts/organisation_form.html", {"form": form})


def _helper_from(form, username):
    helper = User.objects.filter(username=(username or "").strip()).first()
    if helper is None or not services.is_helper(helper):
        form.add_error(
            "helper", _("Không tìm thấy thành viên tổ công nghệ số cộng đồng với tên đăng nhập này.")
        )
        return None
    return helper


@login_required
@require_http_methods(["GET", "POST"])
def consents(request):
    """A citizen's consents (grant, revoke) and, for a helper, the consents they hold."""
    user = request.user
    form = ConsentForm(request.POST or None) if user.kind == User.Kind.CITIZEN else None
    if form is not None and request.method == "POST" and form.is_valid():
        helper = _helper_from(form, form.cleaned_data["helper"])
        if helper is not None:
            try:
                services.grant_consent(
                    user,
                    citizen=user,
                    helper=helper,
                    purpose=form.cleaned_data["purpose"],
                    procedure_code=form.cleaned_data["procedure_code"],
                    days=form.cleaned_data["days"],
                )
            except ServiceError as exc:
                service_error_to_form(form, exc)
            else:
                messages.success(request, _("Đã ghi nhận sự đồng ý của bạn."))
                return redirect("accounts:consents")
    given = AssistanceConsent.objects.filter(citizen=user).select_related("helper", "team")
    held = AssistanceConsent.objects.filter(helper=user).select_related("citizen", "team")
    return render(
        request, "accounts/consents.html", {"form": form, "given": given, "held": held, "now": timezone.now()}
    )


@login_required
@require_http_methods(["GET", "POST"])
def paper_consent(request):
    """A one-stop clerk records a consent the citizen signed on paper."""
    require(request.user, "accounts.record_consent", _AnyCitizen)
    form = PaperConsentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        prof = (
            CitizenProfile.objects.filter(cccd=form.cleaned_data["citizen_cccd"].replace(" ", ""))
            .select_related("user")
            .first()
        )
        helper = _helper_from(form, form.cleaned_data["helper"])
        if prof is None:
            form.add_error("citizen_cccd", _("Không tìm thấy công dân có số CCCD này."))
        elif helper is not None:
            try:
                services.grant_consent(
                    request.user,
                    citizen=prof.user,
                    helper=helper,
                    purpose=form.cleaned_data["purpose"],
                    procedure_code=form.cleaned_data["procedure_code"],
                    days=form.cleaned_data["days"],
                    paper_reference=form.cleaned_data["paper_reference"],
                )
            except ServiceError as exc:
                service_error_to_form(form, exc)
            else:
                messages.success(request, _("Đã ghi nhận giấy đồng ý của công dân."))
                return redirect("accounts:paper_consent")
    return render(request, "accounts/paper_consent.html", {"form": form})


class _AnyCitizenType:
    """Stand-in object for "some citizen" when checking whether a clerk may record paper consents."""

    pk = None


_AnyCitizen = _AnyCitizenType()


@login_required
@require_POST
def consent_revoke(request, pk):
    consent = get_object_or_404(AssistanceConsent, pk=pk)
    try:
        services.revoke_consent(request.user, consent)
    except ServiceError as exc:
        messages.error(request, exc.message)
    except PermissionDenied:
        raise
    else:
        messages.success(request, _("Đã thu hồi sự đồng ý."))
    return redirect("accounts:consents")


@login_required
def assistance_stats(request):
    require(request.user, "accounts.view_assistance_stats", None)
    teams = services.assistance_counts(request.user)
    return render(request, "accounts/assistance_stats.html", {"teams": teams})


def _teams_managed(user):
    teams = CommunityTeam.objects.select_related("commune", "agency")
    if is_sysadmin(user):
        return teams
    return teams.filter(agency__in=agencies_for(user, Role.AGENCY_ADMIN))


@login_required
@require_http_methods(["GET", "POST"])
def teams(request):
    """Agency administrators register the members of their communes' community digital technology teams."""
    require(request.user, "accounts.manage_team", None)
    form = HelperForm(request.POST or None, teams=_teams_managed(request.user))
    if request.method == "POST" and form.is_valid():
        person = User.objects.filter(username=form.cleaned_data["username"].strip()).first()
        if person is None:
            form.add_error("username", _("Không tìm thấy tài khoản với tên đăng nhập này."))
        else:
            try:
                services.register_helper(request.user, form.cleaned_data["team"], person)
            except ServiceError as exc:
                service_error_to_form(form, exc)
            else:
                messages.success(request, _("Đã ghi nhận %(name)s là thành viên tổ.") % {"name": person})
                return redirect("accounts:teams")
    today = timezone.localdate()
    members = (
        CommunityHelper.objects.filter(team__in=_teams_managed(request.user))
        .exclude(valid_to__lte=today)
        .select_related("user", "team")
        .order_by("team__name", "user__full_name")
    )
    return render(request, "accounts/teams.html", {"form": form, "members": members})
