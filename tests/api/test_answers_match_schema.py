"""Every GET operation of the API, as an anonymous visitor, a citizen and an official, answers with a
documented status and a body that matches the published schema (issue 15, ADR 0140).

The fuzzing campaign (``scripts/fuzz_api.sh``) does this with generated input against the demo data;
this is the quick, deterministic part that runs with the test suite: each operation once per role,
with plausible parameters (``NAMED``), checked by ``core.api_testing.assert_matches_schema``.
"""

from __future__ import annotations

import re

import pytest
from django.test import Client

from congso.accounts.testing import build_world
from congso.accounts.tokens import issue_token
from congso.core.api_testing import SchemaMismatch, _document, assert_matches_schema

pytestmark = pytest.mark.django_db

# Plausible values for path parameters, by name (others get "1").
NAMED = {
    "code": "H21.23575",
    "agency": "H21.23575",
    "procedure": "1.001193",
    "number": "1",
    "token": "abc",
    "pk": "6f1c2e0a-9b7d-4c1e-8a55-0d3c1b2a4e6f",
    "txn_ref": "GL0001",
    "prefix": "A",
}


def _path(template: str) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: NAMED.get(m.group(1), "1"), template)


@pytest.fixture
def clients(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    world = build_world()
    citizen = issue_token(world.users["citizen"].username, ["read"]).token
    official = issue_token(world.users["clerk"].username, ["read"]).token
    admin = (
        issue_token(world.users["sysadmin"].username, ["read"]).token if "sysadmin" in world.users else None
    )
    roles = {
        "anonymous": (Client(raise_request_exception=False), {}),
        "citizen": (Client(raise_request_exception=False), {"HTTP_AUTHORIZATION": f"Bearer {citizen}"}),
        "official": (Client(raise_request_exception=False), {"HTTP_AUTHORIZATION": f"Bearer {official}"}),
    }
    if admin:
        roles["sysadmin"] = (Client(raise_request_exception=False), {"HTTP_AUTHORIZATION": f"Bearer {admin}"})
    return roles


def test_every_get_answers_as_documented(clients):
    operations = [path for path, ops in _document()["paths"].items() if "get" in ops]
    assert len(operations) > 50
    failures, checked, statuses = [], 0, set()
    for role, (client, headers) in clients.items():
        for template in operations:
            response = client.get(_path(template), **headers)
            statuses.add(response.status_code)
            try:
                assert_matches_schema(response)
                checked += 1
            except SchemaMismatch as exc:
                failures.append(f"{role}: {exc}")
    assert not failures, "\n".join(failures)
    assert checked == len(operations) * len(clients)
    assert {200, 401, 403, 404} <= statuses  # answers of every kind were checked, not only refusals


def test_a_mismatch_is_reported():
    """The checker itself: an answer the schema does not describe fails."""
    response = Client().get("/api/v1/version")
    assert_matches_schema(response)
    response.content = b'{"unexpected": 1}'
    with pytest.raises(SchemaMismatch, match="does not match"):
        assert_matches_schema(response)


# Beyond a 64-bit integer: the fuzzing campaign's offset that reached the database and answered 500.
HUGE = "31129233100461903872"


def test_an_offset_or_page_beyond_any_list_is_refused_not_a_server_error(clients):
    paginated = [
        (path, name)
        for path, ops in _document()["paths"].items()
        if "get" in ops
        for name in ("offset", "page")
        if any(p["name"] == name for p in ops["get"].get("parameters", []))
    ]
    assert {name for _, name in paginated} == {"offset", "page"}
    failures = []
    for role, (client, headers) in clients.items():
        for template, name in paginated:
            response = client.get(_path(template), {name: HUGE}, **headers)
            assert_matches_schema(response)
            if response.status_code == 200 or response.status_code >= 500:
                failures.append(f"{role} {template}?{name}=…: {response.status_code}")
    assert not failures, "\n".join(failures)
    # A page within the bound is still served (empty).
    client, headers = clients["anonymous"]
    response = client.get("/api/v1/directory/agencies", {"offset": "1000000000"}, **headers)
    assert response.status_code == 200 and response.json()["items"] == []
