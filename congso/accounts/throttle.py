"""Limits against abuse of sign-in and password reset, counted in the shared cache (core.ratelimit).

- ``CONGSO_LOGIN_FAILS_PER_IP`` failed sign-ins from one address per ``CONGSO_LOGIN_FAILS_WINDOW``
  seconds (default 30 in 15 minutes), across usernames: against password spraying, which the
  django-axes lockout (keyed on username and address) does not see. Beyond it: 429 with Retry-After.
- ``CONGSO_RESET_MAILS_PER_EMAIL`` / ``CONGSO_RESET_MAILS_PER_IP`` password-reset requests per
  ``CONGSO_RESET_MAILS_WINDOW`` seconds (default 3 per address, 10 per client, in an hour): beyond
  them no e-mail is sent, and the page says the same as ever.
"""

from __future__ import annotations

from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp import devices_for_user

from congso.core.middleware import client_ip
from congso.core.ratelimit import Window, retry_minutes

from . import otp

FAILED_LOGINS = Window(
    "login-fail-ip", limit=("CONGSO_LOGIN_FAILS_PER_IP", 30), seconds=("CONGSO_LOGIN_FAILS_WINDOW", 900)
)
RESET_PER_EMAIL = Window(
    "reset-email", limit=("CONGSO_RESET_MAILS_PER_EMAIL", 3), seconds=("CONGSO_RESET_MAILS_WINDOW", 3600)
)
RESET_PER_IP = Window(
    "reset-ip", limit=("CONGSO_RESET_MAILS_PER_IP", 10), seconds=("CONGSO_RESET_MAILS_WINDOW", 3600)
)


def address(request) -> str:
    return client_ip(request) or "unknown"


def login_blocked(request) -> bool:
    return FAILED_LOGINS.exceeded(address(request))


def login_failed(request) -> None:
    FAILED_LOGINS.hit(address(request))


def too_many_logins(request, seconds: int | None = None):
    """The 429 page of a sign-in refused for too many failures (the same for every account)."""
    seconds = seconds or FAILED_LOGINS.retry_after()
    response = render(request, "accounts/locked_out.html", {"minutes": retry_minutes(seconds)}, status=429)
    response["Retry-After"] = str(seconds)
    return response


def reset_mail_allowed(request, email: str) -> bool:
    """Count one reset request for ``email`` from the caller; False once either limit is passed."""
    per_email = RESET_PER_EMAIL.hit((email or "").strip().lower())
    per_ip = RESET_PER_IP.hit(address(request))
    return per_email <= RESET_PER_EMAIL.limit and per_ip <= RESET_PER_IP.limit


def totp_wait(user) -> int:
    """Seconds the user must wait before the next second-factor attempt, or 0: the lock after too many
    wrong codes (otp.locked_for), or django-otp's short delay after a wrong code, on any of the user's
    devices (a backup code is throttled too)."""
    wait = otp.locked_for(user)
    for device in devices_for_user(user, confirmed=None):
        allowed, data = device.verify_is_allowed()
        if not allowed and data and data.get("locked_until"):
            wait = max(wait, int((data["locked_until"] - timezone.now()).total_seconds() + 0.999))
    return max(wait, 0)


def totp_wait_message(seconds: int, user=None) -> str:
    """What the person is told while they must wait: how long, and whether their second factor is locked."""
    if seconds >= 120:
        wait = _("%(minutes)s phút") % {"minutes": retry_minutes(seconds)}
    else:
        wait = _("%(seconds)s giây") % {"seconds": max(1, seconds)}
    if user is not None and otp.locked_for(user):
        return _(
            "Bạn đã nhập sai mã xác thực quá nhiều lần nên xác thực hai lớp tạm thời bị khoá. Vui lòng chờ "
            "%(wait)s rồi thử lại, hoặc liên hệ quản trị hệ thống."
        ) % {"wait": wait}
    return _("Bạn đã nhập sai quá nhiều lần, vui lòng chờ %(wait)s rồi thử lại.") % {"wait": wait}
