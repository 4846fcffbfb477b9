"""The API with the province's roles (the permission matrix covers the ten common roles): a unit's value
with evidence (multipart), the evaluator's review, their own unit refused, close, ranking, met table."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from congso.core.api_testing import assert_matches_schema
from congso.directory.models import Role
from congso.directory.testing import login_verified
from congso.evaluations import services
from congso.evaluations.models import Entry
from congso.evaluations.testing import build_evaluation_world, leaf, official, pdf_bytes

pytestmark = pytest.mark.django_db

API = "/api/v1/evaluations"


@pytest.fixture
def ew():
    ew = build_evaluation_world()
    ew.source.values[ew.agencies["justice"].code] = "98"
    return ew


def test_a_round_through_the_api(client, ew):
    a, u = ew.agencies, ew.users
    login_verified(client, u["evaluator"])
    response = client.post(
        f"{API}/frameworks/{ew.framework.pk}/rounds", {"year": 2025}, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    round_id = response.json()["id"]
    c11 = leaf(ew.framework, "1.1")
    values = f"{API}/rounds/{round_id}/units/{a['justice'].code}/values/{c11.pk}"

    login_verified(client, u["agency_admin"])
    response = client.post(values, {"value": "9", "note": "Có danh sách"})
    assert response.status_code == 400 and response.json()["field"] == "evidence"
    response = client.post(
        values, {"value": "11", "note": "x", "evidence": SimpleUploadedFile("a.pdf", pdf_bytes())}
    )
    assert response.status_code == 400 and response.json()["code"] == "out_of_range"
    response = client.post(
        values, {"value": "9", "note": "Có danh sách", "evidence": SimpleUploadedFile("ds.pdf", pdf_bytes())}
    )
    assert response.status_code == 200, response.content
    entry_id = response.json()["id"]
    sheet = client.get(f"{API}/rounds/{round_id}/units/{a['justice'].code}")
    assert_matches_schema(sheet)
    lines = {line["code"]: line for line in sheet.json()["lines"]}
    assert lines["1.1"]["status"] == "submitted" and lines["2.1"]["live"] is True
    assert sheet.json()["total"] == "29.000"  # 9 + 20 (98 % on time): 1.2 not entered yet
    assert (
        client.post(
            f"{API}/entries/{entry_id}/review", {"action": "accept"}, content_type="application/json"
        ).status_code
        == 403
    )

    # Sở Xây dựng's value: the evaluator works there and may not review it.
    login_verified(client, u["other_admin"])
    own = client.post(
        f"{API}/rounds/{round_id}/units/{a['construction'].code}/values/{c11.pk}",
        {"value": "8", "note": "x", "evidence": SimpleUploadedFile("b.pdf", pdf_bytes())},
    ).json()["id"]
    login_verified(client, u["evaluator"])
    assert client.post(f"{API}/rounds/{round_id}/start-review").status_code == 200
    refused = client.post(
        f"{API}/entries/{own}/review", {"action": "accept"}, content_type="application/json"
    )
    assert refused.status_code == 403 and "đơn vị mình đang công tác" in refused.json()["detail"]
    response = client.post(
        f"{API}/entries/{entry_id}/review",
        {"action": "correct", "value": "7"},
        content_type="application/json",
    )
    assert response.status_code == 400 and response.json()["field"] == "reason"
    response = client.post(
        f"{API}/entries/{entry_id}/review",
        {"action": "correct", "value": "7", "reason": "Chỉ 35 người có chứng chỉ"},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["status"] == "corrected"
    assert client.post(f"{API}/rounds/{round_id}/close").status_code == 409  # Sở Xây dựng's value waits

    second = official("thamdinh2.gialai", "Nguyễn Thị Hạnh", (a["province_pc"], Role.EVALUATOR))
    services.review_value(second, Entry.objects.get(pk=own), action="accept")
    response = client.post(f"{API}/rounds/{round_id}/close")
    assert response.status_code == 200 and response.json()["state"] == "closed"
    ranking = client.get(f"{API}/rounds/{round_id}/ranking")
    assert_matches_schema(ranking)
    first = ranking.json()[0]
    assert (first["unit"], first["total"], first["level"], first["rank"]) == (
        a["justice"].code,
        "27.000",
        "III",
        1,
    )
    met = client.get(f"{API}/rounds/{round_id}/met").json()
    assert met["criteria"] == ["1.1", "1.2", "2.1"] and met["previous_year"] is None
    login_verified(client, u["agency_admin"])
    late = client.post(
        values, {"value": "10", "note": "x", "evidence": SimpleUploadedFile("c.pdf", pdf_bytes())}
    )
    assert late.status_code == 409 and late.json()["code"] == "round_closed"


def test_frameworks_through_the_api(client, ew):
    login_verified(client, ew.users["province_admin"])
    listed = client.get(f"{API}/frameworks")
    assert_matches_schema(listed)
    assert [f["id"] for f in listed.json()] == [ew.framework.pk]
    detail = client.get(f"{API}/frameworks/{ew.framework.pk}").json()
    assert detail["max_total"] == "50.000" and [c["code"] for c in detail["criteria"]] == [
        "1",
        "1.1",
        "1.2",
        "2",
        "2.1",
    ]
    bad = client.post(
        f"{API}/frameworks/{ew.framework.pk}/criteria",
        {"kind": "indicator", "code": "3", "name": "Thiếu điểm", "source": "manual"},
        content_type="application/json",
    )
    assert bad.status_code == 400 and "max_points" in bad.json()["errors"]
