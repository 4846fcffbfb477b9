"""Every login the demo prints works with the password it prints (issue 14).

The list is parsed from the output of ``congso demo --no-serve`` itself, so an account that the demo
names but cannot be used fails here: each one signs in through the real login form, passes TOTP where
the account is an official's, and opens its landing page with the navigation of its kind.
"""

import io
import re

import pytest
from django.core.management import call_command
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from congso.accounts.models import User

pytestmark = pytest.mark.django_db

LOGIN_LINE = re.compile(r"^\s+(?P<role>.+?)\s{2,}(?P<username>[\w.]+) / (?P<password>\S+)$")


def _printed_logins(text: str) -> list[tuple[str, str, str]]:
    lines = text.split("Tài khoản trình diễn (demo logins):", 1)[1].splitlines()
    logins = []
    for line in lines:
        match = LOGIN_LINE.match(line)
        if match:
            logins.append((match["role"], match["username"], match["password"]))
    return logins


def _code(device) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


@pytest.fixture
def demo_output(settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    out = io.StringIO()
    call_command("demo", no_serve=True, stdout=out)
    return out.getvalue()


def test_every_printed_demo_login_signs_in_and_opens_its_landing_page(client, demo_output):
    logins = _printed_logins(demo_output)
    names = {username for _role, username, _password in logins}
    assert len(names) == len(logins), "an account is printed twice"
    assert {"tuphap.pleiku", "vanthu.pleiku", "motcua.pleiku", "quantri.hethong", "congdan.an"} <= names
    for role, username, password in logins:
        client.logout()
        response = client.post("/tai-khoan/dang-nhap/", {"username": username, "password": password})
        assert response.status_code == 302, f"{username} ({role}) refuses the printed password"
        user = User.objects.get(username=username)
        if user.needs_otp:
            assert "/xac-thuc-hai-lop/" in response.url, username
            device = TOTPDevice.objects.get(user=user, confirmed=True)
            response = client.post(response.url, {"token": _code(device)})
            assert response.status_code == 302, f"{username}: TOTP refused"
        landing = client.get(response.url, follow=True)
        assert landing.status_code == 200, f"{username} lands on {response.url}: {landing.status_code}"
        html = landing.content.decode()
        if user.is_official:
            assert 'aria-label="Công việc"' in html, f"{username}: no workspace navigation"
            assert "Nộp hồ sơ trực tuyến</a>" not in html, f"{username} sees the citizens' menu"
            assert not landing.redirect_chain or "/co-quan/cua-toi/" not in landing.redirect_chain[-1][0]
        else:
            assert 'aria-label="Điều hướng chính"' in html
            assert "Hồ sơ của tôi</a>" in html, f"{username}: no citizens' menu"

    # officials land on their first inbox; those without one on their own landing page
    expected = {
        "motcua.pleiku": "/mot-cua/?box=receive",
        "tuphap.pleiku": "/mot-cua/?box=handle",
        "lanhdao.pleiku": "/mot-cua/?box=review",
        "vanthu.pleiku": "/mot-cua/?box=issue",
        "quantri.hethong": "/lam-viec/",
        "quantri.pleiku": "/lam-viec/",
        "ioc.gialai": "/mot-cua/bao-cao/",
    }
    for username, url in expected.items():
        client.logout()
        TOTPDevice.objects.filter(user__username=username).update(last_t=-1)  # the same 30 s window again
        response = client.post(
            "/tai-khoan/dang-nhap/", {"username": username, "password": "GiaLai-demo-2026"}
        )
        device = TOTPDevice.objects.get(user__username=username, confirmed=True)
        response = client.post(response.url, {"token": _code(device)})
        assert response.url == url, username
        # /mot-cua/ never 404s for an official without an inbox: it sends them to their landing page
        assert client.get("/mot-cua/").status_code in (200, 302)
