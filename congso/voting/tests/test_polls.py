"""Written polls: sending, answering, reminding, closing at the deadline under the body's rule, and the
signed result; refused cases change nothing."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from congso.core.errors import Conflict, Forbidden, ServiceError
from congso.core.uploads import Upload
from congso.notifications.models import Notice
from congso.signing.verify import verify_pdf
from congso.voting import polls
from congso.voting.models import Ballot, Poll
from congso.voting.testing import seal_for, tiny_pdf

pytestmark = pytest.mark.django_db


def _send(world, **kw):
    args = {
        "body_id": world.body.pk,
        "by": world.users["secretary"],
        "title": "Dự thảo Kế hoạch chuyển đổi số năm 2027",
        "text": "Xin ý kiến các thành viên về dự thảo kế hoạch kèm theo.",
        "deadline": timezone.now() + dt.timedelta(days=3),
    }
    args.update(kw)
    return polls.create_poll(**args)


def test_secretary_sends_members_answer_and_the_deadline_closes(world):
    upload = Upload(
        "attachment", SimpleUploadedFile("du-thao.pdf", tiny_pdf(), "application/pdf"), "du-thao.pdf"
    )
    poll = _send(world, attachment=upload)
    assert poll.ballot.subject == f"voting.poll:{poll.pk}"
    assert poll.ballot.electorate_size == 5
    assert poll.attachment.name.endswith(".pdf")
    polls.answer(poll.pk, user=world.users["member1"], choice="agree")
    polls.answer(poll.pk, user=world.users["member2"], choice="agree")
    polls.answer(
        poll.pk, user=world.users["member3"], choice="other", comment="Bổ sung chỉ tiêu về dữ liệu mở."
    )
    polls.answer(poll.pk, user=world.users["member4"], choice="disagree")
    # member5 never answers: under "ubnd-tap-the" a non-answer is not counted — 2 of 5 is not a majority
    seal_for(world.body.agency)
    done = polls.close_due(now=poll.deadline + dt.timedelta(minutes=1))
    assert done["closed"] == 1 and done["exported"] == 0
    poll.refresh_from_db()
    poll.ballot.refresh_from_db()
    assert poll.ballot.status == Ballot.Status.CLOSED
    result = poll.ballot.result
    assert (result["agree"], result["disagree"], result["other"], result["non_answers"]) == (2, 1, 1, 1)
    assert result["passed"] is False
    assert poll.result_document_id is not None
    report = verify_pdf(poll.result_document.file.read())
    assert report.ok, report.summary


def test_silence_counts_as_agreement_where_the_rule_says_so(world):
    world.body.rule = world.rules["ubnd-im-lang-dong-y"]
    world.body.save()
    poll = _send(world)
    polls.answer(poll.pk, user=world.users["member1"], choice="agree")
    polls.answer(poll.pk, user=world.users["member2"], choice="disagree")
    tally = polls.close_poll(poll.pk, by=world.users["secretary"])
    assert (tally.agree, tally.disagree, tally.non_answers) == (4, 1, 3)
    assert tally.passed


def test_the_rule_is_kept_as_it_was_when_the_poll_opened(world):
    poll = _send(world)
    rule = world.body.rule
    rule.non_answer = "agree"
    rule.save()
    polls.answer(poll.pk, user=world.users["member1"], choice="agree")
    tally = polls.close_poll(poll.pk, by=world.users["secretary"])
    assert tally.non_answer_rule == "not_counted" and not tally.passed


@pytest.mark.parametrize("who", ["member1", "outsider", "citizen"])
def test_only_a_secretary_sends(world, who):
    with pytest.raises(PermissionDenied):
        _send(world, by=world.users[who])
    assert not Poll.objects.exists()


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"title": ""}, "title"),
        ({"text": "  "}, "text"),
        ({"deadline": None}, "deadline"),
        ({"deadline": timezone.now() - dt.timedelta(hours=1)}, "deadline"),
    ],
)
def test_bad_poll_input(world, kwargs, field):
    with pytest.raises(ServiceError) as err:
        _send(world, **kwargs)
    assert err.value.field == field
    assert not Poll.objects.exists() and not Ballot.objects.exists()


def test_a_non_pdf_draft_is_refused(world):
    fake = Upload("attachment", SimpleUploadedFile("du-thao.pdf", b"<html>not a pdf</html>"), "du-thao.pdf")
    with pytest.raises(ServiceError):
        _send(world, attachment=fake)
    assert not Poll.objects.exists()


def test_refused_answers(world):
    poll = _send(world)
    with pytest.raises(Forbidden):
        polls.answer(poll.pk, user=world.users["outsider"], choice="agree")
    with pytest.raises(Forbidden):  # the secretary asks but is not a member
        polls.answer(poll.pk, user=world.users["secretary"], choice="agree")
    with pytest.raises(ServiceError):
        polls.answer(poll.pk, user=world.users["member1"], choice="other", comment="")
    polls.answer(poll.pk, user=world.users["member1"], choice="agree")
    with pytest.raises(Conflict):
        polls.answer(poll.pk, user=world.users["member1"], choice="disagree")
    polls.close_poll(poll.pk, by=world.users["secretary"])
    with pytest.raises(Conflict):
        polls.answer(poll.pk, user=world.users["member2"], choice="agree")
    with pytest.raises(Conflict):
        polls.remind(poll.pk, by=world.users["secretary"])


def test_members_are_notified_of_the_poll_and_reminders(world):
    poll = _send(world)
    sent = Notice.objects.filter(event="voting.poll_sent")
    assert {n.recipient_id for n in sent} == {world.users[f"member{i}"].pk for i in range(1, 6)}
    assert all(n.url == f"/bieu-quyet/lay-y-kien/{poll.pk}/" for n in sent)
    polls.answer(poll.pk, user=world.users["member1"], choice="agree")
    polls.remind(poll.pk, by=world.users["secretary"])
    assert Notice.objects.filter(event="voting.poll_reminder").count() == 4
    polls.close_poll(poll.pk, by=world.users["secretary"])
    assert Notice.objects.filter(event="voting.poll_closed").count() == 5


def test_a_refused_poll_notifies_no_one(world):
    with pytest.raises(ServiceError):
        _send(world, title="")
    assert not Notice.objects.exists()


def test_reminders_go_to_those_who_have_not_answered(world):
    poll = _send(world, deadline=timezone.now() + dt.timedelta(hours=5))
    polls.answer(poll.pk, user=world.users["member1"], choice="agree")
    assert {u.pk for u in polls.missing(poll)} == {world.users[f"member{i}"].pk for i in range(2, 6)}
    with pytest.raises(PermissionDenied):
        polls.remind(poll.pk, by=world.users["member1"])
    done = polls.close_due()  # closing within CONGSO_VOTING_REMIND_HOURS: reminded once
    assert done["reminded"] == 4
    assert polls.close_due()["reminded"] == 0
    poll.refresh_from_db()
    assert poll.reminded_at is not None


def test_only_the_secretary_closes_early(world):
    poll = _send(world)
    with pytest.raises(PermissionDenied):
        polls.close_poll(poll.pk, by=world.users["member1"])
    poll.ballot.refresh_from_db()
    assert poll.ballot.is_open
