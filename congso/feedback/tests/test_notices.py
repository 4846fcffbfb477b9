"""Notices of a report go through the platform's notifications (ADR 0170): a reporter or follower with
an account gets them in "Thông báo của tôi" and by e-mail (by SMS too when the answer is published), a
leader gets a link to the staff page; a reporter without an account, e-mail only, is e-mailed by
``congso feedback notices``."""

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from congso.notifications.models import Notice as PersonNotice
from congso.notifications.models import Notification

from .. import services
from ..models import Notice
from .conftest import pothole

VN = ZoneInfo("Asia/Ho_Chi_Minh")
pytestmark = pytest.mark.django_db


def test_the_reporters_steps_reach_their_notices_and_mail(world):
    u = world.users
    citizen = u["citizen"]
    citizen.phone = "0905123456"
    citizen.save(update_fields=["phone"])
    r = services.submit(pothole(world), actor=citizen, ip="10.0.10.1")
    notice = PersonNotice.objects.get(recipient=citizen, event="feedback.received")
    assert notice.url == f"/phan-anh/{r.code}/" and r.code in notice.subject
    assert Notification.objects.filter(recipient=citizen, event="feedback.received", channel="email").exists()
    assert not Notification.objects.filter(recipient=citizen, channel="sms").exists()
    services.act(r.code, "accept", actor=u["ward_officer"])
    services.act(r.code, "draft", actor=u["ward_officer"], note="Đã vá ổ gà ngày 05/03/2027.")
    services.act(r.code, "approve", actor=u["ward_leader"])
    assert PersonNotice.objects.filter(recipient=citizen, event="feedback.approve").exists()
    assert Notification.objects.filter(recipient=citizen, event="feedback.approve", channel="sms").exists()
    # the report keeps its own record, already handed over: nothing left for the feedback command
    assert not Notice.objects.filter(report=r, user=citizen, sent_at__isnull=True).exists()
    # unsatisfied: reopened, the leader is told with a link to the staff page
    services.rate(r.code, actor=citizen, rating="unsatisfied")
    alert = PersonNotice.objects.get(recipient=u["ward_leader"], event="feedback.reopened")
    assert alert.url == f"/phan-anh/xu-ly/{r.code}/"


def test_a_reporter_without_an_account_is_mailed_by_the_command(world):
    r = services.submit(pothole(world, email="nguoi.dan@example.vn"), ip="10.0.11.1")
    assert not PersonNotice.objects.exists()
    waiting = Notice.objects.get(report=r, kind="received")
    assert waiting.sent_at is None and waiting.email == "nguoi.dan@example.vn"
    mail.outbox.clear()
    call_command("feedback", "notices", stdout=io.StringIO())
    assert [m.to for m in mail.outbox] == [["nguoi.dan@example.vn"]]


def test_escalation_tells_the_leaders_above_through_their_notices(world):
    with time_machine.travel(dt.datetime(2027, 3, 1, 9, 0, tzinfo=VN), tick=False):
        r = services.submit(pothole(world), actor=world.users["citizen"], ip="10.0.12.1")
    with time_machine.travel(dt.datetime(2027, 4, 1, 9, 0, tzinfo=VN), tick=False):
        services.escalate()
    alert = PersonNotice.objects.get(recipient=world.users["province_leader"], event="feedback.overdue")
    assert alert.url == f"/phan-anh/xu-ly/{r.code}/" and r.code in alert.body
