"""Pages and the JSON API: the public board masks identity, staff outside the handling agencies never see
it, bad input gets a clear 4xx and writes nothing, the rating is the reporter's."""

import pytest
from django.test import Client

from congso.core.models import AuditEntry
from congso.directory.testing import login_verified

from .. import services
from ..models import Report, Status
from .conftest import jpeg_with_gps, pothole

pytestmark = pytest.mark.django_db


def accepted(world, **extra):
    r = services.submit(pothole(world, **extra), actor=world.users["citizen"], ip="10.1.0.1")
    return services.act(r.code, "accept", actor=world.users["ward_officer"])


def test_report_from_the_page_with_a_photo_then_board_and_page(world, client):
    client.force_login(world.users["citizen"])
    page = client.get("/phan-anh/gui/")
    assert page.status_code == 200 and 'name="website"' in page.content.decode()
    data = pothole(world)
    data["photos"] = [jpeg_with_gps()]
    resp = client.post("/phan-anh/gui/", data)
    assert resp.status_code == 302
    report = Report.objects.get()
    assert report.media.count() == 1 and report.agency == world.agencies["pleiku_pc"]
    services.act(report.code, "accept", actor=world.users["ward_officer"])
    anon = Client()
    board = anon.get("/phan-anh/?q=o ga hung vuong").content.decode()
    assert report.title in board
    detail = anon.get(f"/phan-anh/{report.code}/").content.decode()
    assert "Nguyễn V. A." in detail and "Nguyễn Văn An" not in detail
    assert "0905123456" not in detail and "nguyen.van.an@example.vn" not in detail
    assert anon.get(f"/phan-anh/anh/{report.media.get().pk}/").status_code == 200


def test_duplicates_are_shown_before_submitting(world, client):
    accepted(world)
    resp = client.post("/phan-anh/gui/", pothole(world, title="Ổ gà trước 120 Hùng Vương rất nguy hiểm"))
    assert resp.status_code == 200 and "Có thể sự việc này đã được phản ánh" in resp.content.decode()
    assert Report.objects.count() == 1
    resp = client.post("/phan-anh/gui/", {**pothole(world), "confirm": "1"})
    assert resp.status_code == 302 and Report.objects.count() == 2


def test_page_refuses_bad_input_with_a_message(world, client):
    resp = client.post("/phan-anh/gui/", pothole(world, title="<b>hi</b> there", lat="10.77", lon="106.70"))
    body = resp.content.decode()
    assert resp.status_code == 400 and "không được chứa mã HTML" in body and "nằm ngoài địa bàn" in body
    assert not Report.objects.exists()


def test_not_public_report_and_identity_hidden_from_other_staff(world, client):
    r = accepted(world, is_public="0")
    assert Client().get(f"/phan-anh/{r.code}/").status_code == 404
    login_verified(client, world.users["officer"])  # Sở Tư pháp: not involved
    assert client.get(f"/phan-anh/xu-ly/{r.code}/").status_code == 404
    assert client.get(f"/api/v1/feedback/staff/{r.code}").status_code == 404
    ward = Client()
    login_verified(ward, world.users["ward_officer"])
    page = ward.get(f"/phan-anh/xu-ly/{r.code}/").content.decode()
    assert "Nguyễn Văn An" in page and "0905123456" in page
    assert AuditEntry.objects.filter(
        action="feedback.view_identity", actor_id=world.users["ward_officer"].pk
    ).exists()


def test_staff_pages_walk_the_handling(world, client):
    r = services.submit(pothole(world), actor=world.users["citizen"], ip="10.1.0.2")
    login_verified(client, world.users["ward_officer"])
    inbox = client.get("/phan-anh/xu-ly/").content.decode()
    assert r.code in inbox
    assert client.post(f"/phan-anh/xu-ly/{r.code}/", {"action": "accept"}).status_code == 302
    assert client.post(f"/phan-anh/xu-ly/{r.code}/", {"action": "draft", "note": ""}).status_code == 400
    assert (
        client.post(f"/phan-anh/xu-ly/{r.code}/", {"action": "draft", "note": "Phường đã vá."}).status_code
        == 302
    )
    leader = Client()
    login_verified(leader, world.users["ward_leader"])
    assert leader.post(f"/phan-anh/xu-ly/{r.code}/", {"action": "approve"}).status_code == 302
    assert Report.objects.get().status == Status.ANSWERED
    citizen = Client()
    citizen.force_login(world.users["citizen"])
    assert citizen.post(f"/phan-anh/{r.code}/danh-gia/", {"rating": "satisfied"}).status_code == 302
    assert Report.objects.get().status == Status.CLOSED


def test_staff_entry_page_and_bulk_dispatch(world, client):
    login_verified(client, world.users["ward_leader"])
    data = pothole(world, channel="in_person", name="Bà Hoa", phone="", email="")
    resp = client.post("/phan-anh/xu-ly/nhap/", data)
    assert resp.status_code == 302
    r = Report.objects.get()
    assert r.channel == "in_person" and r.entered_by == world.users["ward_leader"]
    resp = client.post("/phan-anh/xu-ly/", {"codes": [r.code], "agency": world.agencies["construction"].code})
    assert resp.status_code == 302
    assert Report.objects.get().agency == world.agencies["construction"]


def test_admin_page_saves_categories_and_rules(world, client):
    login_verified(client, world.users["sysadmin"])
    assert client.get("/phan-anh/quan-tri/").status_code == 200
    client.post(
        "/phan-anh/quan-tri/",
        {
            "what": "category",
            "code": "chieu-sang",
            "name": "Chiếu sáng công cộng",
            "parent": "giao-thong",
            "answer_days": "5",
        },
    )
    client.post(
        "/phan-anh/quan-tri/",
        {
            "what": "rule",
            "category": "chieu-sang",
            "agency": world.agencies["iagrai_pc"].code,
            "unit": world.units["iagrai"].code,
        },
    )
    r = services.submit(pothole(world, category="chieu-sang", unit=world.units["iagrai"].code), ip="10.1.0.3")
    assert r.agency == world.agencies["iagrai_pc"] and r.category.answer_days == 5
    resp = client.post(
        "/phan-anh/quan-tri/", {"what": "category", "code": "x", "name": "X", "answer_days": "99"}
    )
    assert resp.status_code == 400
    citizen = Client()
    citizen.force_login(world.users["citizen"])
    assert citizen.get("/phan-anh/quan-tri/").status_code == 403


def test_api_report_read_rate(world, client):
    resp = client.post("/api/v1/feedback/reports", {**pothole(world), "photos": [jpeg_with_gps()]})
    assert resp.status_code == 201, resp.content
    code = resp.json()["code"]
    assert Client().get(f"/api/v1/feedback/reports/{code}").status_code == 404  # not accepted yet
    services.act(code, "accept", actor=world.users["ward_officer"])
    body = Client().get(f"/api/v1/feedback/reports/{code}").json()
    assert body["reporter"] == "Nguyễn V. A." and len(body["photos"]) == 1
    assert "phone" not in body and "0905123456" not in str(body)
    listing = Client().get("/api/v1/feedback/reports?unit=23575").json()
    assert [r["code"] for r in listing["items"]] == [code] and listing["next_offset"] is None
    bad = client.post("/api/v1/feedback/reports", pothole(world, category="khong-co"))
    assert bad.status_code == 404
    bad = client.post(
        "/api/v1/feedback/reports",
        {
            **pothole(world),
            "photos": [
                __import__("django.core.files.uploadedfile", fromlist=["x"]).SimpleUploadedFile(
                    "a.jpg", b"GIF89a fake"
                )
            ],
        },
    )
    assert bad.status_code == 400 and "photos" in bad.json()["errors"]
    assert Report.objects.count() == 1


def test_api_rating_only_by_the_reporter(world):
    r = accepted(world)
    services.act(r.code, "draft", actor=world.users["ward_officer"], note="Đã vá.")
    services.act(r.code, "approve", actor=world.users["ward_leader"])
    other = Client()
    other.force_login(world.users["elder"])
    resp = other.post(
        f"/api/v1/feedback/reports/{r.code}/rating",
        {"rating": "unsatisfied"},
        content_type="application/json",
    )
    assert resp.status_code == 403
    assert Report.objects.get().status == Status.ANSWERED
    me = Client()
    me.force_login(world.users["citizen"])
    resp = me.post(
        f"/api/v1/feedback/reports/{r.code}/rating",
        {"rating": "unsatisfied"},
        content_type="application/json",
    )
    assert resp.status_code == 200 and resp.json()["status"] == "processing"


def test_api_stats(world, client):
    accepted(world)
    login_verified(client, world.users["ioc_viewer"])
    resp = client.get("/api/v1/feedback/stats?unit=52&start=2020-01-01&end=2099-12-31")
    assert resp.status_code == 200 and resp.json()["total"] == 1
    citizen = Client()
    citizen.force_login(world.users["citizen"])
    assert citizen.get("/api/v1/feedback/stats?start=2020-01-01&end=2099-12-31").status_code == 403


def test_map_only_with_a_tile_server_and_leaflet_is_served_locally(world, client, settings):
    from django.contrib.staticfiles import finders

    r = accepted(world)
    page = client.get(f"/phan-anh/{r.code}/").content.decode()
    assert "leaflet" not in page and "120 Hùng Vương, phường Pleiku" in page  # by commune and address
    settings.CONGSO_FEEDBACK_TILE_URL = "https://tiles.gialai.gov.vn/{z}/{x}/{y}.png"
    page = client.get(f"/phan-anh/{r.code}/").content.decode()
    assert "/static/xstatic/leaflet/leaflet.js" in page and 'data-tiles="https://tiles.gialai.gov.vn' in page
    assert finders.find("xstatic/leaflet/leaflet.js") and finders.find("feedback/map.js")


def test_an_answer_awaiting_approval_is_still_being_processed_for_the_public(world):
    r = accepted(world)
    services.act(r.code, "draft", actor=world.users["ward_officer"], note="Đã vá ổ gà ngày 05/03/2027.")
    assert Report.objects.get(pk=r.pk).status == Status.DRAFTED
    anon = Client()
    for page in (anon.get("/phan-anh/?q=o ga hung vuong"), anon.get(f"/phan-anh/{r.code}/")):
        body = page.content.decode()
        assert "Đang xử lý" in body and "Chờ lãnh đạo duyệt trả lời" not in body
    body = anon.get(f"/api/v1/feedback/reports/{r.code}").json()
    assert body["status"] == "processing" and body["status_label"] == "Đang xử lý"
    assert body["answer"] == ""  # the draft answer is not shown before approval
