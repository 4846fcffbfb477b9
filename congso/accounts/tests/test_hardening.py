"""Issue 15 (hardening): profile fields are validated by one rule set, for the page and the API alike."""

import json

import pytest

from congso.accounts import services
from congso.accounts.models import CitizenProfile
from congso.core.errors import InvalidFields

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
