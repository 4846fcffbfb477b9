"""``congso api_token``: a bearer token for tests, CI and the fuzzing campaign (issue 15); audited,
refused in production unless explicitly allowed, and no wider than the scopes it was given."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from oauth2_provider.models import AccessToken

from congso.accounts.testing import build_world
from congso.accounts.tokens import TEST_APPLICATION
from congso.core.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def _issue(*args) -> str:
    out, err = io.StringIO(), io.StringIO()
    call_command("api_token", *args, stdout=out, stderr=err)
    return out.getvalue().strip()


def _bearer(token):
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_the_token_acts_as_the_citizen_and_is_audited(world):
    token = _issue("congdan.an", "--scope", "read")
    response = Client().get("/api/v1/accounts/me", **_bearer(token))
    assert response.status_code == 200
    assert response.json()["username"] == "congdan.an"
    access = AccessToken.objects.get(user=world.users["citizen"])
    assert access.scope == "read"
    assert access.application.name == TEST_APPLICATION
    entry = AuditEntry.objects.get(action="accounts.api_token_issued")
    assert entry.object_id == str(world.users["citizen"].pk)
    assert entry.data["scopes"] == ["read"]
    assert token not in str(entry.data)  # the secret is never written to the trail


def test_a_read_token_cannot_write(world):
    token = _issue("congdan.an")  # read by default
    response = Client().put(
        "/api/v1/accounts/me/profile",
        {"address": "1 Trần Phú"},
        content_type="application/json",
        **_bearer(token),
    )
    assert response.status_code == 401
    token = _issue("congdan.an", "--scope", "read", "--scope", "write")
    assert AccessToken.objects.filter(user=world.users["citizen"]).count() == 2
    assert AccessToken.objects.get(token_checksum__isnull=False, scope="read write") is not None
    assert Client().get("/api/v1/accounts/me", **_bearer(token)).status_code == 200


def test_an_official_token_keeps_the_officials_permissions_only(world):
    token = _issue(world.users["clerk"].username, "--scope", "read")
    response = Client().get("/api/v1/accounts/me", **_bearer(token))
    assert response.status_code == 200
    assert response.json()["username"] == world.users["clerk"].username
    # the outbox is for system administrators: a clerk's token does not open it
    assert Client().get("/api/v1/notifications/", **_bearer(token)).status_code == 403


def test_refused_in_production_unless_allowed(world, settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="production"):
        _issue("congdan.an")
    assert not AccessToken.objects.exists()
    assert not AuditEntry.objects.filter(action="accounts.api_token_issued").exists()
    assert _issue("congdan.an", "--allow-production")
    assert AccessToken.objects.count() == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nobody.here"], "Không có tài khoản nobody.here"),
        (["congdan.an", "--scope", "admin"], "Phạm vi không hợp lệ: admin"),
        (["congdan.an", "--hours", "0"], "Thời hạn phải từ 1 đến 720 giờ"),
    ],
)
def test_bad_arguments_are_refused_with_a_clear_message_and_nothing_written(world, args, message):
    with pytest.raises(CommandError, match=message):
        _issue(*args)
    assert not AccessToken.objects.exists()
    assert not AuditEntry.objects.filter(action="accounts.api_token_issued").exists()


def test_a_locked_account_gets_no_token(world):
    world.users["citizen"].is_active = False
    world.users["citizen"].save(update_fields=["is_active"])
    with pytest.raises(CommandError, match="đã bị khóa"):
        _issue("congdan.an")
    assert not AccessToken.objects.exists()
