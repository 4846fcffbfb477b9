"""The real flow over HTTP: our live server, the sandbox gateway as a separate process, and its
server-to-server notification (IPN) calling back into the live server."""

from urllib.parse import parse_qsl, urlsplit

import pytest
from django.core.management import call_command
from django.urls import reverse

from congso.dossiers.models import Dossier, Status
from congso.payments import vnpay_protocol as vp
from congso.payments.models import Payment

from .conftest import FEE, SECRET, Browser

pytestmark = pytest.mark.django_db(transaction=True)


def state(dossier):
    d = Dossier.objects.get(pk=dossier.pk)
    return d.status, d.version, list(Payment.objects.order_by("pk").values_list("status", "paid_at"))


def test_successful_payment_resumes_the_dossier(owed, citizen, sandbox, live_server, client):
    me = Browser(live_server, client, citizen)
    page = me.get(reverse("payments:pay", args=[owed.code]))
    assert page.status_code == 200
    assert "Thanh toán trực tuyến" in page.text and "50.000" in page.text
    gateway_url = me.start_payment(owed.code)
    assert gateway_url.startswith(sandbox.url + "/paymentv2/vpcpay.html?")
    gateway_page = me.get(gateway_url)
    assert "Thanh toán" in gateway_page.text and "Hủy giao dịch" in gateway_page.text
    order = me.open_gateway(gateway_url)
    back = me.choose(sandbox, order, "pay")
    assert back.status_code == 302
    # The sandbox called our IPN before sending the browser back; it got "00".
    (sent,) = sandbox.log()
    assert sent["answer"] == {"RspCode": "00", "Message": "Confirm Success"}
    payment = Payment.objects.get()
    assert payment.status == "paid" and payment.receipt_number
    d = Dossier.objects.get(pk=owed.pk)
    assert d.status == Status.ACCEPTED  # back from 6
    assert d.obligations.get().payment_channel == "gateway:vnpay"
    # The browser's return page is signed and shows the outcome; the receipt is there.
    return_url = back.headers["Location"]
    assert urlsplit(return_url).path == reverse("payments:return", args=["vnpay"])
    result = me.get(return_url)
    assert result.status_code == 200 and "Thanh toán thành công" in result.text
    receipt = me.get(reverse("payments:receipt", args=[payment.txn_ref]))
    assert receipt.status_code == 200 and payment.receipt_number in receipt.text


def test_replayed_ipn_is_idempotent(owed, citizen, sandbox, live_server, client):
    me = Browser(live_server, client, citizen)
    order = me.open_gateway(me.start_payment(owed.code))
    me.choose(sandbox, order, "pay")
    txn_ref = Payment.objects.get().txn_ref
    before = state(owed)
    for _ in range(2):
        assert sandbox.post("/_sandbox/replay", txn_ref=txn_ref).json()["RspCode"] == "02"
    assert state(owed) == before


def test_forged_signature_is_refused_and_changes_nothing(owed, citizen, sandbox, live_server, client):
    me = Browser(live_server, client, citizen)
    me.open_gateway(me.start_payment(owed.code))
    txn_ref = Payment.objects.get().txn_ref
    before = state(owed)
    answer = sandbox.post("/_sandbox/notify", txn_ref=txn_ref, forge="1").json()
    assert answer == {"RspCode": "97", "Message": "Invalid signature"}
    assert state(owed) == before
    assert Dossier.objects.get(pk=owed.pk).status == Status.FINANCIAL


def test_wrong_amount_is_refused_and_changes_nothing(owed, citizen, sandbox, live_server, client):
    me = Browser(live_server, client, citizen)
    order = me.open_gateway(me.start_payment(owed.code))
    txn_ref = Payment.objects.get().txn_ref
    before = state(owed)
    answer = sandbox.post("/_sandbox/notify", txn_ref=txn_ref, amount=str((FEE - 1000) * 100)).json()
    assert answer == {"RspCode": "04", "Message": "Invalid amount"}
    assert state(owed) == before
    # The genuine payment still goes through afterwards.
    me.choose(sandbox, order, "pay")
    assert Dossier.objects.get(pk=owed.pk).status == Status.ACCEPTED


def test_return_page_before_the_ipn_says_waiting_and_marks_nothing(
    owed, citizen, sandbox, live_server, client
):
    """A signed return without the notification (the IPN is late): the page is honest, nothing is paid."""

    me = Browser(live_server, client, citizen)
    me.open_gateway(me.start_payment(owed.code))
    p = Payment.objects.get()
    params = {
        "vnp_Amount": str(FEE * 100),
        "vnp_ResponseCode": "00",
        "vnp_TransactionStatus": "00",
        "vnp_TmnCode": "CONGSO01",
        "vnp_TxnRef": p.txn_ref,
        "vnp_TransactionNo": "1",
    }
    params["vnp_SecureHash"] = vp.sign(params, SECRET)
    page = me.get(reverse("payments:return", args=["vnpay"]), params=params)
    assert page.status_code == 200 and "Đang chờ xác nhận" in page.text
    forged = me.get(reverse("payments:return", args=["vnpay"]), params={**params, "vnp_Amount": "100"})
    assert "sai chữ ký" in forged.text
    assert Payment.objects.get().status == "pending"
    assert Dossier.objects.get(pk=owed.pk).status == Status.FINANCIAL


def test_cancel_at_the_gateway(owed, citizen, sandbox, live_server, client):
    me = Browser(live_server, client, citizen)
    order = me.open_gateway(me.start_payment(owed.code))
    back = me.choose(sandbox, order, "cancel")
    params = dict(parse_qsl(urlsplit(back.headers["Location"]).query))
    assert params["vnp_ResponseCode"] == "24"
    assert Payment.objects.get().status == "cancelled"
    assert "Đã hủy" in me.get(back.headers["Location"]).text
    assert Dossier.objects.get(pk=owed.pk).status == Status.FINANCIAL


def test_abandoned_payment_expires_and_a_new_one_succeeds(owed, citizen, sandbox, live_server, client):
    me = Browser(live_server, client, citizen)
    first_url = me.start_payment(owed.code)
    me.open_gateway(first_url)  # the citizen closes the tab here
    first = Payment.objects.get()
    Payment.objects.filter(pk=first.pk).update(expires_at=first.created_at)  # its 15 minutes are over
    call_command("payments", "expire")
    first.refresh_from_db()
    assert first.status == "expired"
    second_url = me.start_payment(owed.code)
    assert second_url != first_url
    me.choose(sandbox, me.open_gateway(second_url), "pay")
    second = Payment.objects.exclude(pk=first.pk).get()
    assert second.status == "paid"
    assert Dossier.objects.get(pk=owed.pk).status == Status.ACCEPTED


def test_paying_someone_elses_dossier_is_refused(owed, other_citizen, sandbox, live_server, client):
    intruder = Browser(live_server, client, other_citizen)
    url = reverse("payments:pay", args=[owed.code])
    assert intruder.get(url).status_code == 404
    r = intruder.post_form(url)
    assert r.status_code in (403, 404)
    assert Payment.objects.count() == 0
    assert Dossier.objects.get(pk=owed.pk).status == Status.FINANCIAL
