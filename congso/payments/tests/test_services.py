"""Payment use cases: who may pay, one open order per fee, the IPN rules, expiry, the gateway role."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from congso.catalog.models import Offering
from congso.core.errors import NotFound, ServiceError
from congso.core.models import AuditEntry
from congso.dossiers import services as dossiers
from congso.dossiers.models import Dossier, Status
from congso.dossiers.workflow import DOSSIER, PAYMENT_GATEWAY
from congso.payments import services
from congso.payments import vnpay_protocol as vp
from congso.payments.models import Notification, Payment
from congso.payments.providers import IpnResult

from .conftest import FEE, SECRET, TMN

RETURN = "http://testserver/thanh-toan/ket-qua/vnpay/"


def start(dossier, user):
    return services.start_payment(dossier.code, actor=user, return_url=RETURN, client_ip="203.0.113.9")


def ipn(payment, *, amount=None, code="00", secret=SECRET, **over):
    params = {
        "vnp_Amount": str(int((amount if amount is not None else payment.amount) * 100)),
        "vnp_BankCode": "NCB",
        "vnp_CardType": "ATM",
        "vnp_OrderInfo": payment.description,
        "vnp_PayDate": vp.format_date(timezone.now()),
        "vnp_ResponseCode": code,
        "vnp_TmnCode": TMN,
        "vnp_TransactionNo": "14226112" if code == "00" else "0",
        "vnp_TransactionStatus": "00" if code == "00" else "02",
        "vnp_TxnRef": payment.txn_ref,
        **over,
    }
    params["vnp_SecureHash"] = vp.sign(params, secret)
    return services.handle_notification("vnpay", params)


def snapshot(dossier):
    d = Dossier.objects.get(pk=dossier.pk)
    return (
        d.status,
        d.version,
        list(Payment.objects.order_by("pk").values_list("status", "paid_at", "receipt_number")),
        list(d.obligations.values_list("paid_at", flat=True)),
    )


# --- fees -----------------------------------------------------------------------------------


def test_suggested_fee_comes_from_the_procedure_then_the_local_offering(owed, procedure_version, agencies):
    assert services.suggested_fee(owed) is None  # birth registration: no fee in the catalogue
    content = procedure_version.content
    content["channels"][1]["fee"] = {"kind": "amount", "amount": "8000", "currency": "VND"}
    procedure_version.content = content
    procedure_version.save()
    owed.refresh_from_db()
    assert services.suggested_fee(owed) == Decimal(8000)  # the online channel's fee
    Offering.objects.create(
        procedure=procedure_version.procedure, agency=agencies["ward"], is_active=True, local_fee_amount=6000
    )
    assert services.suggested_fee(owed) == Decimal(6000)  # the agency's local fee wins


# --- who may pay ----------------------------------------------------------------------------


def test_applicant_starts_a_payment_of_the_open_fee(owed, citizen):
    started = start(owed, citizen)
    p = started.payment
    assert not started.reused
    assert (p.amount, p.status, p.payer, p.agency, p.provider) == (
        FEE,
        "pending",
        citizen,
        owed.receiving_agency,
        "vnpay",
    )
    assert p.expires_at == p.created_at + dt.timedelta(minutes=15)
    assert f"vnp_TxnRef={p.txn_ref}" in started.redirect_url
    assert "vnp_Amount=5000000" in started.redirect_url
    assert AuditEntry.objects.filter(action="payment.created", object_id=str(p.pk)).exists()


def test_paying_someone_elses_dossier_is_not_found_and_writes_nothing(owed, other_citizen, staff):
    before = (AuditEntry.objects.count(), snapshot(owed))
    for intruder in (other_citizen, staff["clerk"], staff["leader"]):
        with pytest.raises(NotFound):
            start(owed, intruder)
    assert (AuditEntry.objects.count(), snapshot(owed)) == before
    assert Payment.objects.count() == 0


def test_unknown_dossier_and_dossier_without_fee(owed, citizen, staff):
    with pytest.raises(NotFound):
        services.start_payment("H21.23575-000000-9999", actor=citizen, return_url=RETURN)
    dossiers.record_payment(owed.pk, actor=staff["clerk"], channel="counter")
    with pytest.raises(ServiceError, match="không có khoản phí"):
        start(owed, citizen)
    assert Payment.objects.count() == 0


def test_a_second_click_reuses_the_open_order(owed, citizen):
    first = start(owed, citizen)
    again = start(owed, citizen)
    assert again.reused and again.payment.pk == first.payment.pk
    assert again.redirect_url == first.redirect_url
    assert Payment.objects.count() == 1


def test_an_abandoned_payment_expires_and_a_new_one_can_be_made(owed, citizen):
    first = start(owed, citizen).payment
    Payment.objects.filter(pk=first.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    call_command("payments", "expire")
    first.refresh_from_db()
    assert first.status == "expired" and first.closed_at
    assert AuditEntry.objects.filter(action="payment.expired", object_id=str(first.pk)).exists()
    second = start(owed, citizen).payment
    assert second.pk != first.pk and second.status == "pending"
    assert ipn(second).result == IpnResult.OK
    assert Dossier.objects.get(pk=owed.pk).status == Status.ACCEPTED


def test_lazy_expiry_when_starting_again(owed, citizen):
    first = start(owed, citizen).payment
    Payment.objects.filter(pk=first.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    second = start(owed, citizen).payment
    first.refresh_from_db()
    assert first.status == "expired" and second.pk != first.pk


# --- the notification -----------------------------------------------------------------------


def test_a_valid_notification_marks_paid_numbers_the_receipt_and_resumes_the_dossier(owed, citizen):
    p = start(owed, citizen).payment
    outcome = ipn(p)
    assert outcome.result == IpnResult.OK
    assert outcome.body == '{"RspCode": "00", "Message": "Confirm Success"}'
    p.refresh_from_db()
    assert (
        p.status == "paid" and p.paid_at and p.gateway_transaction_no == "14226112" and p.bank_code == "NCB"
    )
    assert p.receipt_number == f"BL-H21.23575-{timezone.localdate().year}-000001"
    assert p.ipn_data["vnp_TxnRef"] == p.txn_ref
    d = Dossier.objects.get(pk=owed.pk)
    assert d.status == Status.ACCEPTED  # resumed from 6
    assert d.pauses.filter(ended_at__isnull=True).count() == 0
    obligation = d.obligations.get()
    assert obligation.paid_at and obligation.payment_channel == "gateway:vnpay"
    assert obligation.payment_reference == p.txn_ref
    entry = d.timeline.get(action="record_payment")
    assert entry.actor is None and entry.actor_name == "Cổng thanh toán VNPAY"
    assert AuditEntry.objects.filter(action="payment.paid", object_id=str(p.pk)).exists()
    assert AuditEntry.objects.filter(action="dossier.record_payment").exists()


def test_a_replayed_notification_is_answered_already_confirmed_and_changes_nothing(owed, citizen):
    p = start(owed, citizen).payment
    ipn(p)
    before = (AuditEntry.objects.count(), snapshot(owed))
    again = ipn(p)
    assert again.result == IpnResult.ALREADY_CONFIRMED and '"02"' in again.body
    assert (AuditEntry.objects.count(), snapshot(owed)) == before


def test_forged_signature_is_97_and_changes_nothing(owed, citizen):
    p = start(owed, citizen).payment
    before = snapshot(owed)
    outcome = ipn(p, secret="not-the-secret")
    assert outcome.result == IpnResult.INVALID_SIGNATURE and '"97"' in outcome.body
    assert snapshot(owed) == before
    assert Notification.objects.get().signature_valid is False


def test_wrong_amount_is_04_and_changes_nothing(owed, citizen):
    p = start(owed, citizen).payment
    before = snapshot(owed)
    outcome = ipn(p, amount=Decimal(5000))
    assert outcome.result == IpnResult.INVALID_AMOUNT and '"04"' in outcome.body
    assert snapshot(owed) == before


def test_unknown_order_or_other_merchant_is_01(owed, citizen):
    p = start(owed, citizen).payment
    assert ipn(p, vnp_TxnRef="261122DOESNOTEXIST").result == IpnResult.ORDER_NOT_FOUND
    assert ipn(p, vnp_TmnCode="OTHER001").result == IpnResult.ORDER_NOT_FOUND
    assert Payment.objects.get().status == "pending"


def test_a_cancelled_transaction_closes_the_order_and_a_new_one_can_be_made(owed, citizen):
    p = start(owed, citizen).payment
    assert ipn(p, code="24").result == IpnResult.OK
    p.refresh_from_db()
    assert p.status == "cancelled"
    assert Dossier.objects.get(pk=owed.pk).status == Status.FINANCIAL
    assert ipn(p, code="24").result == IpnResult.ALREADY_CONFIRMED
    assert start(owed, citizen).payment.pk != p.pk


def test_money_for_a_fee_already_paid_at_the_counter_is_flagged_for_refund(owed, citizen, staff):
    p = start(owed, citizen).payment
    dossiers.record_payment(owed.pk, actor=staff["clerk"], channel="counter", reference="BL-quay-01")
    assert ipn(p).result == IpnResult.OK
    p.refresh_from_db()
    assert p.status == "paid" and "hoàn trả" in p.needs_review
    assert Dossier.objects.get(pk=owed.pk).obligations.get().payment_channel == "counter"


def test_unknown_provider_is_not_found():
    with pytest.raises(NotFound):
        services.handle_notification("momo", {})


# --- the gateway pseudo-role ----------------------------------------------------------------


def test_only_the_system_holds_the_gateway_role(owed, citizen, other_citizen, staff):
    assert PAYMENT_GATEWAY in DOSSIER.get("record_payment").roles
    for person in (citizen, other_citizen, staff["officer"]):
        assert PAYMENT_GATEWAY not in dossiers.roles_for(person, owed)
        with pytest.raises(ServiceError):
            dossiers.record_payment(owed.pk, actor=person, channel="gateway:vnpay", reference="x")
    assert Dossier.objects.get(pk=owed.pk).status == Status.FINANCIAL
    dossiers.record_gateway_payment(owed.pk, provider="vnpay", reference="261122ABC")
    assert Dossier.objects.get(pk=owed.pk).status == Status.ACCEPTED


def test_the_community_helper_who_filed_may_pay(owed, citizen, other_citizen):
    Dossier.objects.filter(pk=owed.pk).update(assisted_by=other_citizen)
    owed.refresh_from_db()
    started = start(owed, other_citizen)
    assert started.payment.payer == other_citizen
