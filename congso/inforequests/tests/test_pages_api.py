"""Pages and the JSON API: the public section, filing (page and API, anonymous and signed in), bad input
gets a clear 4xx and writes nothing, the requester's own pages, officials of another agency and other
citizens are refused, the answer file is served only to the requester and the agency."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from congso.core.api_testing import assert_matches_schema
from congso.directory.testing import login_verified
from congso.inforequests import services
from congso.inforequests.models import InfoRequest, Status
from congso.inforequests.testing import request_data

from .conftest import pdf_bytes

pytestmark = pytest.mark.django_db


def filed(world, **extra):
    return services.submit(request_data(world, **extra), actor=world.users["citizen"], ip="198.51.100.1")


def test_public_section_lists_disclosure_and_statistics(world):
    services.save_disclosure_item(
        actor=world.users["sysadmin"],
        agency=world.agencies["pleiku_pc"].code,
        category="ngan-sach",
        title="Dự toán ngân sách phường năm 2026",
        url="https://pleiku.gialai.gov.vn/ngan-sach",
    )
    filed(world)
    anon = Client()
    home = anon.get("/tiep-can-thong-tin/").content.decode()
    assert "Ủy ban nhân dân phường Pleiku" in home and "Yêu cầu nhận được" in home
    page = anon.get(f"/tiep-can-thong-tin/co-quan/{world.agencies['pleiku_pc'].code}/").content.decode()
    assert "Dự toán ngân sách phường năm 2026" in page and "Điều 17 khoản 1 điểm đ" in page
    assert "Nguyễn Văn An" not in page and "064090001234" not in home + page  # anonymised
    assert anon.get("/tiep-can-thong-tin/co-quan/KHONG.CO/").status_code == 404
    api = anon.get(f"/api/v1/info-requests/agencies/{world.agencies['pleiku_pc'].code}/disclosure")
    assert api.status_code == 200 and assert_matches_schema(api)
    assert any(g["items"] for g in api.json())
    stats = anon.get("/api/v1/info-requests/stats")
    assert stats.status_code == 200 and stats.json()["total"] == 1 and "name" not in json.dumps(stats.json())
    for path in ("grounds", "time-limits", "categories", "agencies"):
        resp = anon.get(f"/api/v1/info-requests/{path}")
        assert resp.status_code == 200 and resp.json()
        assert_matches_schema(resp)


def test_file_from_the_page_signed_in_then_read_own_requests(world, client):
    client.force_login(world.users["citizen"])
    form = client.get("/tiep-can-thong-tin/gui-yeu-cau/").content.decode()
    assert "064090001234" in form  # prefilled from the citizen's profile
    resp = client.post("/tiep-can-thong-tin/gui-yeu-cau/", request_data(world))
    req = InfoRequest.objects.get()
    assert resp.status_code == 302 and resp["Location"] == f"/tiep-can-thong-tin/yeu-cau/{req.code}/"
    page = client.get(resp["Location"]).content.decode()
    assert req.information in page and "Đã tiếp nhận" in page
    assert req.code in client.get("/tiep-can-thong-tin/cua-toi/").content.decode()
    other = Client()
    other.force_login(world.users["elder"])
    assert other.get(resp["Location"]).status_code == 404
    assert req.code not in other.get("/tiep-can-thong-tin/cua-toi/").content.decode()
    assert Client().get(resp["Location"]).status_code == 404


def test_page_refuses_missing_fields_with_messages_and_writes_nothing(world, client):
    resp = client.post(
        "/tiep-can-thong-tin/gui-yeu-cau/", request_data(world, id_number="", information="", form="")
    )
    body = resp.content.decode()
    assert resp.status_code == 400
    assert "Vui lòng nhập số căn cước công dân" in body and "Vui lòng chọn hình thức" in body
    assert "Vui lòng nhập thông tin yêu cầu cung cấp" in body
    assert not InfoRequest.objects.exists()


def test_anonymous_page_filing_goes_to_the_private_link(world, client):
    resp = client.post("/tiep-can-thong-tin/gui-yeu-cau/", request_data(world))
    req = InfoRequest.objects.get()
    assert resp.status_code == 302 and resp["Location"].endswith(f"?ma={req.access_token}")
    assert client.get(resp["Location"]).status_code == 200
    assert client.get(f"/tiep-can-thong-tin/yeu-cau/{req.code}/?ma=sai").status_code == 404


def test_api_anonymous_filing_bad_input_and_rate_limit(world, client, settings):
    resp = client.post("/api/v1/info-requests/requests", request_data(world), content_type="application/json")
    assert resp.status_code == 201
    body = assert_matches_schema(resp)
    token_url = body["access_url"]
    req = InfoRequest.objects.get()
    assert req.requester is None and token_url.endswith(req.access_token)
    got = client.get(f"/api/v1/info-requests/requests/{req.code}?token={req.access_token}")
    assert got.status_code == 200 and got.json()["status"] == "received" and "id_number" not in got.json()
    assert client.get(f"/api/v1/info-requests/requests/{req.code}?token=x").status_code == 404
    bad = client.post(
        "/api/v1/info-requests/requests",
        request_data(world, id_number="0123", purpose=""),
        content_type="application/json",
    )
    assert bad.status_code == 400
    assert set(bad.json()["errors"]) >= {"id_number", "purpose"} and "CCCD" in bad.json()["detail"]
    assert InfoRequest.objects.count() == 1
    settings.CONGSO_INFOREQUESTS_PER_IP = 1
    limited = client.post(
        "/api/v1/info-requests/requests", request_data(world), content_type="application/json"
    )
    assert limited.status_code == 429 and InfoRequest.objects.count() == 1


def test_api_requester_and_staff_flow_with_file(world):
    citizen = Client()
    login_verified(citizen, world.users["citizen"])
    resp = citizen.post(
        "/api/v1/info-requests/my-requests", request_data(world), content_type="application/json"
    )
    assert resp.status_code == 201
    code = resp.json()["code"]
    assert [r["code"] for r in citizen.get("/api/v1/info-requests/my-requests").json()["items"]] == [code]

    officer = Client()
    login_verified(officer, world.users["ward_officer"])
    inbox = officer.get("/api/v1/info-requests/inbox")
    assert inbox.status_code == 200 and [r["code"] for r in inbox.json()["items"]] == [code]
    staff = officer.get(f"/api/v1/info-requests/staff/{code}")
    assert staff.status_code == 200 and staff.json()["id_number"] == "064090001234"
    assert set(staff.json()["actions"]) == {"accept", "extend", "answer", "refuse"}
    done = officer.post(
        f"/api/v1/info-requests/staff/{code}/actions",
        {"action": "answer", "note": "Gửi Ông/Bà quyết định.", "file": _pdf()},
    )
    assert done.status_code == 200 and done.json()["status"] == "answered"
    mine = citizen.get(f"/api/v1/info-requests/my-requests/{code}").json()
    assert mine["answer"] == "Gửi Ông/Bà quyết định." and mine["answer_file"]
    assert citizen.get(mine["answer_file"]).status_code == 200
    assert officer.get(mine["answer_file"]).status_code == 200
    nosy = Client()
    login_verified(nosy, world.users["elder"])
    assert nosy.get(mine["answer_file"]).status_code == 404
    assert nosy.get(f"/api/v1/info-requests/my-requests/{code}").status_code == 404


def _pdf():
    return SimpleUploadedFile("qd.pdf", pdf_bytes(), content_type="application/pdf")


def test_another_agencys_official_is_refused_on_pages_and_api(world):
    req = filed(world)
    other = Client()
    login_verified(other, world.users["iagrai_officer"])
    assert other.get(f"/tiep-can-thong-tin/xu-ly/{req.code}/").status_code == 404
    assert other.post(f"/tiep-can-thong-tin/xu-ly/{req.code}/", {"action": "accept"}).status_code == 404
    assert other.get(f"/api/v1/info-requests/staff/{req.code}").status_code == 404
    resp = other.post(f"/api/v1/info-requests/staff/{req.code}/actions", {"action": "accept"})
    assert resp.status_code == 404
    assert req.code not in json.dumps(other.get("/api/v1/info-requests/inbox").json())
    citizen = Client()
    login_verified(citizen, world.users["citizen"])
    assert citizen.get("/tiep-can-thong-tin/xu-ly/").status_code == 403
    assert citizen.get("/api/v1/info-requests/inbox").status_code == 403
    assert (
        citizen.post(f"/api/v1/info-requests/staff/{req.code}/actions", {"action": "accept"}).status_code
        == 404
    )
    assert InfoRequest.objects.get(pk=req.pk).status == Status.RECEIVED


def test_staff_page_actions_and_refusal_message(world):
    req = filed(world)
    officer = Client()
    login_verified(officer, world.users["ward_officer"])
    page = officer.get(f"/tiep-can-thong-tin/xu-ly/{req.code}/").content.decode()
    assert "064090001234" in page and "Gia hạn" in page
    bad = officer.post(f"/tiep-can-thong-tin/xu-ly/{req.code}/", {"action": "refuse", "note": "Không."})
    assert bad.status_code == 400 and "Cần nhập lý do" in bad.content.decode()
    ok = officer.post(
        f"/tiep-can-thong-tin/xu-ly/{req.code}/",
        {"action": "refuse", "reason": "bi-mat-cong-tac", "note": "Tài liệu nội bộ, không được tiếp cận."},
    )
    assert ok.status_code == 302
    assert InfoRequest.objects.get(pk=req.pk).status == Status.REFUSED


def test_disclosure_editor_is_for_the_agencys_admin(world):
    admin = Client()
    login_verified(admin, world.users["commune_admin"])
    code = world.agencies["iagrai_pc"].code
    assert admin.get("/tiep-can-thong-tin/quan-ly-danh-muc/").status_code == 200
    resp = admin.post(
        "/tiep-can-thong-tin/quan-ly-danh-muc/",
        {"agency": code, "category": "ngan-sach", "title": "Dự toán ngân sách xã 2026"},
    )
    assert resp.status_code == 302
    assert (
        admin.post(
            "/tiep-can-thong-tin/quan-ly-danh-muc/",
            {"agency": world.agencies["pleiku_pc"].code, "category": "ngan-sach", "title": "Trang xã khác"},
        ).status_code
        == 403
    )
    api = admin.post(
        f"/api/v1/info-requests/agencies/{world.agencies['pleiku_pc'].code}/disclosure",
        {"category": "ngan-sach", "title": "Trang xã khác"},
        content_type="application/json",
    )
    assert api.status_code == 403
    citizen = Client()
    login_verified(citizen, world.users["citizen"])
    assert citizen.get("/tiep-can-thong-tin/quan-ly-danh-muc/").status_code == 403
