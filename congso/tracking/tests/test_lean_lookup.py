"""The lean path of the public lookup (ADR 0077) answers exactly like the full middleware stack:
same status, headers, cookies and body, for a hit, a wrong check value, a missing parameter, a 429,
both languages and the signed link. Requests it must not take go the full way."""

import json
import types

import pytest
from django.conf import settings
from django.test import Client, override_settings

from congso.api import api
from congso.tracking import ratelimit, services
from congso.tracking.api import PublicOut

pytestmark = pytest.mark.django_db

LEAN = "congso.tracking.middleware.PublicLookupMiddleware"
URL = "/api/v1/dossiers/lookup"
RID = {"HTTP_X_REQUEST_ID": "lean-test-request-0001"}  # echoed back, so the headers compare exactly


@pytest.fixture(autouse=True)
def _fixed_clock(monkeypatch):
    # The 429 message counts the minutes left in the window: keep both calls in the same second.
    monkeypatch.setattr(ratelimit, "time", types.SimpleNamespace(time=lambda: 1_800_000_123.0))


def _full(path, data=None, **extra):
    with override_settings(MIDDLEWARE=[m for m in settings.MIDDLEWARE if m != LEAN]):
        return Client().get(path, data, **RID, **extra)


def _lean(path, data=None, **extra):
    response = Client().get(path, data, **RID, **extra)
    request = response.wsgi_request
    assert not hasattr(request, "session") and not hasattr(request, "user"), "not served by the lean path"
    return response


def _same(path, data=None, **extra):
    """Each path from a fresh rate-limit state; their answers must be identical."""
    from django.core.cache import cache

    cache.clear()
    full = _full(path, data, **extra)
    cache.clear()
    lean = _lean(path, data, **extra)
    assert lean.status_code == full.status_code
    assert dict(lean.headers) == dict(full.headers)
    assert {k: v.OutputString() for k, v in lean.cookies.items()} == {
        k: v.OutputString() for k, v in full.cookies.items()
    }
    assert lean.content == full.content
    return lean


def test_hit_is_identical_and_matches_the_documented_schema(received):
    response = _same(URL, {"code": received.code, "check": "3456"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    for header in ("X-Request-ID", "Content-Security-Policy", "X-Content-Type-Options", "X-Frame-Options"):
        assert header in response
    # The body is what ninja would render through the route's response schema.
    view = services.lookup(received.code, "3456", ip="10.7.7.7")
    expected = api.renderer.render(
        None, PublicOut.model_validate(view.as_dict()).model_dump(), response_status=200
    )
    assert json.loads(response.content) == json.loads(expected)


def test_wrong_check_value_is_identical_and_reads_like_an_unknown_code(received):
    wrong_check = _same(URL, {"code": received.code, "check": "9999"})
    unknown = _same(URL, {"code": "H21.23575-990101-0001", "check": "3456"})
    assert wrong_check.status_code == unknown.status_code == 404
    assert wrong_check.content == unknown.content
    assert wrong_check.json()["code"] == "not_found"


@pytest.mark.parametrize("data", [{"code": "H21.23575-990101-0001"}, {"check": "3456"}, None])
def test_missing_parameter_is_identical(received, data):
    response = _same(URL, data)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid" and response.json()["field"] in ("code", "check")


def test_repeated_parameter_is_identical(received):
    response = _same(f"{URL}?code=X-1&check=0000&code={received.code}&check=3456")
    assert response.status_code == 200


def test_rate_limited_is_identical(received, settings):
    settings.CONGSO_LOOKUP_PER_IP = 0
    response = _same(URL, {"code": received.code, "check": "3456"})
    assert response.status_code == 429
    assert response.json()["code"] == "rate_limited"


def test_per_code_limit_holds_on_the_lean_path(received, settings):
    settings.CONGSO_LOOKUP_FAILS_PER_CODE = 2
    for i in range(2):
        assert (
            _lean(URL, {"code": received.code, "check": f"000{i}"}, REMOTE_ADDR=f"10.0.5.{i}").status_code
            == 404
        )
    locked = _lean(URL, {"code": received.code, "check": "0009"}, REMOTE_ADDR="10.0.6.1")
    assert locked.status_code == 429 and int(locked["Retry-After"]) > 0
    assert _lean(URL, {"code": received.code, "check": "3456"}, REMOTE_ADDR="10.0.6.2").status_code == 200


@pytest.mark.parametrize(
    "extra",
    [{"HTTP_ACCEPT_LANGUAGE": "en"}, {"HTTP_ACCEPT_LANGUAGE": "vi"}, {"HTTP_COOKIE": "django_language=en"}],
)
def test_language_is_chosen_the_same_way(received, extra):
    not_found = _same(URL, {"code": received.code, "check": "9999"}, **extra)
    missing = _same(URL, {"code": received.code}, **extra)
    if "en" in str(extra):
        assert not_found["Content-Language"] == "en"
        assert "Vui lòng" not in missing.json()["detail"]
    else:
        assert not_found["Content-Language"] == "vi"


def test_signed_link_is_identical(received):
    token = services.lookup_token(received.code)
    ok = _same(f"{URL}/{received.code}/{token}")
    assert ok.status_code == 200 and ok.json()["code"] == received.code
    tampered = _same(f"{URL}/{received.code}/{token[:-2]}xx")
    assert tampered.status_code == 404


def test_a_signed_in_official_without_otp_still_goes_through_the_full_stack(received, staff):
    client = Client()
    client.force_login(staff["clerk"])
    response = client.get(URL, {"code": received.code, "check": "3456"})
    assert response.status_code == 403  # OfficialOTPMiddleware, as before the lean path
    assert hasattr(response.wsgi_request, "user")


def test_other_methods_and_paths_are_passed_on(received):
    post = Client().post(URL, {"code": received.code, "check": "3456"})
    assert post.status_code == 405
    assert hasattr(post.wsgi_request, "user")
    page = Client().get("/ho-so/tra-cuu/", {"code": received.code, "check": "3456"})
    assert page.status_code == 200 and hasattr(page.wsgi_request, "user")


def test_routes_stay_documented(client):
    schema = client.get("/api/v1/openapi.json").json()
    for path in ("/api/v1/dossiers/lookup", "/api/v1/dossiers/lookup/{code}/{token}"):
        ok = schema["paths"][path]["get"]["responses"]["200"]
        assert ok["content"]["application/json"]["schema"]["$ref"].endswith("/PublicOut")


@pytest.mark.skipif(
    not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"), reason="PostgreSQL only"
)
@pytest.mark.parametrize("prepared", [True, False])
def test_postgresql_plans_the_lookup_once_per_connection(received, settings, prepared):
    from django.db import connection

    settings.CONGSO_LOOKUP_PREPARED = prepared
    for _ in range(2):
        assert services.lookup(received.code, "3456", ip="10.8.8.8").code == received.code
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s", ["%dossiers_dossier%"]
        )
        assert (cursor.fetchone()[0] == 1) is prepared


@pytest.mark.skipif(
    not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"), reason="PostgreSQL only"
)
def test_a_connection_the_database_dropped_is_reopened_and_the_lookup_answers(
    transactional_db, received, caplog, settings
):
    """The lookup skips Django's per-request health check (a SELECT 1 before every lookup); when the
    database has dropped the kept-alive connection, it reconnects once and still answers."""
    import psycopg
    from django.db import connection

    # the rate limit's counters in memory (as in Redis), so the lookup's query is the request's first
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert services.lookup(received.code, "3456", ip="10.8.8.9").code == received.code
    pid = connection.connection.info.backend_pid
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    with psycopg.connect(**params, autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])
    connection.health_check_done = False  # a new request
    with caplog.at_level("WARNING", logger="congso.tracking"):
        assert services.lookup(received.code, "3456", ip="10.8.8.9").code == received.code
    assert connection.connection.info.backend_pid != pid
    assert "reconnecting" in caplog.text  # it was the lookup's retry, not a health check, that noticed
