"""Notices to a person (``notify_person``): their own list, email/SMS copies through the outbox, only
what the caller's transaction committed, and nobody reads or marks another person's notices."""

import pytest
from django.core import mail
from django.db import transaction
from django.test import Client

from congso.directory.testing import login_verified
from congso.notifications.models import Notice, Notification
from congso.notifications.services import mark_read, notify_person, unread_count

pytestmark = pytest.mark.django_db(transaction=True)


def invite(user, **extra):
    return notify_person(
        user,
        event="meetings.invited",
        subject="Mời họp: Phiên họp thường kỳ tháng 12 của UBND phường Hội Thương",
        body="Thời gian: 08:00 ngày 10/12/2026, phòng họp số 1.",
        url="/hop/12/",
        **extra,
    )


def test_notice_email_and_sms_are_written_and_sent_after_commit(staff):
    leader = staff["leader"]
    leader.email, leader.phone = "ld.tuan@pleiku.gialai.gov.vn", "0905 123 456"
    leader.save()
    with transaction.atomic():
        rows = invite(leader, sms=True)
        assert not mail.outbox  # nothing leaves before the change commits
    notice, *outbox = rows
    assert isinstance(notice, Notice) and notice.recipient == leader and notice.read_at is None
    assert {n.channel for n in outbox} == {"email", "sms"}
    assert Notification.objects.get(channel="sms").address == "0905123456"
    assert Notification.objects.filter(status="sent").count() == 2
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["ld.tuan@pleiku.gialai.gov.vn"]
    assert "http://" in mail.outbox[0].body and "/hop/12/" in mail.outbox[0].body


def test_no_address_means_only_the_notice_and_rollback_tells_no_one(staff):
    officer = staff["officer"]  # no email, no phone
    assert [type(r) for r in invite(officer, sms=True)] == [Notice]
    with pytest.raises(RuntimeError), transaction.atomic():
        invite(officer)
        raise RuntimeError("the meeting could not be scheduled")
    assert Notice.objects.filter(recipient=officer).count() == 1
    assert not Notification.objects.exists()


def test_own_list_open_marks_read_and_goes_to_the_link(staff):
    leader, officer = staff["leader"], staff["officer"]
    mine = invite(leader)[0]
    theirs = invite(officer)[0]
    client = Client()
    login_verified(client, leader)
    page = client.get("/thong-bao/cua-toi/").content.decode()
    assert "Mời họp: Phiên họp thường kỳ" in page and "Chưa đọc" in page
    assert "Thông báo mới" in page  # an official with unread notices sees them in the work menu
    resp = client.post(f"/thong-bao/cua-toi/{mine.pk}/mo/")
    assert resp.status_code == 302 and resp["Location"] == "/hop/12/"
    assert unread_count(leader) == 0
    # Another person's notice: not found, and untouched.
    resp = client.post(f"/thong-bao/cua-toi/{theirs.pk}/mo/")
    assert resp.status_code == 302 and resp["Location"] == "/thong-bao/cua-toi/"
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_a_link_to_another_host_is_never_followed(staff):
    leader = staff["leader"]
    n = notify_person(leader, event="x", subject="Thử", body="", url="//evil.example/")[0]
    client = Client()
    login_verified(client, leader)
    assert client.post(f"/thong-bao/cua-toi/{n.pk}/mo/")["Location"] == "/thong-bao/cua-toi/"


def test_api_lists_and_marks_only_own_notices(staff, citizen):
    leader = staff["leader"]
    invite(leader)
    invite(leader)
    other = invite(citizen)[0]
    client = Client()
    login_verified(client, leader)
    body = client.get("/api/v1/notifications/mine").json()
    assert body["count"] == 2 and all(i["url"] == "/hop/12/" for i in body["items"])
    assert client.post(f"/api/v1/notifications/mine/{other.pk}/read").status_code == 404
    first = body["items"][0]["id"]
    assert client.post(f"/api/v1/notifications/mine/{first}/read").json() == {"marked": 1, "unread": 1}
    assert client.post("/api/v1/notifications/mine/read-all").json() == {"marked": 1, "unread": 0}
    other.refresh_from_db()
    assert other.read_at is None
    assert mark_read(citizen) == 1


def test_anonymous_is_sent_to_sign_in(db):
    assert Client().get("/thong-bao/cua-toi/").status_code == 302
    assert Client().get("/api/v1/notifications/mine").status_code == 401
