"""The clock's pauses and the deadline: supplements asked for and supplied, fees requested and paid (at
the counter or through a payment gateway), and the apology-and-extension before the deadline passes.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congso.core.errors import ServiceError
from congso.core.text import moment_text
from congso.core.uploads import Upload

from .. import clock
from ..models import Attachment, ClockPause, Dossier, Extension, FinancialObligation, Status, StepRun
from ..notifications import notify_applicant
from ..workflow import DOSSIER, PAYMENT_GATEWAY, RESUME
from .kernel import _inspect_all, _lock, _recompute_due, _save, _store_files, _timeline, aware_moment
from .roles import SystemActor, roles_for


def _pause(
    dossier_id,
    name,
    reason_kind,
    *,
    actor,
    expected_version,
    provided,
    note,
    data=None,
    before_timeline=None,
    after=None,
):
    """``before_timeline(dossier)`` writes what the change brings before its timeline entry (so the
    ``dossier_changed`` subscribers see it); ``after(dossier, entry)`` runs once the entry exists."""
    with transaction.atomic():
        dossier = _lock(dossier_id, expected_version)
        t = DOSSIER.check(name, state=dossier.status, roles=roles_for(actor, dossier), provided=provided)
        before = dossier.status
        ClockPause.objects.create(
            dossier=dossier, reason=reason_kind, started_at=timezone.now(), resume_status=before
        )
        dossier.status = t.target
        _save(dossier, "status")
        if before_timeline:
            before_timeline(dossier)
        entry = _timeline(dossier, actor, name, t.label, before, note=note, data=data)
        if after:
            after(dossier, entry)
        return dossier


def request_supplement(
    dossier_id, *, actor, reason: str, missing: list[str] = (), expected_version=None
) -> Dossier:
    """Ask the applicant for more; the clock stops until they answer."""
    return _pause(
        dossier_id,
        "request_supplement",
        "supplement",
        actor=actor,
        expected_version=expected_version,
        provided={"reason": reason.strip()},
        note=reason.strip(),
        data={"missing": list(missing)},
        after=lambda d, e: notify_applicant(
            d, "supplement_requested", reason=reason.strip(), missing=list(missing)
        ),
    )


def request_payment(dossier_id, *, actor, amount, description: str, expected_version=None) -> Dossier:
    try:
        amount = Decimal(str(amount))
    except (InvalidOperation, ValueError):
        amount = None
    if amount is not None and (not amount.is_finite() or amount <= 0 or amount != amount.to_integral_value()):
        raise ServiceError(_("Số tiền phải là số nguyên dương (đồng)."), field="amount")

    def create(dossier):
        FinancialObligation.objects.create(
            dossier=dossier,
            amount=amount,
            description=description.strip(),
            requested_by=actor,
            requested_at=timezone.now(),
        )

    def notify(dossier, entry):
        notify_applicant(dossier, "payment_requested", amount=amount, description=description.strip())

    return _pause(
        dossier_id,
        "request_payment",
        "financial",
        actor=actor,
        expected_version=expected_version,
        provided={"amount": amount, "note": description.strip()},
        note=description.strip(),
        data={"amount": str(amount) if amount else None},
        before_timeline=create,
        after=notify,
    )


def _resume(
    dossier_id, name, *, actor, expected_version, note="", data=None, uploads=(), before_save=None
) -> Dossier:
    checked = _inspect_all(uploads)
    with transaction.atomic():
        dossier = _lock(dossier_id, expected_version)
        t = DOSSIER.check(name, state=dossier.status, roles=roles_for(actor, dossier))
        pause = dossier.pauses.filter(ended_at__isnull=True).order_by("-started_at").first()
        before = dossier.status
        if pause:
            pause.ended_at = timezone.now()
            pause.save(update_fields=["ended_at"])
            _shift_open_steps(dossier, pause)
        dossier.status = pause.resume_status if (pause and t.target == RESUME) else Status.PROCESSING
        if before_save:
            before_save(dossier)
        if dossier.received_at:
            _recompute_due(dossier)
        _save(dossier, "status", "due_at", "legal_due_at")
        entry = _timeline(dossier, actor, name, t.label, before, note=note, data=data)
        _store_files(dossier, checked, actor, Attachment.Purpose.SUPPLEMENT, entry)
        return dossier


def _shift_open_steps(dossier: Dossier, pause: ClockPause) -> None:
    """The pause has ended: the open step's due moment moves as the dossier's does (``_recompute_due``)."""
    for run in StepRun.objects.filter(dossier=dossier, finished_at__isnull=True, due_at__isnull=False):
        moved = clock.step_due_after_pause(dossier, run.due_at, pause.started_at, pause.ended_at)
        if moved != run.due_at:
            run.due_at = moved
            run.save(update_fields=["due_at"])


def submit_supplement(
    dossier_id, *, actor, uploads: list[Upload] = (), note="", expected_version=None
) -> Dossier:
    """The applicant (or the clerk for them) supplies what was asked; the clock resumes."""
    return _resume(
        dossier_id,
        "submit_supplement",
        actor=actor,
        expected_version=expected_version,
        note=note,
        uploads=uploads,
    )


def record_payment(dossier_id, *, actor, channel: str, reference: str = "", expected_version=None) -> Dossier:
    """Mark the open financial obligation paid (at the counter, or by a payment gateway's notification)."""

    def mark(dossier):
        obligation = dossier.obligations.filter(paid_at__isnull=True).order_by("-requested_at").first()
        if obligation is None:
            raise ServiceError(_("Hồ sơ không có khoản phí nào đang chờ nộp."))
        obligation.paid_at = timezone.now()
        obligation.payment_channel = channel[:40]
        obligation.payment_reference = reference[:100]
        obligation.save(update_fields=["paid_at", "payment_channel", "payment_reference"])

    return _resume(
        dossier_id,
        "record_payment",
        actor=actor,
        expected_version=expected_version,
        data={"channel": channel, "reference": reference},
        before_save=mark,
    )


def record_gateway_payment(dossier_id, *, provider: str, reference: str) -> Dossier:
    """``record_payment`` as the system, for a payment gateway's verified server-to-server notification.

    Only ``congso.payments.services`` calls this, after checking the notification's signature, order
    and amount; the ``payment_gateway`` pseudo-role is declared on the transition in workflow.py.
    """
    actor = SystemActor(PAYMENT_GATEWAY, _("Cổng thanh toán %(provider)s") % {"provider": provider.upper()})
    return record_payment(dossier_id, actor=actor, channel=f"gateway:{provider}", reference=reference)


def extend(dossier_id, *, actor, reason: str, new_due: dt.datetime | None, expected_version=None) -> Dossier:
    """Apologise and set a new date before the deadline passes. The dossier counts as late from now on.

    ``new_due`` without a time zone is read in Vietnam time (``aware_moment``)."""
    new_due = aware_moment(new_due, field="new_date")
    with transaction.atomic():
        dossier = _lock(dossier_id, expected_version)
        DOSSIER.check(
            "extend",
            state=dossier.status,
            roles=roles_for(actor, dossier),
            provided={"reason": reason.strip(), "new_date": new_due},
        )
        now = timezone.now()
        if dossier.due_at is None:
            raise ServiceError(_("Hồ sơ không có thời hạn giải quyết để gia hạn."))
        if now > dossier.due_at:
            raise ServiceError(
                _("Đã quá hạn giải quyết; văn bản xin lỗi và đề nghị gia hạn phải gửi trước thời hạn."),
                code="too_late",
            )
        if new_due <= dossier.due_at:
            raise ServiceError(_("Ngày hẹn mới phải sau ngày hẹn hiện tại."), field="new_date")
        Extension.objects.create(
            dossier=dossier,
            requested_by=actor,
            requested_at=now,
            previous_due_at=dossier.due_at,
            new_due_at=new_due,
            reason=reason.strip(),
        )
        previous = dossier.due_at
        dossier.due_at = new_due
        dossier.is_late = True
        _save(dossier, "due_at", "is_late")
        notify_applicant(
            dossier,
            "extend",
            reason=reason.strip(),
            new_due=moment_text(new_due),
        )
        _timeline(
            dossier,
            actor,
            "extend",
            DOSSIER.get("extend").label,
            dossier.status,
            note=reason.strip(),
            data={"previous_due_at": previous.isoformat(), "new_due_at": new_due.isoformat()},
        )
        return dossier
