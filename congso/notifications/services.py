"""Use cases of the notification outbox.

- ``notify(dossier, event, **context)``: write the applicant's notices for ``event`` (one row per
  channel with an address) in the caller's transaction, and enqueue their sending on commit.
- ``send(notification_id)``: what the background job does: claim the row, send it, record the outcome,
  schedule a retry with backoff or give up after ``CONGSO_NOTIFY_MAX_ATTEMPTS``.
- ``resend(notification_id, actor=)``: a system administrator sends a failed notice again.
- ``due_for_retry()`` / ``retry_due()``: for the ``congso notifications retry`` command.
"""

from __future__ import annotations

import datetime as dt
import logging
import re

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from congso.core import audit, compiled
from congso.core.errors import Conflict, NotFound
from congso.core.permissions import can
from congso.core.task_backends import default_backend, queue_in_database
from congso.dossiers.models import Channel, Status

from . import messages, sms
from .models import Notice, Notification
from .tasks import send_notification, send_notifications

log = logging.getLogger("congso.notifications")

S = Notification.Status
_PHONE = re.compile(r"^\+?[0-9]{9,15}$")
# A row left "sending" this long (a worker died mid-send) is due again.
STALE_SENDING = dt.timedelta(minutes=10)


def max_attempts() -> int:
    return settings.CONGSO_NOTIFY_MAX_ATTEMPTS


def backoff(attempts: int) -> dt.timedelta:
    """Delay before the next try after ``attempts`` failed ones: base × 2^(n-1), at most 6 hours."""
    seconds = settings.CONGSO_NOTIFY_RETRY_SECONDS * 2 ** max(0, attempts - 1)
    return dt.timedelta(seconds=min(seconds, 6 * 3600))


def normalise_phone(value: str) -> str:
    phone = re.sub(r"[\s.\-()]", "", value or "")
    return phone if _PHONE.match(phone) else ""


def recipients(dossier) -> tuple[str, str]:
    """(email, phone) of the applicant: the snapshot on the dossier, else the applicant's account."""
    user = dossier.applicant if dossier.applicant_id else None
    email = (dossier.applicant_email or getattr(user, "email", "") or "").strip()
    phone = normalise_phone(dossier.applicant_phone or getattr(user, "phone", "") or "")
    return email, phone


def everyone(dossier) -> list[tuple[str, str, object]]:
    """(email, phone, account or None) of each person the dossier's notices go to: the applicant, then
    each co-applicant (the other spouse of a marriage registration, ADR 0147); an address once."""
    email, phone = recipients(dossier)
    people = [(email, phone, dossier.applicant if dossier.applicant_id else None)] if email or phone else []
    seen = {email, phone} - {""}
    for co in dossier.co_applicants or []:
        co_email = (co.get("email") or "").strip()
        co_phone = normalise_phone(co.get("phone") or "")
        co_email = "" if co_email in seen else co_email
        co_phone = "" if co_phone in seen else co_phone
        if co_email or co_phone:
            people.append((co_email, co_phone, None))
            seen |= {co_email, co_phone} - {""}
    return people


def applies(dossier, event: str) -> bool:
    if event not in messages.EVENTS:
        return False
    if event == "submitted":
        # Only a dossier that arrived without the applicant at the counter, and is not yet accepted:
        # the "received" notice covers the rest.

        return dossier.channel != Channel.IN_PERSON and dossier.status == Status.NEW
    return True


def notify_applicant_event(*, dossier, event: str, **context) -> None:
    """Subscriber of ``dossiers.applicant_event``: the notices of a dossier's event (``notify``)."""
    notify(dossier, event, **context)


def notify(dossier, event: str, **context) -> list[Notification]:
    """Write the notices for ``event`` now (in the caller's transaction); send them after commit.

    No address, or an event that does not apply, writes nothing and is not an error."""
    if not applies(dossier, event):
        return []
    people = everyone(dossier)
    if not people:
        return []
    rendered = messages.render(event, messages.context_for(dossier, **context))
    rows = []
    for email, phone, recipient in people:
        if email:
            rows.append(
                Notification(
                    dossier=dossier,
                    recipient=recipient,
                    channel=Notification.Channel.EMAIL,
                    address=email,
                    event=event,
                    subject=rendered.subject[:300],
                    body=rendered.email,
                )
            )
        if phone and messages.EVENTS[event].sms:
            rows.append(
                Notification(
                    dossier=dossier,
                    recipient=recipient,
                    channel=Notification.Channel.SMS,
                    address=phone,
                    event=event,
                    body=rendered.sms,
                )
            )
    return _queue(rows)


def _queue(rows: list[Notification]) -> list[Notification]:
    """Write the outbox rows in the caller's transaction and hand them to the sending job."""
    if not rows:
        return rows
    compiled.insert(rows)
    ids = [row.pk for row in rows]

    if queue_in_database():
        # The job is a row of this database: written in this transaction, it commits or rolls back
        # with the notices (and costs no second commit); it fails the caller as any of its writes would.
        # Any other queue hears of it after commit.
        send_notifications.enqueue(ids)
    else:
        transaction.on_commit(lambda: _enqueue_after_commit(ids))
    return rows


def notify_person(user, *, event: str, subject: str, body: str, url: str = "", sms: bool = False) -> list:
    """Tell one person of something that is not a dossier's event (a meeting invitation, a poll to
    answer, an answer to their report): a notice in their "Thông báo của tôi" list, an email when they
    have an address, an SMS when ``sms`` and they have a phone. Written in the caller's transaction, so
    a change that rolls back tells no one; the email and SMS are sent by the outbox's job after commit.

    Returns the rows written: the ``Notice`` first, then the outbox's ``Notification`` rows."""
    subject, url = " ".join(subject.split())[:300], url[:500]
    notice = Notice.objects.create(recipient=user, event=event[:60], subject=subject, body=body, url=url)
    link = f"{settings.SITE_URL.rstrip('/')}{url}" if url.startswith("/") else url
    text = f"{body}\n\n{link}".strip() if link else body
    rows = []
    if user.email:
        rows.append(
            Notification(
                recipient=user,
                channel=Notification.Channel.EMAIL,
                address=user.email,
                event=event[:40],
                subject=subject,
                body=text,
            )
        )
    phone = normalise_phone(getattr(user, "phone", "") or "")
    if sms and phone:
        rows.append(
            Notification(
                recipient=user,
                channel=Notification.Channel.SMS,
                address=phone,
                event=event[:40],
                body=subject,
            )
        )
    return [notice, *_queue(rows)]


def unread_count(user) -> int:
    return Notice.objects.filter(recipient=user, read_at__isnull=True).count()


def mark_read(user, notice_id: int | None = None) -> int:
    """Mark one of the user's notices read (``notice_id``), or all of them. Another person's notice is
    not found: it is never touched, nor told apart from one that does not exist."""
    qs = Notice.objects.filter(recipient=user, read_at__isnull=True)
    if notice_id is not None:
        if not Notice.objects.filter(recipient=user, pk=notice_id).exists():
            raise NotFound(_("Không tìm thấy thông báo."))
        qs = qs.filter(pk=notice_id)
    return qs.update(read_at=timezone.now())


def _enqueue_after_commit(ids) -> None:
    """One job for the notices of one event. A broken queue must not break the caller, whose change
    has committed: the rows stay queued and ``congso notifications retry`` picks them up."""

    try:
        send_notifications.enqueue(ids)
    except Exception:  # noqa: BLE001 — the rows stay queued; logged for operators
        log.exception("could not enqueue notifications %s", ids)


def enqueue(ids, run_after: dt.datetime | None = None) -> None:
    """Hand rows to the background job, one job each (retries and resends). A broken queue must not
    break the caller: the rows stay queued and ``congso notifications retry`` picks them up."""

    task = send_notification
    if run_after is not None:
        if not _backend_defers():
            return  # no delayed jobs on this backend: the retry command sends it when due
        task = send_notification.using(run_after=run_after)
    for pk in ids:
        try:
            task.enqueue(pk)
        except Exception:  # noqa: BLE001 — the row stays queued; logged for operators
            log.exception("could not enqueue notification %s", pk)


def _backend_defers() -> bool:
    return bool(getattr(default_backend(), "supports_defer", False))


def _sendable(now) -> Q:
    return (
        Q(status=S.QUEUED)
        | Q(status=S.FAILED, next_attempt_at__lte=now)
        | Q(status=S.SENDING, claimed_at__lt=now - STALE_SENDING)
    )


def _deliver(n: Notification) -> tuple[str, str]:
    """Send one message; returns (provider, provider reference)."""
    if n.channel == Notification.Channel.EMAIL:
        message = EmailMessage(n.subject, n.body, settings.DEFAULT_FROM_EMAIL, [n.address])
        message.send(fail_silently=False)
        return "email:" + settings.EMAIL_BACKEND.rsplit(".", 2)[-2], ""
    backend = sms.get_backend()
    return "sms:" + backend.name, backend.send(n.address, n.body, reference=str(n.pk))


def send(notification_id: int) -> Notification | None:
    """Claim the row (one conditional UPDATE, so two workers never both send it), send, record."""
    now = timezone.now()
    claimed = (
        Notification.objects.filter(pk=notification_id)
        .filter(_sendable(now))
        .update(status=S.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    )
    if not claimed:
        return None
    n = Notification.objects.get(pk=notification_id)
    try:
        provider, ref = _deliver(n)
    except sms.PermanentError as exc:
        n.status, n.next_attempt_at, n.last_error = S.FAILED, None, str(exc)[:1000]
        log.warning("notification %s refused by provider: %s", n.pk, exc)
    except Exception as exc:  # noqa: BLE001 — any sending failure is recorded and retried
        n.last_error = f"{exc.__class__.__name__}: {exc}"[:1000]
        if n.attempts >= max_attempts():
            n.status, n.next_attempt_at = S.GIVEN_UP, None
            log.error("notification %s given up after %s attempts: %s", n.pk, n.attempts, exc)
        else:
            n.status, n.next_attempt_at = S.FAILED, timezone.now() + backoff(n.attempts)
            log.warning("notification %s failed (attempt %s): %s", n.pk, n.attempts, exc)
    else:
        n.status, n.sent_at, n.next_attempt_at, n.last_error = S.SENT, timezone.now(), None, ""
        n.provider, n.provider_ref = provider[:60], (ref or "")[:100]
    n.save(update_fields=["status", "sent_at", "next_attempt_at", "last_error", "provider", "provider_ref"])
    if n.status == S.FAILED and n.next_attempt_at:
        enqueue([n.pk], run_after=n.next_attempt_at)
    return n


def resend(notification_id, *, actor) -> Notification:
    """A system administrator sends a notice again (failed, given up, or stuck in the queue)."""
    with transaction.atomic():
        n = Notification.objects.select_for_update().filter(pk=notification_id).first()
        if n is None:
            raise NotFound(_("Không tìm thấy thông báo."))
        if not can(actor, "notifications.resend", n):
            raise PermissionDenied(_("Chỉ quản trị hệ thống mới được gửi lại thông báo."))
        if n.status == S.SENT:
            raise Conflict(_("Thông báo này đã được gửi thành công; không gửi lại."))
        if n.status == S.SENDING and n.claimed_at and n.claimed_at > timezone.now() - STALE_SENDING:
            raise Conflict(_("Thông báo đang được gửi; vui lòng chờ kết quả."))
        previous = {"status": n.status, "attempts": n.attempts, "last_error": n.last_error[:200]}
        n.status, n.attempts, n.next_attempt_at = S.QUEUED, 0, None
        n.save(update_fields=["status", "attempts", "next_attempt_at"])
        audit.record("notifications.resend", obj=n, actor=actor, data=previous)
        transaction.on_commit(lambda: enqueue([n.pk]))
        return n


def due_for_retry(now=None, queued_grace=dt.timedelta(minutes=5)):
    """Rows that should be sent now: failed ones whose time has come, queued ones older than the grace
    period (their job was lost), and sends that were interrupted."""
    now = now or timezone.now()
    return Notification.objects.filter(
        Q(status=S.QUEUED, created_at__lte=now - queued_grace)
        | Q(status=S.FAILED, next_attempt_at__lte=now)
        | Q(status=S.SENDING, claimed_at__lt=now - STALE_SENDING)
    ).order_by("created_at")


def retry_due(*, inline: bool = False, limit: int = 500, now=None) -> int:
    ids = list(due_for_retry(now).values_list("pk", flat=True)[:limit])
    if inline:
        for pk in ids:
            send(pk)
    else:
        enqueue(ids)
    return len(ids)
