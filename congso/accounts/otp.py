"""Second factor (TOTP) for officials: enrolment, verification, backup codes.

Officials (and anyone with staff powers) must pass TOTP before any official page or API call:
`congso.accounts.middleware.OfficialOTPMiddleware` sends them to set up or verify a device.

Wrong codes lock the second factor the way wrong passwords lock the login (django-axes): after
``CONGSO_OTP_FAILURE_LIMIT`` wrong codes in a row, no code is checked for
``CONGSO_OTP_LOCKOUT_MINUTES`` (``SecondFactorLock``, audited ``accounts.otp_locked``); a right code
resets the count. While the lock — or django-otp's own short delay after a wrong code — runs, the page
says how long to wait (``throttle.totp_wait``) instead of calling a right code wrong.
"""

from __future__ import annotations

import base64
import datetime as dt
import secrets

import segno
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from congso.core import audit
from congso.core.text import ascii_digits

from .models import SecondFactorLock

DEVICE_NAME = "Ứng dụng xác thực"
BACKUP_NAME = "Mã dự phòng"
BACKUP_CODES = 8


def needs_otp(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "needs_otp", False))


def has_confirmed_device(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def pending_device(user) -> TOTPDevice:
    """The unconfirmed device being enrolled (created on first call, reused after)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def secret_base32(device: TOTPDevice) -> str:
    return base64.b32encode(device.bin_key).decode().rstrip("=")


def qr_data_uri(device: TOTPDevice) -> str:
    return segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2)


def locked_for(user) -> int:
    """Seconds left of the lock on ``user``'s second factor (0: not locked)."""
    until = (
        SecondFactorLock.objects.filter(user_id=user.pk, locked_until__isnull=False)
        .values_list("locked_until", flat=True)
        .first()
    )
    if until is None:
        return 0
    return max(0, int((until - timezone.now()).total_seconds() + 0.999))


def _failed(user) -> None:
    """Count one wrong code; the limit-th in a row locks the second factor (one audited event)."""
    limit = max(1, int(settings.CONGSO_OTP_FAILURE_LIMIT))
    with transaction.atomic():
        row, _created = SecondFactorLock.objects.select_for_update().get_or_create(user=user)
        row.failures += 1
        audit.record("accounts.otp_failed", obj=user, actor=user, data={"failures": row.failures})
        if row.failures >= limit:
            row.locked_until = timezone.now() + dt.timedelta(minutes=int(settings.CONGSO_OTP_LOCKOUT_MINUTES))
            audit.record(
                "accounts.otp_locked",
                obj=user,
                actor=user,
                data={"failures": row.failures, "until": row.locked_until.isoformat()},
            )
            row.failures = 0
        row.save()


def _succeeded(user) -> None:
    SecondFactorLock.objects.filter(user=user).update(
        failures=0, locked_until=None, updated_at=timezone.now()
    )


def unlock(user, *, actor) -> None:
    """An administrator lifts the lock before it runs out (audited)."""
    with transaction.atomic():
        SecondFactorLock.objects.filter(user=user).update(
            failures=0, locked_until=None, updated_at=timezone.now()
        )
        audit.record("accounts.otp_unlocked", obj=user, actor=actor)


def confirm_enrolment(request, device: TOTPDevice, token: str) -> list[str] | None:
    """Check the first code; on success confirm the device, make backup codes and verify the session.
    A wrong code counts towards the lock (``_failed``); while locked, no code is checked."""
    token = (token or "").strip().replace(" ", "")
    if locked_for(request.user):
        return None
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=request.user)
        if device.confirmed:
            return None
        right = ascii_digits(token) and device.verify_token(token)
        if right:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            codes = make_backup_codes(request.user)
            audit.record("accounts.otp_enrolled", obj=request.user, actor=request.user)
    if not right:
        _failed(request.user)
        return None
    _succeeded(request.user)
    otp_login(request, device)
    return codes


def make_backup_codes(user) -> list[str]:
    static, _ = StaticDevice.objects.get_or_create(user=user, name=BACKUP_NAME, defaults={"confirmed": True})
    static.token_set.all().delete()
    codes = [f"{secrets.randbelow(10**8):08d}" for _ in range(BACKUP_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=static, token=code) for code in codes])
    return codes


def verify(request, token: str) -> bool:
    """Verify a TOTP or backup code for the logged-in user; marks the session verified. A wrong code
    counts towards the lock; while the second factor is locked no code is checked (False)."""
    token = (token or "").strip().replace(" ", "")
    if not token or locked_for(request.user):
        return False
    device = match_token(request.user, token)
    if device is None:
        _failed(request.user)
        return False
    _succeeded(request.user)
    otp_login(request, device)
    audit.record(
        "accounts.otp_verified",
        obj=request.user,
        actor=request.user,
        data={"device": "backup" if isinstance(device, StaticDevice) else "totp"},
    )
    return True
