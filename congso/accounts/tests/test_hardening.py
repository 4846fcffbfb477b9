"""Issue 15 (hardening): profile fields are validated by one rule set, for the page and the API alike."""

import json

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from congso.accounts import services
from congso.accounts.models import CitizenProfile
from congso.core.errors import InvalidFields
from congso.directory.testing import PASSWORD

pytestmark = pytest.mark.django_db


def _put(client, body):
    return client.put("/api/v1/accounts/me/profile", data=json.dumps(body), content_type="application/json")


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"phone": "abc"}, "phone", "Số điện thoại"),
        ({"email": "not-an-email"}, "email", "thư điện tử"),
        ({"date_of_birth": "6934-01-01"}, "date_of_birth", "tương lai"),
        ({"date_of_birth": "1899-12-31"}, "date_of_birth", "1900"),
        ({"address": "x" * 5000}, "address", "300"),
        ({"email": "a" * 300 + "@example.vn"}, "email", "thư điện tử"),
        ({"phone": "0" * 500}, "phone", "Số điện thoại"),
        ({"cccd": "1" * 5000}, "cccd", "12 chữ số"),
        ({"commune_code": "9" * 5000}, "commune", "xã, phường"),
    ],
)
def test_api_profile_refuses_bad_values_and_writes_nothing(client, world, body, field, message):
    citizen = world.users["citizen"]
    before = (citizen.phone, citizen.email)
    client.force_login(citizen)
    response = _put(client, body)
    assert response.status_code == 400, response.content
    answer = response.json()
    assert message.lower() in answer["detail"].lower()
    assert field in answer["errors"]
    citizen.refresh_from_db()
    assert (citizen.phone, citizen.email) == before
    profile = CitizenProfile.objects.get(user=citizen)
    assert profile.cccd == "064090001234" and profile.address == "25 Hùng Vương"
    assert profile.date_of_birth is None or profile.date_of_birth.year < 2100


def test_api_profile_accepts_good_values(client, world):
    citizen = world.users["citizen"]
    client.force_login(citizen)
    response = _put(
        client, {"phone": "0905 123 456", "email": "lan@example.vn", "date_of_birth": "1990-05-04"}
    )
    assert response.status_code == 200, response.content
    citizen.refresh_from_db()
    assert citizen.phone == "0905123456" and citizen.email == "lan@example.vn"


def test_service_is_the_one_place(world):
    citizen = world.users["citizen"]
    with pytest.raises(InvalidFields) as err:
        services.update_profile(citizen, citizen, phone="abc", email="not-an-email")
    assert set(err.value.errors) == {"phone", "email"}


def test_page_profile_refuses_future_birth_date(client, world):
    citizen = world.users["citizen"]
    client.force_login(citizen)
    response = client.post(
        "/tai-khoan/ca-nhan/", {"cccd": "064090001234", "date_of_birth": "6934-01-01", "address": "Mới"}
    )
    assert response.status_code == 200
    assert "tương lai" in response.content.decode()
    profile = CitizenProfile.objects.get(user=citizen)
    assert profile.address == "25 Hùng Vương"


# --- Abuse: password spraying, reset e-mails, TOTP throttling, Retry-After ------------------------

LOGIN = "/tai-khoan/dang-nhap/"


def test_password_spraying_from_one_address_gets_429(client, world, settings):
    settings.CONGSO_LOGIN_FAILS_PER_IP = 6
    for i in range(6):  # one try per username: django-axes (username + address) never locks
        response = client.post(LOGIN, {"username": f"nguoi.dung.{i}", "password": "Matkhau@123"})
        assert response.status_code == 200
    sprayed = client.post(LOGIN, {"username": "congdan.an", "password": PASSWORD})
    assert sprayed.status_code == 429
    assert int(sprayed["Retry-After"]) > 0
    assert "quá nhiều lần" in sprayed.content.decode()
    assert "_auth_user_id" not in client.session
    # Another address is not affected.
    other = client.post(LOGIN, {"username": "nguoi.dung.x", "password": "sai"}, REMOTE_ADDR="10.1.2.3")
    assert other.status_code == 200


def test_axes_lockout_carries_retry_after(client, world, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(LOGIN, {"username": "congdan.an", "password": "sai-mat-khau-roi"})
    locked = client.post(LOGIN, {"username": "congdan.an", "password": "sai-mat-khau-roi"})
    assert locked.status_code == 429 and int(locked["Retry-After"]) > 0


def test_password_reset_mails_are_throttled_silently(client, world, mailoutbox):
    answers = [
        client.post("/tai-khoan/quen-mat-khau/", {"email": "nguyen.van.an@example.vn"}) for _ in range(5)
    ]
    assert {a.status_code for a in answers} == {302}
    assert {a["Location"] for a in answers} == {answers[0]["Location"]}  # the page says the same
    assert len(mailoutbox) == 3


def test_password_reset_mails_throttled_per_client_address(client, world, mailoutbox, settings):
    settings.CONGSO_RESET_MAILS_PER_EMAIL = 100
    settings.CONGSO_RESET_MAILS_PER_IP = 2
    for _ in range(4):
        assert (
            client.post("/tai-khoan/quen-mat-khau/", {"email": "nguyen.van.an@example.vn"}).status_code == 302
        )
    assert len(mailoutbox) == 2


def test_throttled_totp_says_so(client, world):
    clerk = world.users["clerk"]
    TOTPDevice.objects.create(user=clerk, name="Ứng dụng xác thực", confirmed=True)
    client.post(LOGIN, {"username": clerk.username, "password": PASSWORD})
    first = client.post("/tai-khoan/xac-thuc-hai-lop/", {"token": "000001"})
    assert "Mã xác thực không đúng" in first.content.decode()
    second = client.post("/tai-khoan/xac-thuc-hai-lop/", {"token": "000002"})
    html = second.content.decode()
    assert "Bạn đã nhập sai quá nhiều lần, vui lòng chờ" in html and "rồi thử lại" in html
    assert "Mã xác thực không đúng" not in html


def test_token_endpoint_limits_failed_client_logins_per_address(client, world, settings):
    settings.CONGSO_LOGIN_FAILS_PER_IP = 3
    for i in range(3):
        bad = client.post(
            "/o/token/",
            {"grant_type": "client_credentials", "client_id": f"khong-co-{i}", "client_secret": "sai"},
        )
        assert bad.status_code in (400, 401)
    blocked = client.post(
        "/o/token/", {"grant_type": "client_credentials", "client_id": "khong-co", "client_secret": "sai"}
    )
    assert blocked.status_code == 429 and int(blocked["Retry-After"]) > 0
    assert "quá nhiều lần" in blocked.json()["error_description"]
