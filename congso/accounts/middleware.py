"""Officials must pass TOTP before they reach any page or API call (except the sign-in steps)."""

from urllib.parse import urlencode

from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from .otp import has_confirmed_device, needs_otp

EXEMPT_PREFIXES = ("/static/", "/media/", "/i18n/", "/healthz", "/version", "/theme.css", "/favicon")


class OfficialOTPMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and needs_otp(user) and not user.is_verified():
            response = self._intercept(request, user)
            if response is not None:
                return response
        return self.get_response(request)

    def _intercept(self, request, user):
        path = request.path
        allowed = {
            reverse("accounts:otp_setup"),
            reverse("accounts:otp_verify"),
            reverse("accounts:logout"),
        }
        if path in allowed or path.startswith(EXEMPT_PREFIXES):
            return None
        if path.startswith("/api/"):
            return JsonResponse(
                {"detail": _("Cán bộ cần xác thực hai lớp (mã OTP) trước khi dùng API.")}, status=403
            )
        target = "accounts:otp_verify" if has_confirmed_device(user) else "accounts:otp_setup"
        return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
