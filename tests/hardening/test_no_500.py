"""No request can make the server answer 500 with the inputs the crash campaign used (issue 15).

Every route is tried: the pages from the URL resolver and the API's operations from its OpenAPI schema,
with path parameters filled with plausible values, as an anonymous visitor and as a signed-in official,
with (a) a NUL byte in the path, the query and the body, (b) integers of 2⁶³ in ``offset``, ``page`` and
``limit``, (c) a malformed multipart body. On PostgreSQL a NUL byte that reaches the database is refused
there, so run this file on PostgreSQL too.
"""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import get_resolver
from django.urls.resolvers import RoutePattern, URLPattern, URLResolver

from congso.accounts.testing import build_world
from congso.api import api
from congso.directory.testing import login_verified

pytestmark = pytest.mark.django_db

HUGE = "9223372036854775808"
BIG_QUERY = f"offset={HUGE}&page={HUGE}&limit={HUGE}&trang={HUGE}&q=a&seen={HUGE}"
NUL_QUERY = "q=a%00b&code=a%00b&page=1%00"
MALFORMED = b'--XXX\r\nContent-Disposition: form-data; name="a"\r\n\r\nb\r\n'  # no closing boundary
MULTIPART = "multipart/form-data; boundary=XXX"

# Plausible values for path parameters, by converter or name.
VALUES = {
    "int": "1",
    "slug": "vnpay",
    "uuid": "6f1c2e0a-9b7d-4c1e-8a55-0d3c1b2a4e6f",
    "uuidstr": "6f1c2e0a-9b7d-4c1e-8a55-0d3c1b2a4e6f",
    "path": "1",
    "str": "GL-PLEIKU",
}
NAMED = {
    "code": "GL.0001-2026",
    "agency_code": "UBND-TINH-GL",
    "procedure_code": "1.001234",
    "token": "abc",
    "action": "forward",
    "scope": "agency",
    "key": "ho_ten",
    "step": "thong-tin",
    "provider": "vnpay",
    "txn_ref": "GL0001",
    "uidb64": "MQ",
}


def _walk(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern) and isinstance(p.pattern, RoutePattern):
            yield prefix + str(p.pattern)


def _fill(route: str, nul: bool = False) -> str:
    """The route with its parameters filled; with ``nul`` the first parameter (or the end) carries %00."""
    done = {"nul": False}

    def value(match):
        conv, name = match.group(1) or "str", match.group(2)
        v = NAMED.get(name, VALUES.get(conv, "1")) if conv in ("str", "slug") else VALUES.get(conv, "1")
        if nul and not done["nul"]:
            done["nul"] = True
            v += "%00"
        return v

    path = "/" + re.sub(r"<(?:(\w+):)?(\w+)>", value, route)
    if nul and not done["nul"]:
        path = path.rstrip("/") + "%00/" if path.endswith("/") else path + "%00"
    return path


def page_routes():
    routes = [r for r in _walk(get_resolver().url_patterns) if not r.startswith("api/")]
    # The admin site: its index and lists (object pages by id would only multiply the same views).
    return [r for r in routes if not (r.startswith("quan-tri-he-thong/") and "<" in r)]


def api_operations():
    schema = api.get_openapi_schema()
    ops = []
    for path, methods in schema["paths"].items():
        route = re.sub(r"\{(\w+)\}", r"<\1>", path.removeprefix("/"))
        ops.append((route, {m.upper() for m in methods}))
    return ops


@pytest.fixture
def clients():
    world = build_world()
    official = Client(raise_request_exception=False)
    login_verified(official, world.users["clerk"])
    return {"anonymous": Client(raise_request_exception=False), "official": official}


def _check(failures, who, method, path, response):
    if response.status_code >= 500:
        failures.append(f"{who} {method} {path} → {response.status_code}")


def test_no_route_answers_500_to_bad_input(clients):
    failures = []
    pages = page_routes()
    operations = api_operations()
    assert len(pages) > 50 and len(operations) > 50
    for who, client in clients.items():
        for route in pages:
            path = _fill(route)
            _check(failures, who, "GET", path + "?" + NUL_QUERY, client.get(path + "?" + NUL_QUERY))
            nul_path = _fill(route, nul=True)
            _check(failures, who, "GET", nul_path, client.get(nul_path))
            _check(failures, who, "GET", path + "?" + BIG_QUERY, client.get(path + "?" + BIG_QUERY))
            r = client.generic("POST", path, MALFORMED, content_type=MULTIPART)
            _check(failures, who, "POST(multipart)", path, r)
            r = client.post(path, {"q": "a\x00b", "name": "x\x00"})
            _check(failures, who, "POST(form nul)", path, r)
        for route, methods in operations:
            path = "/api/v1/" + _fill(route)
            nul_path = "/api/v1/" + _fill(route, nul=True)
            if "GET" in methods:
                _check(failures, who, "GET", path + "?" + NUL_QUERY, client.get(path + "?" + NUL_QUERY))
                _check(failures, who, "GET", nul_path, client.get(nul_path))
                _check(failures, who, "GET", path + "?" + BIG_QUERY, client.get(path + "?" + BIG_QUERY))
            if "POST" in methods:
                r = client.generic("POST", path, MALFORMED, content_type=MULTIPART)
                _check(failures, who, "POST(multipart)", path, r)
                r = client.post(path, '{"reason": "a\\u0000b", "code": "x"}', content_type="application/json")
                _check(failures, who, "POST(json nul)", path, r)
                r = client.post(path + "?" + NUL_QUERY, {"name": "a\x00b"})
                _check(failures, who, "POST(form nul)", path, r)
                _check(failures, who, "POST(nul path)", nul_path, client.post(nul_path, {}))
    assert not failures, "\n".join(failures)
