"""Issue 15: personal pages and API answers are never kept by a browser or a shared cache."""

import pytest

from congso.accounts.testing import build_world

pytestmark = pytest.mark.django_db

PERSONAL = [
    "/ho-so/",
    "/ho-so/HS-KHONG-CO/",
    "/tai-khoan/ca-nhan/",
    "/tai-khoan/uy-quyen-ho-tro/",
    "/kho-du-lieu/",
    "/api/v1/accounts/me",
    "/api/v1/accounts/me/profile",
    "/api/v1/dossiers/mine",
    "/api/v1/datastore/documents",
]


@pytest.fixture
def citizen_client(client, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    world = build_world()
    client.force_login(world.users["citizen"])
    return client


@pytest.mark.parametrize("path", PERSONAL)
def test_personal_answers_are_not_stored(citizen_client, path):
    response = citizen_client.get(path)
    assert response.status_code < 500
    assert "no-store" in response.get("Cache-Control", ""), (path, response.status_code)


def test_public_pages_are_not_marked(citizen_client):
    response = citizen_client.get("/thu-tuc/")
    assert "no-store" not in response.get("Cache-Control", "")
