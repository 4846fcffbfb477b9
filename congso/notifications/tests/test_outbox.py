"""Failures are visible to system administrators (page, API, admin) and to nobody else; "send again"."""

import pytest
from django.core import mail
from django.core.management import call_command

from congso.core.models import AuditEntry
from congso.directory.testing import login_verified
from congso.notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def failed(agencies):
    return Notification.objects.create(
        channel="email",
        address="tran.binh@example.vn",
        event="received",
        subject="Hồ sơ H21.23575-270301-0001 đã được tiếp nhận",
        body="Kính gửi Trần Bình",
        status="given_up",
        attempts=5,
        last_error="SMTPServerDisconnected: Connection unexpectedly closed",
    )


@pytest.fixture
def sent(agencies):
    return Notification.objects.create(
        channel="sms", address="0905999888", event="received", body="Da gui", status="sent", attempts=1
    )


def test_sysadmin_sees_failures_with_filters(client, sysadmin, failed, sent):
    login_verified(client, sysadmin)
    page = client.get("/thong-bao/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "SMTPServerDisconnected" in html and "tr***@example.vn" in html
    assert "tran.binh@example.vn" not in html  # addresses are masked in lists
    assert "09******88" not in html  # sent ones are not problems
    assert "09******88" in client.get("/thong-bao/?status=sent").content.decode()
    assert "SMTPServerDisconnected" not in client.get("/thong-bao/?channel=sms&status=all").content.decode()


@pytest.mark.parametrize("who", ["citizen", "clerk", "leader"])
def test_others_are_refused(client, who, staff, citizen, failed):
    user = citizen if who == "citizen" else staff[who]
    login_verified(client, user) if who != "citizen" else client.force_login(user)
    assert client.get("/thong-bao/").status_code == 403
    assert client.post(f"/thong-bao/{failed.pk}/gui-lai/").status_code in (302, 403)
    failed.refresh_from_db()
    assert failed.status == "given_up"
    assert client.get("/api/v1/notifications/").status_code == 403
    assert client.post(f"/api/v1/notifications/{failed.pk}/resend").status_code == 403


def test_anonymous_is_sent_to_login(client, failed):
    assert client.get("/thong-bao/").status_code == 302
    assert client.get("/api/v1/notifications/").status_code == 401


def test_send_again_from_the_page(client, sysadmin, failed, django_capture_on_commit_callbacks):
    login_verified(client, sysadmin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/thong-bao/{failed.pk}/gui-lai/", {"next": "/thong-bao/?status=all"})
    assert response.status_code == 302 and response["Location"] == "/thong-bao/?status=all"
    failed.refresh_from_db()
    assert (failed.status, failed.attempts) == ("sent", 1)
    assert mail.outbox[0].to == ["tran.binh@example.vn"]

    assert AuditEntry.objects.filter(action="notifications.resend", actor_id=sysadmin.pk).exists()


def test_a_sent_notice_is_not_sent_again(client, sysadmin, sent):
    login_verified(client, sysadmin)
    response = client.post(f"/api/v1/notifications/{sent.pk}/resend")
    assert response.status_code == 409 and "đã được gửi thành công" in response.json()["detail"]


def test_api_lists_and_resends(client, sysadmin, failed, sent, django_capture_on_commit_callbacks):
    login_verified(client, sysadmin)
    body = client.get("/api/v1/notifications/").json()
    assert body["count"] == 1 and body["items"][0]["id"] == failed.pk
    assert body["items"][0]["address"] == "tr***@example.vn" and body["items"][0]["status"] == "given_up"
    assert client.get("/api/v1/notifications/?status=all").json()["count"] == 2
    assert client.get(f"/api/v1/notifications/{sent.pk}").json()["status"] == "sent"
    assert client.get("/api/v1/notifications/999999").status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/api/v1/notifications/{failed.pk}/resend")
    assert response.status_code == 200 and response.json()["status"] == "queued"
    failed.refresh_from_db()
    assert failed.status == "sent"


def test_django_admin_lists_and_sends_again(admin_client, failed, django_capture_on_commit_callbacks):
    assert admin_client.get("/quan-tri-he-thong/notifications/notification/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            "/quan-tri-he-thong/notifications/notification/",
            {"action": "send_again", "_selected_action": [failed.pk]},
        )
    failed.refresh_from_db()
    assert failed.status == "sent"


def test_retry_command(failed, capsys):
    Notification.objects.filter(pk=failed.pk).update(status="failed", next_attempt_at="2020-01-01T00:00Z")
    call_command("notifications", "retry", "--inline")
    assert "1 notification(s) sent." in capsys.readouterr().out
    failed.refresh_from_db()
    assert failed.status == "sent"
    call_command("notifications", "retry")
    assert "0 notification(s) enqueued." in capsys.readouterr().out
