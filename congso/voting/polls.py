"""Written polls of a body's members between meetings (lấy ý kiến thành viên bằng phiếu điện tử,
ADR 0165): the secretary sends a draft with a deadline, members answer, reminders go out, and at the
deadline the ballot is closed under the body's rule (non-answers included) and the result is exported
as a PDF signed with the agency's seal.

Each use case runs in one transaction with its audit entry; notices go through ``notices.notify``.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from congso.core import audit
from congso.core.errors import Conflict, NotFound, ServiceError
from congso.core.locking import lock
from congso.core.permissions import require
from congso.core.uploads import PDF, inspect_upload

from . import exports, notices, services, validation
from .models import Ballot, Body, Poll, Receipt
from .rules import Tally

log = logging.getLogger(__name__)

SUBJECT = "voting.poll"


def remind_hours() -> int:
    return int(getattr(settings, "CONGSO_VOTING_REMIND_HOURS", 24))


def poll_url(poll: Poll) -> str:
    return reverse("voting:poll", args=[poll.pk])


def _body(body_id) -> Body:
    try:
        return Body.objects.select_related("rule", "agency").get(pk=int(body_id), is_active=True)
    except (Body.DoesNotExist, TypeError, ValueError):
        raise NotFound(_("Không tìm thấy tập thể."), code="body_not_found") from None


def _poll(poll_id) -> Poll:
    try:
        return Poll.objects.select_related("body", "ballot", "ballot__rule").get(pk=int(poll_id))
    except (Poll.DoesNotExist, TypeError, ValueError):
        raise NotFound(_("Không tìm thấy phiếu lấy ý kiến."), code="poll_not_found") from None


def create_poll(*, body_id, by, title: str, text: str, deadline, attachment=None, now=None) -> Poll:
    """Send a draft to the body's members for their written opinion, answered by ``deadline``."""
    now = now or timezone.now()
    body = _body(body_id)
    require(by, "voting.run_poll", body, _("Chỉ thư ký của tập thể mới được gửi phiếu lấy ý kiến."))
    title = validation.clean_title(title)
    text = validation.clean_text(text)
    if deadline in (None, ""):
        raise ServiceError(_("Vui lòng nhập hạn trả lời."), field="deadline", code="required")
    deadline = validation.clean_deadline(deadline, now=now)
    checked = inspect_upload(attachment, allowed=(PDF,)) if attachment else None
    members = list(body.members.filter(is_active=True).values_list("pk", flat=True))
    with transaction.atomic():
        ballot = services.open_ballot(
            subject=SUBJECT,
            title=title,
            electorate=members,
            rule=body.rule,
            secret=False,
            by=by,
            closes_at=deadline,
        )
        poll = Poll(body=body, title=title, text=text, deadline=deadline, ballot=ballot, created_by=by)
        if checked is not None:
            poll.attachment.save(f"du-thao{checked.extension}", ContentFile(checked.content), save=False)
            poll.attachment_name = (checked.original_name or "du-thao.pdf")[:255]
        poll.save()
        Ballot.objects.filter(pk=ballot.pk).update(subject=f"{SUBJECT}:{poll.pk}")
        audit.record(
            "voting.poll_send",
            obj=poll,
            actor=by,
            data={"body": body.pk, "deadline": deadline.isoformat(), "members": len(members)},
        )
        deadline_text = timezone.localtime(deadline).strftime("%H:%M %d/%m/%Y")
        for user in body.members.filter(pk__in=members):
            notices.notify(
                user,
                event="voting.poll_sent",
                subject=_("Xin ý kiến: %(title)s") % {"title": title},
                body=_("%(body)s xin ý kiến của đồng chí về “%(title)s”. Hạn trả lời: %(deadline)s.")
                % {"body": body.name, "title": title, "deadline": deadline_text},
                url=poll_url(poll),
            )
    return poll


def answer(poll_id, *, user, choice: str, comment: str = "", now=None) -> Receipt:
    """A member answers: agree, disagree or another opinion (with its comment)."""
    poll = _poll(poll_id)
    return services.cast(poll.ballot_id, user=user, choice=choice, comment=comment, now=now)


def missing(poll: Poll):
    """The members asked who have not answered yet."""
    answered = Receipt.objects.filter(ballot=poll.ballot_id).values("voter_id")
    return poll.body.members.filter(pk__in=poll.ballot.electors.values("user_id")).exclude(pk__in=answered)


def remind(poll_id, *, by=None, now=None) -> int:
    """Remind the members who have not answered (the secretary, or the system before the deadline).
    Returns how many were reminded."""
    now = now or timezone.now()
    poll = _poll(poll_id)
    if by is not None:
        require(by, "voting.run_poll", poll.body, _("Chỉ thư ký của tập thể mới được nhắc trả lời."))
    with transaction.atomic():
        lock(Ballot, pk=poll.ballot_id)
        poll = _poll(poll.pk)
        if not poll.ballot.is_open:
            raise Conflict(_("Phiếu lấy ý kiến đã kết thúc."), code="ballot_closed")
        users = list(missing(poll))
        deadline_text = timezone.localtime(poll.deadline).strftime("%H:%M %d/%m/%Y")
        for user in users:
            notices.notify(
                user,
                event="voting.poll_reminder",
                subject=_("Nhắc trả lời phiếu lấy ý kiến: %(title)s") % {"title": poll.title},
                body=_("Đồng chí chưa trả lời phiếu lấy ý kiến “%(title)s”. Hạn trả lời: %(deadline)s.")
                % {"title": poll.title, "deadline": deadline_text},
                url=poll_url(poll),
                sms=True,
            )
        Poll.objects.filter(pk=poll.pk).update(reminded_at=now)
        audit.record("voting.poll_remind", obj=poll, actor=by, data={"reminded": len(users)})
    return len(users)


def close_poll(poll_id, *, by=None, now=None) -> Tally:
    """Close the poll (its secretary early, or the system at the deadline), tally it under the body's
    rule and notify the members; then export the signed result (``export_result``)."""
    now = now or timezone.now()
    poll = _poll(poll_id)
    if by is not None:
        require(by, "voting.run_poll", poll.body, _("Chỉ thư ký của tập thể mới được kết thúc lấy ý kiến."))
    with transaction.atomic():
        tally = services.close(poll.ballot_id, by=by, now=now)
        audit.record("voting.poll_close", obj=poll, actor=by, data={"passed": tally.passed})
        outcome = _("được thông qua") if tally.passed else _("không được thông qua")
        for user in poll.body.members.filter(pk__in=poll.ballot.electors.values("user_id")):
            notices.notify(
                user,
                event="voting.poll_closed",
                subject=_("Kết quả lấy ý kiến: %(title)s") % {"title": poll.title},
                body=_(
                    "Dự thảo “%(title)s” %(outcome)s: %(agree)s đồng ý, %(disagree)s không đồng ý, "
                    "%(other)s ý kiến khác, %(missing)s không trả lời."
                )
                % {
                    "title": poll.title,
                    "outcome": outcome,
                    "agree": tally.agree,
                    "disagree": tally.disagree,
                    "other": tally.other,
                    "missing": tally.non_answers,
                },
                url=poll_url(poll),
            )
    export_result(poll.pk, actor=by)
    return tally


def export_result(poll_id, *, actor=None) -> Poll:
    """The result record as a PDF signed with the agency's seal, kept as an issued document (verifiable
    at /xac-thuc). A failure leaves the poll closed without it; ``close_due`` tries again."""
    poll = _poll(poll_id)
    if poll.ballot.is_open:
        raise Conflict(_("Phiếu lấy ý kiến chưa kết thúc."), code="ballot_open")
    if poll.result_document_id:
        return poll
    try:
        with transaction.atomic():
            document = exports.issue_result(poll, actor=actor)
            Poll.objects.filter(pk=poll.pk).update(result_document=document)
    except Exception:  # the result stays recorded on the ballot; the job retries the export
        log.exception("voting: the result PDF of poll %s could not be issued", poll.pk)
        return poll
    poll.result_document = document
    return poll


def close_due(*, now: dt.datetime | None = None) -> dict:
    """The periodic job (``congso voting close-due``): remind members of polls closing within
    CONGSO_VOTING_REMIND_HOURS, close polls and ballots past their deadline, export missing results."""
    now = now or timezone.now()
    done = {"reminded": 0, "closed": 0, "exported": 0}
    soon = now + dt.timedelta(hours=remind_hours())
    for poll_id in Poll.objects.filter(
        ballot__status=Ballot.Status.OPEN, reminded_at__isnull=True, deadline__gt=now, deadline__lte=soon
    ).values_list("pk", flat=True):
        done["reminded"] += remind(poll_id, now=now)
    for ballot_id, subject in Ballot.objects.filter(
        status=Ballot.Status.OPEN, closes_at__lte=now
    ).values_list("pk", "subject"):
        try:
            if subject.startswith(f"{SUBJECT}:"):
                close_poll(int(subject.split(":", 1)[1]), now=now)
            else:
                services.close(ballot_id, by=None, now=now)
        except Conflict:
            continue  # closed meanwhile by someone else
        done["closed"] += 1
    for poll_id in Poll.objects.filter(
        ballot__status=Ballot.Status.CLOSED, result_document__isnull=True
    ).values_list("pk", flat=True):
        if export_result(poll_id).result_document_id:
            done["exported"] += 1
    return done
