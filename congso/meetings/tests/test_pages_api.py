"""The pages and the JSON API: the same use cases, the same refusals, nobody else's meeting."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from congso.directory.testing import login_verified
from congso.documents.testing import pdf_bytes
from congso.meetings import services, testing
from congso.meetings.models import Invitee, Meeting, Paper

pytestmark = pytest.mark.django_db


def _client(user):
    c = Client()
    login_verified(c, user)
    return c


def test_schedule_page_refuses_bad_times_then_schedules(world):
    c = _client(world.users["secretary"])
    assert c.get("/hop/").status_code == 200
    assert c.get("/hop/moi/").status_code == 200
    form = {
        "agency": world.agencies["pleiku_pc"].pk,
        "meeting_type": testing.pc_type().pk,
        "title": "Phiên họp thường kỳ",
        "chair": world.users["chair"].pk,
        "secretary": world.users["secretary"].pk,
        "room": world.room.pk,
        "start": "2020-01-01T08:00",
        "end": "2020-01-01T10:00",
    }
    page = c.post("/hop/moi/", form)
    assert page.status_code == 200 and "Thời gian bắt đầu đã qua" in page.content.decode()
    start = timezone.localtime() + dt.timedelta(days=3)
    form |= {
        "start": start.strftime("%Y-%m-%dT%H:%M"),
        "end": (start + dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
    }
    assert c.post("/hop/moi/", form).status_code == 302
    m = Meeting.objects.get()
    assert c.get(f"/hop/{m.pk}/").status_code == 200
    # an officer of the ward may not schedule
    assert _client(world.users["police"]).get("/hop/moi/").status_code == 403


def test_pages_walk_invite_answer_papers_and_check_in(world):
    m, i1, i2 = testing.schedule_session(world, start=timezone.now() + dt.timedelta(hours=1), invite=False)
    sec = _client(world.users["secretary"])
    sec.post(
        f"/hop/{m.pk}/thao-tac/",
        {"action": "invite", "users": [world.users["police"].pk, world.users["chair"].pk]},
    )
    assert Invitee.objects.filter(meeting=m).count() == 2
    sec.post(
        f"/hop/{m.pk}/thao-tac/",
        {
            "action": "attach_paper",
            "item": i1.pk,
            "title": "Phụ lục",
            "file": SimpleUploadedFile("a.pdf", pdf_bytes()),
        },
    )
    assert Paper.objects.filter(item=i1).count() == 2
    sec.post(f"/hop/{m.pk}/thao-tac/", {"action": "publish"})
    police = _client(world.users["police"])
    page = police.get(f"/hop/{m.pk}/").content.decode()
    assert "Phụ lục" in page and "Xác nhận dự họp" in page
    police.post(f"/hop/{m.pk}/thao-tac/", {"action": "respond", "answer": "declined", "reason": ""})
    assert Invitee.objects.get(meeting=m, user=world.users["police"]).answer == "pending"
    token = services.check_in_token(m)
    assert police.get(f"/hop/{m.pk}/diem-danh/{token}/").status_code == 200
    assert police.post(f"/hop/{m.pk}/diem-danh/{token}/").status_code == 302
    assert Invitee.objects.get(meeting=m, user=world.users["police"]).check_in_method == "qr"
    assert police.get(f"/hop/{m.pk}/diem-danh/gia-mao/").status_code == 404
    live = police.get(f"/hop/{m.pk}/truc-tiep/").content.decode()
    assert "Bạn đã điểm danh" in live
    assert "Đăng ký phát biểu" not in live  # the floor opens with the meeting
    services.start_meeting(m, actor=world.users["chair"])
    live = police.get(f"/hop/{m.pk}/truc-tiep/").content.decode()
    assert "Đăng ký phát biểu" in live and "Xin phát biểu" in live
    services.end_meeting(m, actor=world.users["chair"])
    live = police.get(f"/hop/{m.pk}/truc-tiep/").content.decode()
    assert "Đăng ký phát biểu" not in live and "Xin phát biểu" not in live  # nobody asked: no empty queue
    closed_paper = Paper.objects.get(item=i2)
    assert police.get(f"/hop/tai-lieu/{closed_paper.pk}/").status_code == 200
    outsider = _client(world.users["deputy"])  # ward staff, not invited
    assert outsider.get(f"/hop/tai-lieu/{closed_paper.pk}/").status_code == 404
    assert outsider.get(f"/hop/tai-lieu/{closed_paper.pk}/?tai=1").status_code == 404
    assert outsider.get(f"/hop/{m.pk}/").status_code == 404
    assert _client(world.users["leader"]).get(f"/api/v1/meetings/{m.pk}").status_code == 404


def test_api_schedule_vote_and_refusals(world):
    u = world.users
    sec = _client(u["secretary"])
    start = timezone.now() + dt.timedelta(minutes=30)
    body = {
        "agency": world.agencies["pleiku_pc"].code,
        "meeting_type": testing.pc_type().pk,
        "title": "Phiên họp bất thường",
        "chair": u["chair"].username,
        "secretary": u["secretary"].username,
        "start": (start - dt.timedelta(days=1)).isoformat(),
        "end": start.isoformat(),
        "room": world.room.pk,
    }
    bad = sec.post("/api/v1/meetings/", body, content_type="application/json")
    assert bad.status_code == 400 and "start" in bad.json()["errors"]
    body |= {"start": start.isoformat(), "end": (start + dt.timedelta(hours=2)).isoformat()}
    answer = sec.post("/api/v1/meetings/", body, content_type="application/json")
    assert answer.status_code == 201, answer.content
    mid = answer.json()["id"]
    sec.post(
        f"/api/v1/meetings/{mid}/invitees",
        {"users": ["chutich.pleiku", "congan.pleiku"]},
        content_type="application/json",
    )
    item = sec.post(
        f"/api/v1/meetings/{mid}/items", {"title": "Dự toán ngân sách"}, content_type="application/json"
    )
    assert item.status_code == 201
    chair, police = _client(u["chair"]), _client(u["police"])
    assert chair.post(f"/api/v1/meetings/{mid}/start", content_type="application/json").status_code == 200
    chair.post(f"/api/v1/meetings/{mid}/check-in", {}, content_type="application/json")
    opened = chair.post(
        f"/api/v1/meetings/{mid}/votes",
        {"item": item.json()["id"], "secret": True},
        content_type="application/json",
    )
    assert opened.status_code == 201, opened.content
    bid = opened.json()["ballot_id"]
    cast = f"/api/v1/meetings/{mid}/votes/{bid}/cast"
    refused = police.post(cast, {"choice": "agree"}, content_type="application/json")
    assert refused.status_code == 403 and "Điểm danh" in refused.json()["detail"]
    assert chair.post(cast, {"choice": "agree"}, content_type="application/json").status_code == 200
    again = chair.post(cast, {"choice": "agree"}, content_type="application/json")
    assert again.status_code == 409
    live = police.get(f"/api/v1/meetings/{mid}/votes").json()[0]
    assert live["voted"] == 1 and live["counts"] is None  # a secret ballot's counts only once closed
    assert (
        police.post(f"/api/v1/meetings/{mid}/votes/{bid}/close", content_type="application/json").status_code
        == 403
    )
    closed = chair.post(f"/api/v1/meetings/{mid}/votes/{bid}/close", content_type="application/json").json()
    assert closed["status"] == "closed" and closed["counts"]["agree"] == 1
    late = chair.post(cast, {"choice": "agree"}, content_type="application/json")
    assert late.status_code == 409
    stats = chair.get("/api/v1/meetings/stats").json()
    assert stats["pc_meetings_held"] == 0
    assert police.get("/api/v1/meetings/stats").status_code == 403
