"""Every citizen-facing change writes the applicant's notices in its transaction and sends them after commit."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.db import transaction

from congso.core.errors import ServiceError
from congso.core.statemachine import TransitionError
from congso.directory.testing import login_verified
from congso.dossiers import services
from congso.dossiers.models import Channel, Dossier
from congso.dossiers.services import Applicant, Upload
from congso.dossiers.testing import advance
from congso.dossiers.tests.conftest import pdf, vn
from congso.notifications.models import Notification
from congso.notifications.services import notify, send

pytestmark = pytest.mark.django_db


def counter(staff, agencies, procedure_version, applicant, **kw):
    return services.receive(
        actor=staff["clerk"],
        agency=agencies["ward"],
        procedure_version=procedure_version,
        channel=Channel.IN_PERSON,
        applicant=applicant,
        accept_now=True,
        **kw,
    )


def online(citizen, agencies, procedure_version, applicant):
    return services.receive(
        actor=citizen,
        agency=agencies["ward"],
        procedure_version=procedure_version,
        channel=Channel.ONLINE,
        applicant=applicant,
    )


def rows(dossier, event):
    return list(Notification.objects.filter(dossier=dossier, event=event).order_by("channel"))


def test_counter_receipt_sends_email_and_sms_with_code_and_appointment(
    staff, agencies, procedure_version, applicant, sms_outbox, django_capture_on_commit_callbacks
):
    with (
        time_machine.travel(vn(2027, 3, 1, 8, 0), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        d = counter(staff, agencies, procedure_version, applicant)
    email, sms = rows(d, "received")
    assert (email.channel, email.address, email.status) == ("email", "an.nguyen@example.vn", "sent")
    assert (sms.channel, sms.address, sms.status) == ("sms", "0905123456", "sent")
    assert email.attempts == sms.attempts == 1 and email.sent_at and sms.provider == "sms:locmem"
    assert not rows(d, "submitted")  # the applicant was at the counter
    (message,) = mail.outbox
    assert message.to == ["an.nguyen@example.vn"]
    assert message.subject == f"Hồ sơ {d.code} đã được tiếp nhận, hẹn trả kết quả 04/03/2027"
    assert "Ngày hẹn trả kết quả: 17 giờ 00 phút, ngày 04/03/2027" in message.body
    assert "Thủ tục đăng ký khai sinh" in message.body and "Kính gửi Nguyễn Văn An" in message.body
    (text,) = sms_outbox
    assert text["to"] == "0905123456" and d.code in text["text"] and "04/03/2027" in text["text"]
    assert text["text"].isascii() and len(text["text"]) <= 160
    assert "tiep nhan" in text["text"]


def test_online_submission_then_acceptance(
    staff, citizen, agencies, procedure_version, applicant, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        d = online(citizen, agencies, procedure_version, applicant)
    assert [n.event for n in Notification.objects.filter(dossier=d)] == ["submitted", "submitted"]
    assert "Đã nhận hồ sơ trực tuyến" in mail.outbox[0].subject
    with django_capture_on_commit_callbacks(execute=True):
        services.accept(d.pk, actor=staff["clerk"])
    assert len(rows(d, "received")) == 2 and len(mail.outbox) == 2


def test_each_event_has_its_own_words(
    staff, citizen, agencies, procedure_version, applicant, sms_outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        d = counter(staff, agencies, procedure_version, applicant)
        services.request_supplement(
            d.pk,
            actor=staff["clerk"],
            reason="Thiếu giấy chứng sinh bản chính",
            missing=["Giấy chứng sinh (bản chính)"],
        )
        services.submit_supplement(d.pk, actor=citizen, uploads=[Upload("Giấy chứng sinh", pdf(), "gcs.pdf")])
        services.request_payment(
            d.pk, actor=staff["clerk"], amount=150000, description="Lệ phí đăng ký khai sinh"
        )
        services.record_payment(d.pk, actor=staff["clerk"], channel="counter")
        for who in ("officer", "leader", "leader"):
            advance(d.pk, actor=staff[who])
        services.issue_result(
            d.pk,
            actor=staff["clerical"],
            number="125/GKS",
            title="Giấy khai sinh",
            upload=Upload("Kết quả", pdf(), "gks.pdf"),
        )
        services.return_result(d.pk, actor=staff["clerk"])
    events = list(
        Notification.objects.filter(dossier=d, channel="email").order_by("id").values_list("event", flat=True)
    )
    assert events == ["received", "supplement_requested", "payment_requested", "result_ready"]
    assert not Notification.objects.exclude(status="sent").exists()
    by_subject = {m.subject: m.body for m in mail.outbox}
    supplement = by_subject[f"Yêu cầu bổ sung, hoàn thiện hồ sơ {d.code}"]
    assert "- Giấy chứng sinh (bản chính)" in supplement and "Thiếu giấy chứng sinh bản chính" in supplement
    payment = by_subject[f"Thông báo nộp phí, lệ phí cho hồ sơ {d.code}"]
    assert "Số tiền: 150.000 đồng" in payment and "Lệ phí đăng ký khai sinh" in payment
    result = by_subject[f"Hồ sơ {d.code} đã có kết quả"]
    assert "Giấy khai sinh, số 125/GKS" in result and f"/danh-gia/{d.code}/" in result
    texts = [m["text"] for m in sms_outbox]
    assert len(texts) == 4 and all(t.isascii() and len(t) <= 160 for t in texts), [len(t) for t in texts]
    assert "150.000 dong" in texts[2] and "danh gia" in texts[3]


@pytest.mark.parametrize(
    ("action", "event", "subject"),
    [
        ("refuse", "refused", "Thông báo từ chối tiếp nhận hồ sơ"),
        ("withdraw", "withdrawn", "Xác nhận rút hồ sơ"),
        ("stop", "stopped", "Thông báo dừng giải quyết hồ sơ"),
    ],
)
def test_endings_are_notified(
    action,
    event,
    subject,
    staff,
    citizen,
    agencies,
    procedure_version,
    applicant,
    django_capture_on_commit_callbacks,
):
    d = online(citizen, agencies, procedure_version, applicant)
    if action == "stop":
        services.accept(d.pk, actor=staff["clerk"])
    actor = {"refuse": staff["clerk"], "withdraw": citizen, "stop": staff["leader"]}[action]
    with django_capture_on_commit_callbacks(execute=True):
        getattr(services, action)(d.pk, actor=actor, reason="Hồ sơ không thuộc thẩm quyền giải quyết")
    (message,) = mail.outbox
    assert message.subject == f"{subject} {d.code}"
    assert "Hồ sơ không thuộc thẩm quyền giải quyết" in message.body
    assert len(rows(d, event)) == 2


def test_apology_sms_keeps_the_new_date(
    staff, agencies, procedure_version, applicant, sms_outbox, django_capture_on_commit_callbacks
):
    with time_machine.travel(vn(2027, 3, 1, 8, 0), tick=False):
        d = counter(staff, agencies, procedure_version, applicant)
    with (
        time_machine.travel(vn(2027, 3, 3, 10, 0), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.extend(d.pk, actor=staff["leader"], reason="Chờ xác minh", new_due=vn(2027, 3, 10, 17, 0))
    (text,) = sms_outbox
    assert (
        "xin loi" in text["text"]
        and "17 gio 00 phut, ngay 10/03/2027" in text["text"]
        and len(text["text"]) <= 160
    )


def test_sms_with_diacritics_when_configured(
    settings, staff, agencies, procedure_version, applicant, sms_outbox, django_capture_on_commit_callbacks
):
    settings.CONGSO_SMS_ASCII = False
    with django_capture_on_commit_callbacks(execute=True):
        counter(staff, agencies, procedure_version, applicant)
    assert "đã được tiếp nhận" in sms_outbox[0]["text"]


def test_no_address_means_no_notice(staff, agencies, procedure_version, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        d = counter(staff, agencies, procedure_version, Applicant(name="Rơ Mah Blơi"))
    assert not Notification.objects.filter(dossier=d).exists() and not mail.outbox


def test_account_details_when_the_dossier_has_none(
    staff, agencies, procedure_version, citizen, django_capture_on_commit_callbacks
):
    citizen.email, citizen.phone = "an.tk@example.vn", "0912 345 678"
    citizen.save()
    with django_capture_on_commit_callbacks(execute=True):
        d = counter(staff, agencies, procedure_version, Applicant(name="Nguyễn Văn An", user=citizen))
    assert {(n.channel, n.address, n.recipient_id) for n in rows(d, "received")} == {
        ("email", "an.tk@example.vn", citizen.pk),
        ("sms", "0912345678", citizen.pk),
    }


def test_invalid_phone_gets_no_sms(staff, agencies, procedure_version, django_capture_on_commit_callbacks):
    # The counter refuses such a number now (core.validation, ADR 0147); dossiers received before keep
    # what was typed, and get no SMS.
    with pytest.raises(ServiceError, match="Số điện thoại không đúng"):
        counter(staff, agencies, procedure_version, Applicant(name="Lê Văn Bình", phone="không có"))
    d = counter(staff, agencies, procedure_version, Applicant(name="Lê Văn Bình"))
    Dossier.objects.filter(pk=d.pk).update(applicant_phone="không có")
    d.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        notify(d, "received")
    assert not Notification.objects.filter(dossier=d, channel="sms").exists()


def test_rolled_back_change_writes_and_sends_nothing(
    staff, citizen, agencies, procedure_version, applicant, django_capture_on_commit_callbacks
):
    d = online(citizen, agencies, procedure_version, applicant)
    before = Notification.objects.count()
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError):
        with transaction.atomic():
            services.accept(d.pk, actor=staff["clerk"])
            assert Notification.objects.filter(dossier=d, event="received").count() == 2
            raise RuntimeError("the caller's transaction fails after the change")
    assert Notification.objects.count() == before and not callbacks and not mail.outbox


def test_refused_transition_writes_no_notice(staff, citizen, agencies, procedure_version, applicant):
    d = online(citizen, agencies, procedure_version, applicant)
    before = Notification.objects.count()
    with pytest.raises(TransitionError):
        services.refuse(d.pk, actor=staff["clerk"], reason=" ")
    assert Notification.objects.count() == before


def test_nothing_is_sent_inside_the_request(
    settings,
    client,
    staff,
    citizen,
    agencies,
    procedure_version,
    applicant,
    django_capture_on_commit_callbacks,
):
    """With a task backend that only records jobs, the clerk's request leaves queued rows and no mail."""
    from django_tasks import default_task_backend

    d = online(citizen, agencies, procedure_version, applicant)
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    login_verified(client, staff["clerk"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/mot-cua/ho-so/{d.code}/thao-tac/accept/", {"expected_version": d.version})
    assert response.status_code == 302
    queued = rows(d, "received")
    assert [n.status for n in queued] == ["queued", "queued"] and not mail.outbox
    jobs = default_task_backend.results
    # one job for the event's email and SMS
    assert [sorted(j.args[0]) for j in jobs] == [sorted(n.pk for n in queued)]
    assert all(j.task.name == "send_notifications" for j in jobs)
    for job in jobs:  # what the worker does later
        for pk in job.args[0]:
            send(pk)
    assert len(mail.outbox) == 1 and {n.status for n in rows(d, "received")} == {"sent"}


def test_a_row_is_sent_once_even_if_two_jobs_run(staff, agencies, procedure_version, applicant):
    d = counter(staff, agencies, procedure_version, applicant)  # on_commit not run: rows stay queued
    email = rows(d, "received")[0]
    assert send(email.pk).status == "sent"
    assert send(email.pk) is None and len(mail.outbox) == 1


def test_due_dates_in_vietnam_time(staff, agencies, procedure_version, applicant):
    with time_machine.travel(vn(2027, 3, 1, 16, 0), tick=False):
        d = counter(staff, agencies, procedure_version, applicant)
    assert d.due_at.astimezone(dt.UTC).hour == 10  # 17:00 in Vietnam
    assert "17 giờ 00 phút" in rows(d, "received")[0].body


@pytest.mark.django_db(transaction=True)
def test_with_the_database_queue_the_jobs_commit_and_roll_back_with_the_notices(
    settings, citizen, agencies, procedure_version, applicant
):
    """The embedded queue keeps jobs in this database: they are written in the filing's transaction (one
    commit, nothing lost between commit and enqueue), and a rolled-back filing leaves neither."""
    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "congso.core.task_backends.DatabaseBackend"}}
    with transaction.atomic():
        d = online(citizen, agencies, procedure_version, applicant)
        queued = rows(d, "submitted")
        assert queued and {n.status for n in queued} == {"queued"}
        # the job is already there, before the commit: one job for the event's notices
        jobs = list(DBTaskResult.objects.all())
        assert [sorted(j.args_kwargs["args"][0]) for j in jobs] == [sorted(n.pk for n in queued)]
        assert jobs[0].task_path.endswith("send_notifications")
    with transaction.atomic():
        online(citizen, agencies, procedure_version, applicant)
        transaction.set_rollback(True)
    assert DBTaskResult.objects.count() == 1  # the rolled-back filing left no job
    assert Notification.objects.count() == len(queued)
    call_command("db_worker", batch=True, interval=0, verbosity=0)  # the worker sends them
    assert {n.status for n in rows(d, "submitted")} == {"sent"} and mail.outbox


def test_a_queue_that_is_down_after_commit_leaves_the_notices_queued(
    settings, staff, agencies, procedure_version, applicant, django_capture_on_commit_callbacks, caplog
):
    """The receipt has committed when the queue is told: a queue that is down is logged, never raised,
    and the notices wait for ``congso notifications retry``."""
    settings.TASKS = {"default": {"BACKEND": "congso.notifications.tests.broken_queue.BrokenQueue"}}
    with django_capture_on_commit_callbacks(execute=True):
        d = counter(staff, agencies, procedure_version, applicant)
    assert Dossier.objects.filter(pk=d.pk).exists()
    assert {n.status for n in rows(d, "received")} == {"queued"} and not mail.outbox
    assert "could not enqueue notifications" in caplog.text
