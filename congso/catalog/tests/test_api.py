"""The catalogue's JSON API and its OpenAPI description."""

import pytest

from congso.catalog.models import Offering
from congso.core.api_testing import assert_matches_schema
from congso.directory.testing import login_verified

pytestmark = pytest.mark.django_db


def test_search_endpoint(client, imported):
    response = client.get("/api/v1/procedures", {"q": "dang ky khai sinh", "level": "commune", "limit": 5})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] >= 1 and body["limit"] == 5
    first = body["items"][0]
    assert first["code"] == "1.001193"
    assert first["name"] == "Thủ tục đăng ký khai sinh"
    assert first["field"] == "Hộ tịch"
    assert first["levels"] == ["commune"]
    assert first["online_level"] == "partial"
    assert first["url"].endswith("/thu-tuc/1.001193/")


def test_bad_parameters_are_rejected_cleanly(client, imported):
    assert client.get("/api/v1/procedures", {"limit": 1000}).status_code == 422
    assert client.get("/api/v1/procedures/9.999999").status_code == 404


def test_full_record(client, imported):
    body = client.get("/api/v1/procedures/1.001193").json()
    assert body["version"] == 1
    content = body["content"]
    assert {c["channel"] for c in content["channels"]} == {"online", "post", "in_person"}
    assert content["components"][0]["originals"] is not None
    assert content["results"][0]["code"] == "KQ.G15.000031"
    versions = client.get("/api/v1/procedures/1.001193/versions").json()
    assert versions[0]["current"] and versions[0]["number"] == 1
    assert client.get("/api/v1/procedures/1.001193/versions/1").json()["code"] == "1.001193"


def test_terms_and_offerings(client, imported, agencies, pleiku_admin):
    terms = client.get("/api/v1/procedures/1.001193/terms", {"agency": "H21.23575"}).json()
    assert terms["offered"] is False
    assert client.get("/api/v1/offerings", {"agency": "H21.23575"}).status_code == 401
    login_verified(client, pleiku_admin)
    response = client.put(
        "/api/v1/offerings/H21.23575/1.001193",
        {"online_open": True, "counters": "Quầy số 2", "local_time_unit": "same_day"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["online_open"] is True
    terms = client.get("/api/v1/procedures/1.001193/terms", {"agency": "H21.23575"}).json()
    assert terms["offered"] and terms["online_open"]
    assert client.get("/api/v1/offerings", {"agency": "H21.23575"}).json()[0]["procedure"] == "1.001193"
    forbidden = client.put(
        "/api/v1/offerings/H21.23764/1.001193", {"online_open": True}, content_type="application/json"
    )
    assert forbidden.status_code == 403
    assert client.get("/api/v1/offerings", {"agency": "H21.23764"}).status_code == 403
    bad = client.put(
        "/api/v1/offerings/H21.23575/1.001193",
        {"local_time_value": 3, "local_time_unit": "parsecs"},
        content_type="application/json",
    )
    assert bad.status_code == 400 and "local_time_unit" in bad.json()["errors"]
    assert client.delete("/api/v1/offerings/H21.23575/1.001193").status_code == 204
    assert not Offering.objects.filter(is_active=True).exists()


def test_openapi_documents_the_catalogue(client):
    schema = client.get("/api/v1/openapi.json").json()
    paths = schema["paths"]
    for path in ("/api/v1/procedures", "/api/v1/procedures/{code}", "/api/v1/procedures/{code}/terms"):
        assert path in paths
    parameters = {p["name"] for p in paths["/api/v1/procedures"]["get"]["parameters"]}
    assert {"q", "level", "field", "agency", "limit", "offset"} <= parameters
    components = schema["components"]["schemas"]
    assert {"ProcedurePage", "ProcedureDetail", "ProcedureContent", "Component", "Fee"} <= set(components)
    assert "originals" in components["Component"]["properties"]


def test_procedure_fields_answer_matches_the_published_schema(client, imported):
    """Issue 15: the document described /procedure-fields with the portal's FieldOut (a form field)."""
    response = client.get("/api/v1/procedure-fields")
    body = assert_matches_schema(response)
    assert response.status_code == 200
    assert {"id", "name", "count"} <= set(body[0])
    assert any(row["name"] == "Hộ tịch" and row["count"] >= 1 for row in body)
