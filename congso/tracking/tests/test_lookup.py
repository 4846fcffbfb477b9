"""The public lookup: by code and a second factor, or by the receipt's signed link. Status and dates
only; a wrong check value reads exactly like a wrong code; rate-limited per address and per code."""

import json

import pytest

from congso.directory.testing import login_verified
from congso.dossiers.slips import _form_data, citizen_receipt, get_or_issue
from congso.tracking import services

pytestmark = pytest.mark.django_db

PERSONAL = ("Nguyễn Văn An", "052095001234", "0905123456", "an.nguyen@example.vn", "Tổ 3")


def _get(client, code, check, **extra):
    return client.get("/ho-so/tra-cuu/", {"code": code, "check": check}, **extra)


def _message(response):
    html = response.content.decode()
    start = html.index('id="error-summary"')
    return html[start : html.index("</div>", start)]


def test_empty_form_renders(client):
    response = client.get("/ho-so/tra-cuu/")
    assert response.status_code == 200
    assert "Mã hồ sơ" in response.content.decode()


@pytest.mark.parametrize("check", ["3456", "1234", "34 56"])
def test_right_check_value_shows_status_and_dates_only(client, received, check):
    response = _get(client, received.code.lower(), check)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Đã tiếp nhận" in html
    assert "Thủ tục đăng ký khai sinh" in html
    assert "Ủy ban nhân dân phường Pleiku" in html
    for value in PERSONAL:
        assert value not in html
    assert response["Cache-Control"].startswith("private") or "no-store" in response["Cache-Control"]


def test_wrong_check_and_wrong_code_read_the_same(client, received):
    wrong_check = _get(client, received.code, "9999")
    wrong_code = _get(client, "H21.23575-990101-0001", "3456")
    assert wrong_check.status_code == wrong_code.status_code == 404
    assert _message(wrong_check) == _message(wrong_code)
    assert "Đã tiếp nhận" not in wrong_check.content.decode()


def test_lookup_is_one_dossier_query_and_writes_no_session(client, received):
    from django.contrib.sessions.models import Session
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        response = _get(client, received.code, "3456")
    assert response.status_code == 200
    sql = [q["sql"] for q in ctx.captured_queries]
    assert len([q for q in sql if "dossiers_dossier" in q]) == 1
    assert not [q for q in sql if "django_session" in q or "audit" in q]
    # Everything else is the rate-limit counters (the database cache here; Redis when scaled out).
    other = [q for q in sql if "congso_cache" not in q and "dossiers_dossier" not in q]
    assert all(q.startswith(("SAVEPOINT", "RELEASE SAVEPOINT")) for q in other), other
    assert Session.objects.count() == 0
    assert "sessionid" not in client.cookies


def test_too_short_check_is_a_clear_message(client, received):
    response = _get(client, received.code, "12")
    assert response.status_code == 400
    assert "4 ký tự cuối" in response.content.decode()


def test_rate_limited_per_ip(client, received, settings):
    settings.CONGSO_LOOKUP_PER_IP = 3
    for _ in range(3):
        assert _get(client, received.code, "3456").status_code == 200
    response = _get(client, received.code, "3456")
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    assert "quá nhiều lần" in response.content.decode()
    # Another address is not affected.
    assert _get(client, received.code, "3456", REMOTE_ADDR="10.0.0.9").status_code == 200


def test_rate_limited_per_code_even_from_many_addresses(client, received, settings):
    settings.CONGSO_LOOKUP_FAILS_PER_CODE = 3
    for i in range(3):
        assert _get(client, received.code, f"000{i}", REMOTE_ADDR=f"10.0.1.{i}").status_code == 404
    # Now a wrong value is refused for this code, from a fresh address, and says to wait.
    locked = _get(client, received.code, "0009", REMOTE_ADDR="10.0.2.1")
    assert locked.status_code == 429 and int(locked["Retry-After"]) > 0
    # The owner, who gives the right value, is not blocked by the guesses of others (issue 15).
    assert _get(client, received.code, "3456", REMOTE_ADDR="10.0.2.2").status_code == 200
    # The same limit for a code that does not exist: the 429 itself tells nothing.
    for i in range(3):
        _get(client, "H21.23575-990101-0001", f"000{i}", REMOTE_ADDR=f"10.0.3.{i}")
    assert _get(client, "H21.23575-990101-0001", "3456", REMOTE_ADDR="10.0.4.1").status_code == 429


def test_signed_link_shows_the_public_view(client, received):
    url = services.public_lookup_url(received, absolute=False)
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Đã tiếp nhận" in html
    for value in PERSONAL:
        assert value not in html


def test_tampered_or_foreign_token_is_not_found(
    client, received, staff, agencies, procedure_version, applicant
):
    token = services.lookup_token(received.code)
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    assert client.get(f"/ho-so/tra-cuu/{received.code}/{tampered}/").status_code == 404
    other = services.lookup_token("H21.23575-990101-0001")
    assert client.get(f"/ho-so/tra-cuu/{received.code}/{other}/").status_code == 404


def test_receipt_prints_the_lookup_link(received):
    event = received.timeline.filter(action="accept").last()
    assert _form_data(received, event).lookup_url == services.public_lookup_url(received)


def test_the_receipts_qr_leads_to_the_dossiers_status(client, received, citizen):
    """The QR on the receipt opens its signature record, which links on to the public status."""

    receipt = citizen_receipt(received, citizen)
    record = client.get(f"/xac-thuc/{receipt.pk}/")
    assert record.status_code == 200
    status_url = services.public_lookup_url(received, absolute=False)
    assert f'href="{status_url}"' in record.content.decode()
    page = client.get(status_url).content.decode()
    assert "Đã tiếp nhận" in page
    for value in PERSONAL:
        assert value not in page
    body = client.get(f"/api/v1/signatures/records/{receipt.pk}").json()
    assert body["status_url"] == services.public_lookup_url(received)


def test_other_papers_have_no_status_link(client, received, staff):
    control = get_or_issue(received, "control", staff["clerk"])
    assert client.get(f"/api/v1/signatures/records/{control.pk}").json()["status_url"] == ""
    assert "Xem tình trạng giải quyết hồ sơ" not in client.get(f"/xac-thuc/{control.pk}/").content.decode()


# --- JSON --------------------------------------------------------------------------------------


def test_api_lookup_right_and_wrong(client, received):
    ok = client.get("/api/v1/dossiers/lookup", {"code": received.code, "check": "1234"})
    assert ok.status_code == 200
    body = ok.json()
    assert body["status"] == 2 and body["status_label"] == "Đã tiếp nhận"
    assert body["procedure_code"] == "1.001193"
    text = json.dumps(body, ensure_ascii=False)
    for value in PERSONAL:
        assert value not in text
    wrong_check = client.get("/api/v1/dossiers/lookup", {"code": received.code, "check": "0000"})
    wrong_code = client.get("/api/v1/dossiers/lookup", {"code": "X-1", "check": "1234"})
    assert wrong_check.status_code == wrong_code.status_code == 404
    assert wrong_check.json() == wrong_code.json()
    assert wrong_check.json()["code"] == "not_found"


def test_api_lookup_rate_limit_is_429_json(client, received, settings):
    settings.CONGSO_LOOKUP_PER_IP = 2
    for _ in range(2):
        client.get("/api/v1/dossiers/lookup", {"code": received.code, "check": "1234"})
    response = client.get("/api/v1/dossiers/lookup", {"code": received.code, "check": "1234"})
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    assert response.json()["code"] == "rate_limited"
    assert "quá nhiều lần" in response.json()["detail"]


def test_api_signed_lookup(client, received):
    token = services.lookup_token(received.code)
    assert client.get(f"/api/v1/dossiers/lookup/{received.code}/{token}").json()["code"] == received.code
    assert client.get(f"/api/v1/dossiers/lookup/{received.code}/{token[:-2]}xx").status_code == 404


def test_lookup_route_is_not_taken_by_the_back_office_code_route(client, received, staff):
    login_verified(client, staff["clerk"])
    response = client.get("/api/v1/dossiers/lookup", {"code": received.code, "check": "1234"})
    assert response.status_code == 200
    assert "applicant_name" not in response.json()


@pytest.fixture
def redis_cache(settings):
    import redis

    url = "redis://127.0.0.1:6379/7"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=0.5).ping()
    except Exception:  # noqa: BLE001
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    settings.CACHES = {
        "default": {
            "BACKEND": "congso.core.cache.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "congso-tracking-test",
        }
    }
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def test_rate_limits_on_redis_use_one_round_trip(client, received, settings, redis_cache):
    settings.CONGSO_LOOKUP_PER_IP = 3
    settings.CONGSO_LOOKUP_FAILS_PER_CODE = 2
    assert _get(client, received.code, "0000").status_code == 404
    assert _get(client, received.code, "0001").status_code == 404
    assert _get(client, received.code, "0002", REMOTE_ADDR="10.9.9.9").status_code == 429  # code locked
    assert _get(client, received.code, "3456", REMOTE_ADDR="10.9.9.7").status_code == 200  # not the owner
    assert _get(client, "H21.23575-990101-0001", "0000").status_code == 404  # third from this address
    assert _get(client, "H21.23575-990101-0002", "0000").status_code == 429  # fourth: over the limit
    assert _get(client, "H21.23575-990101-0001", "0000", REMOTE_ADDR="10.9.9.8").status_code == 404
