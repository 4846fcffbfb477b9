"""Second factor (TOTP) for officials: enrolment, verification, backup codes.

Officials (and anyone with staff powers) must pass TOTP before any official page or API call:
`congso.accounts.middleware.OfficialOTPMiddleware` sends them to set up or verify a device.
"""

from __future__ import annotations

import base64
import secrets

import segno
from django.db import transaction
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from congso.core import audit
from congso.core.text import ascii_digits

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


def confirm_enrolment(request, device: TOTPDevice, token: str) -> list[str] | None:
    """Check the first code; on success confirm the device, make backup codes and verify the session."""
    token = (token or "").strip().replace(" ", "")
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=request.user)
        if device.confirmed or not ascii_digits(token) or not device.verify_token(token):
            return None
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = make_backup_codes(request.user)
        audit.record("accounts.otp_enrolled", obj=request.user, actor=request.user)
    otp_login(request, device)
    return codes


def make_backup_codes(user) -> list[str]:
    static, _ = StaticDevice.objects.get_or_create(user=user, name=BACKUP_NAME, defaults={"confirmed": True})
    static.token_set.all().delete()
    codes = [f"{secrets.randbelow(10**8):08d}" for _ in range(BACKUP_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=static, token=code) for code in codes])
    return codes


def verify(request, token: str) -> bool:
    """Verify a TOTP or backup code for the logged-in user; marks the session verified."""
    token = (token or "").strip().replace(" ", "")
    if not token:
        return False
    device = match_token(request.user, token)
    if device is None:
        audit.record("accounts.otp_failed", obj=request.user, actor=request.user)
        return False
    otp_login(request, device)
    audit.record(
        "accounts.otp_verified",
        obj=request.user,
        actor=request.user,
        data={"device": "backup" if isinstance(device, StaticDevice) else "totp"},
    )
    return True
