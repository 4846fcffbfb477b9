"""Use cases of online payment. Each runs in one transaction, locks what it changes, writes its audit
entry, and returns a result or raises a ServiceError with a Vietnamese message, having changed nothing.

Flow: the clerk's ``dossiers.services.request_payment`` opens a ``FinancialObligation`` (status 6).
The applicant ``start_payment`` → redirect to the gateway → the gateway calls our IPN URL
(``handle_notification``: signature, order, amount, idempotency, then
``dossiers.services.record_gateway_payment`` resumes the clock) and sends the browser back to our
return page (``read_return``: shown only; it never marks anything paid).
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from congso.core import audit
from congso.core.errors import Conflict, NotFound, ServiceError
from congso.core.locking import lock
from congso.core.permissions import can
from congso.directory.models import Agency
from congso.directory.scope import has_any_role, is_sysadmin
from congso.dossiers import services as dossiers
from congso.dossiers.fees import suggested_fee  # noqa: F401 — re-exported (payments tests, demo)
from congso.dossiers.models import Dossier, FinancialObligation, Status

from . import hooks, providers
from .models import PAYMENT, Notification, Payment, ReceiptSequence
from .permissions import RECONCILE_ROLES
from .providers import IpnResult, Order

log = logging.getLogger(__name__)

# --- who may pay -------------------------------------------------------------------------------


def _minutes(name: str, default: int) -> dt.timedelta:
    return dt.timedelta(minutes=int(getattr(settings, name, default)))


def payable_dossier(code: str, actor) -> Dossier:
    """The actor's own dossier (as its applicant or the helper who filed it); anyone else gets 404."""
    dossier = (
        Dossier.objects.select_related("procedure_version__procedure", "receiving_agency")
        .filter(code=str(code)[:60])
        .first()
    )
    if dossier is None or not can(actor, "payments.pay", dossier):
        raise NotFound(_("Không tìm thấy hồ sơ của bạn có mã này."))
    return dossier


def open_obligation(dossier: Dossier) -> FinancialObligation | None:
    """The obligation the applicant owes now (the one ``record_payment`` will mark paid)."""
    if dossier.status != Status.FINANCIAL:
        return None
    return dossier.obligations.filter(paid_at__isnull=True).order_by("-requested_at").first()


def _close(payment: Payment, transition: str, now, action: str, data: dict | None = None, actor=None) -> None:
    """Take one of the closing transitions of ``PAYMENT`` (status and ``closed_at``), audited as ``action``."""
    before = payment.status
    PAYMENT.check(transition, state=before)
    payment.save(update_fields=PAYMENT.apply(payment, transition, now=now))
    audit.record(
        action,
        obj=payment,
        actor=actor,
        data={"from": before, "to": payment.status, "dossier": payment.dossier_id, **(data or {})},
    )


def _expire_if_due(payment: Payment, now) -> bool:
    if payment.status == Payment.Status.PENDING and payment.expires_at <= now:
        _close(payment, "expire", now, "payment.expired")
        return True
    return False


@dataclass
class Started:
    payment: Payment
    redirect_url: str
    reused: bool


def _order(payment: Payment, provider, return_url: str, client_ip: str) -> Order:
    return Order(
        txn_ref=payment.txn_ref,
        amount=payment.amount,
        description=payment.description,
        return_url=return_url,
        client_ip=client_ip,
        created_at=payment.created_at,
        expires_at=payment.expires_at,
    )


def start_payment(
    code: str, *, actor, return_url: str, client_ip: str = "", provider_name: str | None = None
) -> Started:
    """Open (or reuse) the payment of the dossier's open obligation and return the gateway's URL.

    Only the applicant (or the helper who filed) may pay; someone else's dossier is "not found" and
    nothing is written. A pending, unexpired payment of the same obligation is reused (a second
    click opens no second order); an expired one is closed first and a new one opened.
    """
    name = provider_name or providers.default_name()
    provider = providers.get_provider(name)
    if provider is None:
        raise ServiceError(_("Cổng thanh toán này chưa được cấu hình."), field="provider")
    dossier = payable_dossier(code, actor)
    with transaction.atomic():
        lock(Dossier, pk=dossier.pk)  # then read fresh (core.locking)
        dossier = Dossier.objects.select_related("receiving_agency").get(pk=dossier.pk)
        obligation = open_obligation(dossier)
        if obligation is None:
            raise Conflict(_("Hồ sơ %(code)s không có khoản phí nào đang chờ nộp.") % {"code": dossier.code})
        now = timezone.now()
        current = (
            Payment.objects.select_for_update()
            .filter(obligation=obligation, status=Payment.Status.PENDING)
            .first()
        )
        if current is not None and not _expire_if_due(current, now):
            if current.provider == name and current.amount == obligation.amount:
                return Started(
                    current, provider.build_redirect(_order(current, provider, return_url, client_ip)), True
                )
            _close(current, "supersede", now, "payment.superseded", actor=actor)
        payment = Payment.objects.create(
            txn_ref=f"{timezone.localtime(now):%y%m%d}{secrets.token_hex(6).upper()}",
            dossier=dossier,
            obligation=obligation,
            agency=dossier.receiving_agency,
            amount=obligation.amount,
            currency=obligation.currency,
            # Gateways want ASCII order info without diacritics or special characters.
            description=f"Thanh toan phi, le phi ho so {dossier.code}"[:255],
            provider=name,
            payer=actor,
            created_at=now,
            expires_at=now + _minutes("CONGSO_PAYMENT_TIMEOUT_MINUTES", 15),
        )
        audit.record(
            "payment.created",
            obj=payment,
            actor=actor,
            data={"dossier": dossier.code, "amount": str(payment.amount), "provider": name},
        )
        return Started(
            payment, provider.build_redirect(_order(payment, provider, return_url, client_ip)), False
        )


# --- the gateway's notification (IPN) -----------------------------------------------------------


@dataclass
class IpnOutcome:
    result: IpnResult
    body: str
    content_type: str
    payment: Payment | None = None


def _next_receipt_number(payment: Payment, when) -> str:
    year = timezone.localtime(when).year
    table = connection.ops.quote_name(ReceiptSequence._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (agency_id, year, last_value) VALUES (%s, %s, 1) "  # noqa: S608 — table name from _meta
            f"ON CONFLICT (agency_id, year) DO UPDATE SET last_value = {table}.last_value + 1 RETURNING last_value",
            [payment.agency_id, year],
        )
        (seq,) = cursor.fetchone()
    return f"BL-{payment.agency.code}-{year}-{seq:06d}"


def _note(provider_name, params, *, result, valid, message=None, payment=None) -> None:
    Notification.objects.create(
        provider=provider_name,
        received_at=timezone.now(),
        txn_ref=(message.txn_ref if message else str(params.get("vnp_TxnRef", "")))[:40],
        payment=payment,
        signature_valid=valid,
        result=result.value,
        amount=message.amount if message else None,
        data={k: str(v)[:500] for k, v in list(params.items())[:60]},
    )


def _mark_paid(payment: Payment, message, provider_name: str, now) -> None:
    PAYMENT.check("pay", state=payment.status)
    PAYMENT.apply(payment, "pay", now=now)  # status and closed_at
    payment.paid_at = message.paid_at or now
    payment.gateway_transaction_no = message.transaction_no
    payment.bank_code = message.bank_code
    payment.response_code = message.response_code
    payment.ipn_data = message.raw
    payment.receipt_number = _next_receipt_number(payment, payment.paid_at)
    obligation = payment.obligation
    if obligation.paid_at is None and payment.dossier.status == Status.FINANCIAL:
        dossiers.record_gateway_payment(payment.dossier_id, provider=provider_name, reference=payment.txn_ref)
        for other in (
            Payment.objects.select_for_update()
            .filter(obligation=obligation, status=Payment.Status.PENDING)
            .exclude(pk=payment.pk)
        ):
            _close(other, "supersede", now, "payment.superseded", data={"paid_by": payment.txn_ref})
    else:
        # The money arrived but the obligation was settled otherwise (at the counter, or by another
        # order): keep the payment, and flag it so the agency refunds it.
        payment.needs_review = _("Khoản phí đã được nộp bằng cách khác; cần hoàn trả cho người nộp.")
    payment.save()
    audit.record(
        "payment.paid",
        obj=payment,
        data={
            "dossier": payment.dossier.code,
            "amount": str(payment.amount),
            "transaction_no": payment.gateway_transaction_no,
            "receipt": payment.receipt_number,
            "review": payment.needs_review,
        },
    )
    hooks.payment_recorded.fire(payment=payment)


def handle_notification(provider_name: str, params) -> IpnOutcome:
    """The gateway's server-to-server notification: verify, check order and amount, apply once.

    Idempotent: a notification for a payment that is no longer pending changes nothing and is
    answered "already confirmed". Every notification is kept in ``Notification``.
    """
    provider = providers.get_provider(provider_name)
    if provider is None:
        raise NotFound(_("Không có cổng thanh toán này."))
    params = {str(k): str(v) for k, v in params.items()}

    def answer(result, *, valid, message=None, payment=None):
        _note(provider_name, params, result=result, valid=valid, message=message, payment=payment)
        return IpnOutcome(result, *provider.ipn_answer(result), payment=payment)

    try:
        if not provider.verify(params):
            return answer(IpnResult.INVALID_SIGNATURE, valid=False)
        try:
            message = provider.parse(params)
        except providers.InvalidMessage:
            return answer(IpnResult.ORDER_NOT_FOUND, valid=True)
        found = (
            Payment.objects.filter(txn_ref=message.txn_ref, provider=provider_name)
            .values("dossier_id")
            .first()
        )
        if found is None:
            return answer(IpnResult.ORDER_NOT_FOUND, valid=True, message=message)
        with transaction.atomic():
            # Same lock order as start_payment (dossier, then payment), so the two cannot deadlock.
            lock(Dossier, pk=found["dossier_id"])
            lock(Payment, txn_ref=message.txn_ref)  # then read fresh (core.locking)
            payment = Payment.objects.select_related("dossier", "obligation", "agency").get(
                txn_ref=message.txn_ref
            )
            if message.amount != payment.amount:
                return answer(IpnResult.INVALID_AMOUNT, valid=True, message=message, payment=payment)
            now = timezone.now()
            late = payment.status in (Payment.Status.EXPIRED, Payment.Status.CANCELLED)
            if payment.status == Payment.Status.PAID or (late and not message.success):
                return answer(IpnResult.ALREADY_CONFIRMED, valid=True, message=message, payment=payment)
            if payment.status == Payment.Status.FAILED:
                return answer(IpnResult.ALREADY_CONFIRMED, valid=True, message=message, payment=payment)
            if message.success:
                # A success for an order we had closed (expired, superseded) is still money received.
                _mark_paid(payment, message, provider_name, now)
            else:
                payment.response_code = message.response_code
                payment.ipn_data = message.raw
                payment.save(update_fields=["response_code", "ipn_data"])
                _close(
                    payment,
                    "cancel" if message.cancelled else "fail",
                    now,
                    "payment.failed",
                    data={"response_code": message.response_code},
                )
            return answer(IpnResult.OK, valid=True, message=message, payment=payment)
    except Exception:
        log.exception("payment notification failed", extra={"provider": provider_name})
        return IpnOutcome(IpnResult.ERROR, *provider.ipn_answer(IpnResult.ERROR))


# --- the browser's return ----------------------------------------------------------------------


@dataclass
class ReturnView:
    verified: bool
    payment: Payment | None
    gateway_success: bool
    response_code: str = ""


def read_return(provider_name: str, params, *, actor) -> ReturnView:
    """What to show when the gateway sends the browser back. Never changes a payment: only the
    notification does (a return URL can be replayed or forged by the browser)."""
    provider = providers.get_provider(provider_name)
    if provider is None:
        raise NotFound(_("Không có cổng thanh toán này."))
    params = {str(k): str(v) for k, v in params.items()}
    if not provider.verify(params):
        return ReturnView(False, None, False)
    try:
        message = provider.parse(params)
    except providers.InvalidMessage:
        return ReturnView(False, None, False)
    payment = (
        Payment.objects.select_related("dossier", "agency")
        .filter(txn_ref=message.txn_ref, provider=provider_name)
        .first()
    )
    if payment is None or not can(actor, "payments.view", payment):
        raise NotFound(_("Không tìm thấy giao dịch thanh toán."))
    return ReturnView(True, payment, message.success, message.response_code)


# --- expiry ------------------------------------------------------------------------------------


def expire_stale(now=None) -> int:
    """Close every pending payment whose time at the gateway has passed. Returns how many."""
    now = now or timezone.now()
    count = 0
    for pk in Payment.objects.filter(status=Payment.Status.PENDING, expires_at__lte=now).values_list(
        "pk", flat=True
    ):
        with transaction.atomic():
            payment = Payment.objects.select_for_update().filter(pk=pk).first()
            if payment is not None and _expire_if_due(payment, now):
                count += 1
    return count


def expire_for_dossier(dossier: Dossier) -> None:
    """Lazy expiry when a page shows a dossier's payments."""
    now = timezone.now()
    if Payment.objects.filter(dossier=dossier, status=Payment.Status.PENDING, expires_at__lte=now).exists():
        with transaction.atomic():
            for payment in Payment.objects.select_for_update().filter(
                dossier=dossier, status=Payment.Status.PENDING, expires_at__lte=now
            ):
                _expire_if_due(payment, now)


# --- reading payments and receipts -------------------------------------------------------------


def visible_payment(txn_ref: str, actor, *, action="payments.view") -> Payment:
    payment = (
        Payment.objects.select_related(
            "dossier__procedure_version__procedure", "agency", "payer", "obligation"
        )
        .filter(txn_ref=str(txn_ref)[:40])
        .first()
    )
    if payment is None or not can(actor, action, payment):
        raise NotFound(_("Không tìm thấy giao dịch thanh toán."))
    return payment


def receipt_for(txn_ref: str, actor, *, via: str = "web") -> Payment:
    """The electronic receipt (biên lai điện tử) of a paid payment; the read is audited."""
    payment = visible_payment(txn_ref, actor, action="payments.view_receipt")
    if payment.status != Payment.Status.PAID or not payment.receipt_number:
        raise NotFound(_("Giao dịch chưa thanh toán thành công nên chưa có biên lai."))
    audit.record("payment.receipt_read", obj=payment, actor=actor, data={"via": via})
    return payment


def receipt_data(payment: Payment) -> dict:
    d = payment.dossier
    return {
        "receipt_number": payment.receipt_number,
        "txn_ref": payment.txn_ref,
        "agency_code": payment.agency.code,
        "agency_name": payment.agency.name,
        "dossier_code": d.code,
        "procedure_name": d.procedure_version.procedure.name,
        "payer_name": d.applicant_name,
        "description": payment.obligation.description,
        "amount": payment.amount,
        "currency": payment.currency,
        "provider": payment.provider,
        "gateway_transaction_no": payment.gateway_transaction_no,
        "bank_code": payment.bank_code,
        "paid_at": payment.paid_at,
    }


# --- reconciliation ----------------------------------------------------------------------------


@dataclass
class ReconciliationRow:
    day: dt.date
    agency_code: str
    agency_name: str
    provider: str
    paid_count: int = 0
    paid_amount: Decimal = Decimal(0)
    pending_count: int = 0
    failed_count: int = 0
    mismatch_count: int = 0
    mismatches: list[str] = field(default_factory=list)


def may_reconcile(actor) -> bool:
    """Does the actor hold any role that reconciles payments somewhere (the page itself)?"""

    return bool(getattr(actor, "is_authenticated", False)) and (
        is_sysadmin(actor) or has_any_role(actor, RECONCILE_ROLES)
    )


def reconcilable_agencies(actor):
    ids = set(Payment.objects.values_list("agency_id", flat=True).distinct())
    return [
        a for a in Agency.objects.filter(pk__in=ids).order_by("name") if can(actor, "payments.reconcile", a)
    ]


def reconciliation(
    actor, date_from: dt.date, date_to: dt.date, agency_code: str = ""
) -> list[ReconciliationRow]:
    """Totals per day (local), agency and provider: paid (by payment date), pending, failed/expired/
    cancelled (by creation date) and mismatches (wrong-amount notifications, payments to review)."""
    if date_from > date_to:
        raise ServiceError(_("Ngày bắt đầu phải trước hoặc bằng ngày kết thúc."), field="date_from")
    if (date_to - date_from).days > 366:
        raise ServiceError(_("Chỉ đối soát tối đa một năm mỗi lần."), field="date_to")
    agencies = reconcilable_agencies(actor)
    if agency_code:
        agencies = [a for a in agencies if a.code == agency_code]
    if not agencies:
        return []
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(date_from, dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    ids = [a.pk for a in agencies]
    rows: dict[tuple, ReconciliationRow] = {}

    def row(day, payment_or_agency, provider):
        agency = payment_or_agency
        key = (day, agency.code, provider)
        if key not in rows:
            rows[key] = ReconciliationRow(day, agency.code, agency.name, provider)
        return rows[key]

    payments = Payment.objects.select_related("agency").filter(
        Q(paid_at__gte=start, paid_at__lt=end)
        | Q(paid_at__isnull=True, created_at__gte=start, created_at__lt=end),
        agency_id__in=ids,
    )
    for p in payments:
        day = timezone.localtime(p.paid_at or p.created_at).date()
        r = row(day, p.agency, p.provider)
        if p.status == Payment.Status.PAID:
            r.paid_count += 1
            r.paid_amount += p.amount
            if p.needs_review:
                r.mismatch_count += 1
                r.mismatches.append(f"{p.txn_ref}: {p.needs_review}")
        elif p.status == Payment.Status.PENDING:
            r.pending_count += 1
        else:
            r.failed_count += 1
    wrong = Notification.objects.select_related("payment__agency").filter(
        result=IpnResult.INVALID_AMOUNT.value,
        received_at__gte=start,
        received_at__lt=end,
        payment__agency_id__in=ids,
    )
    for n in wrong:
        r = row(timezone.localtime(n.received_at).date(), n.payment.agency, n.provider)
        r.mismatch_count += 1
        r.mismatches.append(
            _("%(ref)s: cổng báo %(got)s đồng, giao dịch %(want)s đồng")
            % {"ref": n.txn_ref, "got": f"{n.amount:,.0f}", "want": f"{n.payment.amount:,.0f}"}
        )
    audit.record(
        "payment.reconciliation_read",
        actor=actor,
        data={
            "from": date_from.isoformat(),
            "to": date_to.isoformat(),
            "agencies": [a.code for a in agencies],
        },
    )
    return sorted(rows.values(), key=lambda r: (r.day, r.agency_code, r.provider))


def totals(rows: list[ReconciliationRow]) -> dict:
    out = defaultdict(lambda: Decimal(0))
    for r in rows:
        out["paid_count"] += r.paid_count
        out["paid_amount"] += r.paid_amount
        out["pending_count"] += r.pending_count
        out["failed_count"] += r.failed_count
        out["mismatch_count"] += r.mismatch_count
    return {k: (int(v) if k != "paid_amount" else v) for k, v in out.items()}
