"""The administrators' agreement pages and API, and a citizen's "who read my data" page and API."""

import pytest

from congso.directory.testing import login_verified
from congso.sharing.models import Agreement
from congso.sharing.testing import bearer

pytestmark = pytest.mark.django_db

POPULATION = "/api/v1/datastore/registries/population/lookup"


def read_once(client, application, cccd="064090001234"):
    from django.test import Client

    response = Client().post(
        POPULATION, {"cccd": cccd}, content_type="application/json", headers=bearer(application)
    )
    assert response.status_code == 200, response.content


def test_the_citizen_sees_who_read_her_data(client, world, application, agreement):
    read_once(client, application)
    client.force_login(world.users["citizen"])
    page = client.get("/chia-se-du-lieu/du-lieu-cua-toi-da-duoc-doc/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Bảo hiểm xã hội tỉnh Gia Lai" in text and "12/TT-BHXH" in text
    assert "Xác minh nhân thân người tham gia bảo hiểm xã hội" in text
    api = client.get("/api/v1/sharing/my-reads").json()
    assert api["count"] == 1
    item = api["items"][0]
    assert (item["agency"], item["agreement"], item["category"], item["outcome"]) == (
        "000.00.40.H21",
        "12/TT-BHXH",
        "registry.population",
        "allowed",
    )
    # the account menu links to the page
    assert "/chia-se-du-lieu/du-lieu-cua-toi-da-duoc-doc/" in client.get("/").content.decode()


def test_another_citizen_sees_nothing_of_it(client, world, application, agreement):
    read_once(client, application)
    client.force_login(world.users["elder"])
    assert (
        "Bảo hiểm xã hội" not in client.get("/chia-se-du-lieu/du-lieu-cua-toi-da-duoc-doc/").content.decode()
    )
    assert client.get("/api/v1/sharing/my-reads").json()["count"] == 0


def test_the_administrator_creates_and_revokes_an_agreement_on_the_pages(client, world, application, bhxh):
    login_verified(client, world.users["sysadmin"])
    page = client.get("/chia-se-du-lieu/thoa-thuan/")
    assert page.status_code == 200 and "bhxh-gia-lai" in page.content.decode()
    bad = client.post("/chia-se-du-lieu/thoa-thuan/", {"application": "bhxh-gia-lai", "agency": bhxh.code})
    assert bad.status_code == 400
    assert "Chọn ít nhất một loại dữ liệu" in bad.content.decode() and not Agreement.objects.exists()
    done = client.post(
        "/chia-se-du-lieu/thoa-thuan/",
        {
            "application": "bhxh-gia-lai",
            "agency": bhxh.code,
            "number": "05/2027/TT-BHXH",
            "scopes": ["registry.population", "citizen.profile"],
            "purpose": "Xác minh nhân thân người đăng ký tham gia bảo hiểm y tế hộ gia đình",
            "legal_basis": "Nghị định 13/2023/NĐ-CP",
            "valid_from": "2027-01-01",
            "valid_until": "2027-12-31",
        },
    )
    agreement = Agreement.objects.get()
    assert done.status_code == 302 and done.url == f"/chia-se-du-lieu/thoa-thuan/{agreement.pk}/"
    assert agreement.scopes == ["registry.population", "citizen.profile"]
    detail = client.get(done.url).content.decode()
    assert "05/2027/TT-BHXH" in detail and "31/12/2027" in detail
    client.post(f"/chia-se-du-lieu/thoa-thuan/{agreement.pk}/thu-hoi/", {"reason": "Đơn vị đề nghị dừng"})
    agreement.refresh_from_db()
    assert agreement.state == Agreement.State.REVOKED


def test_officials_other_than_the_system_administrator_are_refused(client, world, agreement):
    for role in ("agency_admin", "leader", "clerk"):
        login_verified(client, world.users[role])
        assert client.get("/chia-se-du-lieu/thoa-thuan/").status_code == 403
        assert client.get(f"/chia-se-du-lieu/thoa-thuan/{agreement.pk}/").status_code == 403
        assert client.get("/api/v1/sharing/agreements").status_code == 403


def test_the_api_creates_lists_revokes_and_logs(client, world, application, bhxh):
    login_verified(client, world.users["sysadmin"])
    payload = {
        "client_id": "bhxh-gia-lai",
        "agency": bhxh.code,
        "number": "07/TT-BHXH",
        "scopes": ["registry.population"],
        "purpose": "Xác minh nhân thân người tham gia bảo hiểm xã hội tự nguyện",
        "legal_basis": "Nghị định 13/2023/NĐ-CP",
        "valid_from": "2026-01-01",
        "valid_until": "2028-12-31",
    }
    created = client.post("/api/v1/sharing/agreements", payload, content_type="application/json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert created.json()["in_force"] is True and created.json()["client_id"] == "bhxh-gia-lai"
    again = client.post("/api/v1/sharing/agreements", payload, content_type="application/json")
    assert again.status_code == 400 and "đã có thỏa thuận số" in again.json()["detail"]
    read_once(client, application)
    reads = client.get(f"/api/v1/sharing/agreements/{pk}/reads").json()
    assert reads["count"] == 1 and reads["items"][0]["outcome"] == "allowed"
    short = client.post(
        f"/api/v1/sharing/agreements/{pk}/revoke", {"reason": ""}, content_type="application/json"
    )
    assert short.status_code == 400
    revoked = client.post(
        f"/api/v1/sharing/agreements/{pk}/revoke",
        {"reason": "Hết thời hạn hợp tác"},
        content_type="application/json",
    )
    assert revoked.status_code == 200 and revoked.json()["state"] == "revoked"
    twice = client.post(
        f"/api/v1/sharing/agreements/{pk}/revoke",
        {"reason": "Hết thời hạn hợp tác"},
        content_type="application/json",
    )
    assert twice.status_code == 409
    assert [a["number"] for a in client.get("/api/v1/sharing/agreements").json()] == ["07/TT-BHXH"]
