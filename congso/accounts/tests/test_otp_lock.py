"""Issue 14: wrong second-factor codes lock the second factor the way wrong passwords lock the login,
for a limited time and audited; while a delay or the lock runs, the page says how long to wait and
never calls a right code wrong."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from congso.accounts import otp
from congso.accounts.models import SecondFactorLock
from congso.core.models import AuditEntry
from congso.directory.testing import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/tai-khoan/dang-nhap/"
VERIFY = "/tai-khoan/xac-thuc-hai-lop/"
WRONG = "Mã xác thực không đúng"
LOCKED = "xác thực hai lớp tạm thời bị khoá"


def _token(device):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


@pytest.fixture
def clerk(client, world, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # only the lock is tested here, not django-otp's short delay
    settings.OTP_STATIC_THROTTLE_FACTOR = 0
    settings.CONGSO_OTP_FAILURE_LIMIT = 3
    settings.CONGSO_OTP_LOCKOUT_MINUTES = 15
    user = world.users["clerk"]
    device = TOTPDevice.objects.create(user=user, name="Ứng dụng xác thực", confirmed=True)
    assert client.post(LOGIN, {"username": user.username, "password": PASSWORD}).status_code == 302
    return user, device


def _wrong(device):
    right = _token(device)
    return "000000" if right != "000000" else "111111"


def test_wrong_codes_lock_the_second_factor_and_a_right_code_waits(client, clerk):
    user, device = clerk
    for _ in range(2):
        assert WRONG in client.post(VERIFY, {"token": _wrong(device)}).content.decode()
    assert not SecondFactorLock.objects.get(user=user).locked_until
    third = client.post(VERIFY, {"token": _wrong(device)}).content.decode()
    assert LOCKED in third and "15 phút" in third and WRONG not in third
    assert AuditEntry.objects.filter(action="accounts.otp_locked", actor_id=user.pk).count() == 1
    assert AuditEntry.objects.filter(action="accounts.otp_failed", actor_id=user.pk).count() == 3

    # While locked, even the right code is not checked: the page says to wait, with the time left.
    right = client.post(VERIFY, {"token": _token(device)})
    html = right.content.decode()
    assert right.status_code == 200 and LOCKED in html and WRONG not in html
    assert client.get("/api/v1/accounts/me").status_code == 403  # still not verified

    # Time-limited: after the lock the right code passes, and the count starts again.
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=16)):
        assert otp.locked_for(user) == 0
        passed = client.post(VERIFY, {"token": _token(device)})
        assert passed.status_code == 302
    lock = SecondFactorLock.objects.get(user=user)
    assert lock.failures == 0 and lock.locked_until is None


def test_remaining_time_is_said_in_minutes(client, clerk):
    user, device = clerk
    SecondFactorLock.objects.create(
        user=user, locked_until=timezone.now() + dt.timedelta(minutes=9, seconds=30)
    )
    html = client.post(VERIFY, {"token": _token(device)}).content.decode()
    assert LOCKED in html and "10 phút" in html


def test_a_right_code_resets_the_count(client, clerk):
    user, device = clerk
    client.post(VERIFY, {"token": _wrong(device)})
    client.post(VERIFY, {"token": _wrong(device)})
    assert client.post(VERIFY, {"token": _token(device)}).status_code == 302
    assert SecondFactorLock.objects.get(user=user).failures == 0
    assert not AuditEntry.objects.filter(action="accounts.otp_locked").exists()


def test_the_delay_after_a_wrong_code_is_not_a_wrong_right_code(client, world, settings):
    """django-otp's short delay after a wrong code: a right code typed during it is told to wait."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 30
    user = world.users["clerk"]
    device = TOTPDevice.objects.create(user=user, name="Ứng dụng xác thực", confirmed=True)
    client.post(LOGIN, {"username": user.username, "password": PASSWORD})
    client.post(VERIFY, {"token": _wrong(device)})
    html = client.post(VERIFY, {"token": _token(device)}).content.decode()
    assert "vui lòng chờ" in html and "giây" in html and WRONG not in html
