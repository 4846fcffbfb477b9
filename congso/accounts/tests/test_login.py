"""Password login, lockout, TOTP for officials, password reset, and API tokens."""

import re

import pytest
from django.conf import settings as project_settings
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from congso import settings as congso_settings
from congso.accounts.models import User
from congso.core.models import AuditEntry
from congso.directory.models import Membership, Role
from congso.directory.testing import PASSWORD, login_verified

pytestmark = pytest.mark.django_db

LOGIN = "/tai-khoan/dang-nhap/"


def _errors(response):
    return re.findall(r'<div class="error-summary".*?</div>', response.content.decode(), re.S)


def test_production_hasher_is_argon2():
    assert congso_settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_a_password_is_stored_with_argon2_and_signs_in(client, world, settings):
    """The suite hashes with MD5 for speed (root conftest.py); here the production hashers hash for real."""
    settings.PASSWORD_HASHERS = congso_settings.PASSWORD_HASHERS
    user = world.users["citizen"]
    user.set_password("Mat-khau-moi-2026")
    user.save(update_fields=["password"])
    assert user.password.startswith("argon2$")
    response = client.post(LOGIN, {"username": "congdan.an", "password": "Mat-khau-moi-2026"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert not User.objects.get(pk=user.pk).check_password("sai-mat-khau-roi")


def test_failed_login_never_reveals_whether_the_account_exists(client, world):
    wrong_password = client.post(LOGIN, {"username": "congdan.an", "password": "sai-mat-khau-roi"})
    unknown_user = client.post(LOGIN, {"username": "khong.ton.tai", "password": "sai-mat-khau-roi"})
    assert wrong_password.status_code == unknown_user.status_code == 200
    assert _errors(wrong_password) == _errors(unknown_user)
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in _errors(wrong_password)[0]


@pytest.mark.parametrize("username", ["congdan.an", "khong.ton.tai"])
def test_lockout_after_repeated_failures(client, world, username):
    for _ in range(project_settings.AXES_FAILURE_LIMIT):
        client.post(LOGIN, {"username": username, "password": "sai-mat-khau-roi"})
    locked = client.post(LOGIN, {"username": username, "password": PASSWORD})
    assert locked.status_code == 429
    assert "Tạm khoá đăng nhập" in locked.content.decode()
    assert "_auth_user_id" not in client.session  # even the right password does not get in


def test_citizen_logs_in_without_totp(client, world):
    response = client.post(LOGIN, {"username": "congdan.an", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/tai-khoan/ca-nhan/").status_code == 200
    assert AuditEntry.objects.filter(action="accounts.login").exists()


def _token(device, drift=0):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=drift):06d}"


def test_official_must_enrol_then_verify_totp(client, world, settings):
    # django-otp throttles after a wrong code (1 s, doubling); this test types wrong codes on purpose.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0
    clerk = world.users["clerk"]
    response = client.post(LOGIN, {"username": clerk.username, "password": PASSWORD})
    assert response["Location"].startswith("/tai-khoan/xac-thuc-hai-lop/thiet-lap/")

    # Until verified, official pages and the API are closed.
    blocked = client.get("/co-quan/cua-toi/")
    assert blocked.status_code == 302 and "/xac-thuc-hai-lop/thiet-lap/" in blocked["Location"]
    api = client.get("/api/v1/accounts/me")
    assert api.status_code == 403 and "xác thực hai lớp" in api.json()["detail"]

    setup = client.get("/tai-khoan/xac-thuc-hai-lop/thiet-lap/")
    assert "data:image/svg+xml" in setup.content.decode()
    device = TOTPDevice.objects.get(user=clerk, confirmed=False)
    bad = client.post(
        "/tai-khoan/xac-thuc-hai-lop/thiet-lap/",
        {"token": "000000" if _token(device) != "000000" else "111111"},
    )
    assert "Mã xác thực không đúng" in bad.content.decode()
    done = client.post("/tai-khoan/xac-thuc-hai-lop/thiet-lap/", {"token": _token(device)})
    codes = re.findall(r"<li><code>(\d{8})</code></li>", done.content.decode())
    assert len(codes) == 8
    assert client.get("/co-quan/cua-toi/").status_code == 200
    assert client.get("/api/v1/accounts/me").json()["username"] == clerk.username
    assert AuditEntry.objects.filter(action="accounts.otp_enrolled", actor_id=clerk.pk).exists()

    # Next time: password, then verify (no new enrolment possible with the password alone).
    client.logout()
    response = client.post(LOGIN, {"username": clerk.username, "password": PASSWORD})
    assert response["Location"].startswith("/tai-khoan/xac-thuc-hai-lop/")
    assert client.get("/tai-khoan/xac-thuc-hai-lop/thiet-lap/")["Location"].startswith(
        "/tai-khoan/xac-thuc-hai-lop/"
    )
    assert (
        "Mã xác thực không đúng"
        in client.post("/tai-khoan/xac-thuc-hai-lop/", {"token": "12345"}).content.decode()
    )
    device.refresh_from_db()
    ok = client.post("/tai-khoan/xac-thuc-hai-lop/", {"token": _token(device, drift=1)})
    assert ok.status_code == 302
    assert client.get("/co-quan/cua-toi/").status_code == 200

    # A backup code works once.
    client.logout()
    client.post(LOGIN, {"username": clerk.username, "password": PASSWORD})
    assert client.post("/tai-khoan/xac-thuc-hai-lop/", {"token": codes[0]}).status_code == 302
    client.logout()
    client.post(LOGIN, {"username": clerk.username, "password": PASSWORD})
    assert client.post("/tai-khoan/xac-thuc-hai-lop/", {"token": codes[0]}).status_code == 200  # refused


def test_password_reset_by_email(client, world, mailoutbox):
    unknown = client.post("/tai-khoan/quen-mat-khau/", {"email": "khong.co@example.vn"})
    known = client.post("/tai-khoan/quen-mat-khau/", {"email": "nguyen.van.an@example.vn"})
    assert unknown["Location"] == known["Location"]  # same answer either way
    assert len(mailoutbox) == 1
    link = re.search(r"http://testserver(/tai-khoan/dat-lai-mat-khau/\S+)", mailoutbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    set_url = form_page.redirect_chain[-1][0]
    new = "Hoa-sen-nở-2026!"
    done = client.post(set_url, {"new_password1": new, "new_password2": new})
    assert done.status_code == 302
    assert User.objects.get(username="congdan.an").check_password(new)
    assert AuditEntry.objects.filter(action="accounts.password_reset").exists()
    assert client.get(link, follow=True).context["validlink"] is False  # single use


def test_bearer_token_api_client_with_scopes(client, world):
    from oauth2_provider.models import Application

    service = User.objects.create_user(
        "hethong.mot.cua", kind=User.Kind.SERVICE, full_name="Hệ thống một cửa"
    )
    Membership.objects.create(
        user=service, agency=world.agencies["justice"], role=Role.AGENCY_ADMIN, include_subtree=True
    )
    secret = "bi-mat-he-thong-mot-cua-0123456789"
    Application.objects.create(
        name="Hệ thống một cửa điện tử",
        client_id="mot-cua-gia-lai",
        client_secret=secret,
        user=service,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_CLIENT_CREDENTIALS,
    )

    def token(scope):
        response = client.post(
            "/o/token/",
            {
                "grant_type": "client_credentials",
                "scope": scope,
                "client_id": "mot-cua-gia-lai",
                "client_secret": secret,
            },
        )
        assert response.status_code == 200, response.content
        return {"HTTP_AUTHORIZATION": f"Bearer {response.json()['access_token']}"}

    read = token("read")
    staff = client.get("/api/v1/directory/agencies/000.00.12.H21/staff", **read)
    assert staff.status_code == 200 and {m["username"] for m in staff.json()} >= {"lanhdao.tuphap"}
    # read scope cannot write
    patch = client.patch(
        "/api/v1/directory/agencies/000.00.12.H21",
        data='{"phone": "0269 3824 567"}',
        content_type="application/json",
        **read,
    )
    assert patch.status_code == 401
    write = token("read write")
    patch = client.patch(
        "/api/v1/directory/agencies/000.00.12.H21",
        data='{"phone": "0269 3824 567"}',
        content_type="application/json",
        **write,
    )
    assert patch.status_code == 200 and patch.json()["phone"] == "0269 3824 567"
    # the service account's own scope still applies: another department is forbidden
    other = client.patch(
        "/api/v1/directory/agencies/000.00.15.H21",
        data='{"phone": "1"}',
        content_type="application/json",
        **write,
    )
    assert other.status_code == 403
    assert client.get("/api/v1/accounts/me", HTTP_AUTHORIZATION="Bearer gia-mao").status_code == 401


def test_expired_or_revoked_tokens_and_inactive_owners_are_refused(client, world):
    import datetime

    from django.utils import timezone
    from oauth2_provider.models import AccessToken, Application

    citizen = (
        world.users["citizen"]
        if "citizen" in world.users
        else User.objects.create_user("congdan.binh", kind=User.Kind.CITIZEN, full_name="Lê Thị Bình")
    )
    app = Application.objects.create(
        name="Ứng dụng di động VNeID thử nghiệm",
        user=citizen,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_CLIENT_CREDENTIALS,
    )

    def bearer(token, hours=1, scope="read write"):
        AccessToken.objects.create(
            user=citizen,
            application=app,
            token=token,
            scope=scope,
            expires=timezone.now() + datetime.timedelta(hours=hours),
        )
        return {"HTTP_AUTHORIZATION": f"Bearer {token}"}

    good = bearer("token-con-han-0123456789")
    assert client.get("/api/v1/accounts/me", **good).status_code == 200
    assert (
        client.get("/api/v1/accounts/me", **bearer("token-het-han-0123456789", hours=-1)).status_code == 401
    )
    assert (
        client.get("/api/v1/accounts/me", **bearer("token-khac-pham-vi-012345", scope="profile")).status_code
        == 401
    )
    AccessToken.objects.filter(user=citizen).update(expires=timezone.now() - datetime.timedelta(seconds=1))
    assert client.get("/api/v1/accounts/me", **good).status_code == 401  # revoked by expiry
    AccessToken.objects.filter(user=citizen).update(expires=timezone.now() + datetime.timedelta(hours=1))
    citizen.is_active = False
    citizen.save(update_fields=["is_active"])
    assert client.get("/api/v1/accounts/me", **good).status_code == 401


def test_session_api_requires_csrf_for_writes(world):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    login_verified(client, world.users["agency_admin"])
    response = client.patch(
        "/api/v1/directory/agencies/000.00.12.H21", data='{"phone": "1"}', content_type="application/json"
    )
    assert response.status_code == 403


def test_login_and_directory_pages_in_english(client, world):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get(LOGIN).content.decode()
    assert "Sign in with username and password" in html and "Forgot your password?" in html
    wrong = client.post(LOGIN, {"username": "congdan.an", "password": "sai-mat-khau-roi"}).content.decode()
    assert "Wrong username or password" in wrong
    assert "Administrative units" in client.get("/co-quan/don-vi-hanh-chinh/").content.decode()


def test_bearer_clients_are_not_asked_for_csrf_but_browser_sessions_are(world):
    """Over real HTTP Django checks CSRF: a bearer-token client has no cookie to forge and must pass,
    while a session cookie without the CSRF token is still refused."""
    from datetime import timedelta

    from django.test import Client
    from django.utils import timezone
    from oauth2_provider.models import AccessToken, Application

    service = User.objects.create_user("hethong.kiosk", kind=User.Kind.SERVICE, full_name="Ki-ốt phường")
    Membership.objects.create(
        user=service, agency=world.agencies["justice"], role=Role.AGENCY_ADMIN, include_subtree=True
    )
    app = Application.objects.create(
        name="Ki-ốt",
        user=service,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_CLIENT_CREDENTIALS,
    )
    AccessToken.objects.create(
        user=service,
        application=app,
        token="kiosk-token-0123456789",  # noqa: S106
        scope="read write",
        expires=timezone.now() + timedelta(hours=1),
    )
    body = {"data": '{"phone": "0269 3824 567"}', "content_type": "application/json"}
    url = "/api/v1/directory/agencies/000.00.12.H21"
    bearer = Client(enforce_csrf_checks=True)
    response = bearer.patch(url, HTTP_AUTHORIZATION="Bearer kiosk-token-0123456789", **body)
    assert response.status_code == 200, response.content
    browser = Client(enforce_csrf_checks=True)
    login_verified(browser, world.users["agency_admin"])
    assert browser.patch(url, **body).status_code == 403  # a session cookie without the CSRF token
