"""VNPAY 2.1.0 signing and reading, checked against the rules written out by hand."""

import datetime as dt
import hashlib
import hmac
import json
from decimal import Decimal
from urllib.parse import parse_qsl, urlsplit

import pytest

from congso.payments import vnpay_protocol as vp
from congso.payments.providers import InvalidMessage, IpnResult, Order
from congso.payments.providers.vnpay import VnpayProvider

SECRET = "SECRETKEYDEMO0123456789"  # noqa: S105

# The documented example order (sandbox.vnpayment.vn "Tạo URL Thanh toán", version 2.1.0).
DOC_PARAMS = {
    "vnp_Amount": "1806000",
    "vnp_Command": "pay",
    "vnp_CreateDate": "20210801153333",
    "vnp_CurrCode": "VND",
    "vnp_IpAddr": "127.0.0.1",
    "vnp_Locale": "vn",
    "vnp_OrderInfo": "Thanh toan don hang :5",
    "vnp_OrderType": "other",
    "vnp_ReturnUrl": "https://domainmerchant.vn/ReturnUrl",
    "vnp_TmnCode": "DEMOV210",
    "vnp_TxnRef": "5",
    "vnp_Version": "2.1.0",
}
# Its query string as printed in the documentation (before &vnp_SecureHash=…).
DOC_QUERY = (
    "vnp_Amount=1806000&vnp_Command=pay&vnp_CreateDate=20210801153333&vnp_CurrCode=VND&vnp_IpAddr=127.0.0.1"
    "&vnp_Locale=vn&vnp_OrderInfo=Thanh+toan+don+hang+%3A5&vnp_OrderType=other"
    "&vnp_ReturnUrl=https%3A%2F%2Fdomainmerchant.vn%2FReturnUrl&vnp_TmnCode=DEMOV210&vnp_TxnRef=5&vnp_Version=2.1.0"
)


def provider():
    return VnpayProvider(
        "vnpay",
        payment_url="https://sandbox.example/paymentv2/vpcpay.html",
        tmn_code="CONGSO01",
        hash_secret=SECRET,
    )


def test_canonical_string_matches_the_documented_example():
    assert vp.canonical(DOC_PARAMS) == DOC_QUERY


def test_signature_is_hmac_sha512_of_the_canonical_string():
    expected = hmac.new(SECRET.encode(), DOC_QUERY.encode(), hashlib.sha512).hexdigest()
    assert vp.sign(DOC_PARAMS, SECRET) == expected
    assert len(expected) == 128


def test_order_of_parameters_and_hash_fields_do_not_change_the_signature():
    shuffled = dict(reversed(list(DOC_PARAMS.items())))
    signed = {**shuffled, "vnp_SecureHash": vp.sign(DOC_PARAMS, SECRET), "vnp_SecureHashType": "HmacSHA512"}
    assert vp.verify(signed, SECRET)
    assert vp.verify({**signed, "vnp_SecureHash": signed["vnp_SecureHash"].upper()}, SECRET)


@pytest.mark.parametrize(
    "change",
    [
        {"vnp_Amount": "1806100"},
        {"vnp_TxnRef": "6"},
        {"vnp_OrderInfo": "Thanh toan don hang :6"},
        {"vnp_SecureHash": "0" * 128},
        {"vnp_SecureHash": ""},
    ],
)
def test_any_change_breaks_the_signature(change):
    signed = {**DOC_PARAMS, "vnp_SecureHash": vp.sign(DOC_PARAMS, SECRET)}
    assert not vp.verify({**signed, **change}, SECRET)


def test_wrong_secret_or_empty_secret_never_verifies():
    signed = {**DOC_PARAMS, "vnp_SecureHash": vp.sign(DOC_PARAMS, SECRET)}
    assert not vp.verify(signed, "another-secret")
    assert not vp.verify(signed, "")


def test_redirect_url_carries_every_required_parameter_signed():
    created = dt.datetime(2026, 11, 22, 2, 30, 5, tzinfo=dt.UTC)  # 09:30:05 in Việt Nam
    order = Order(
        txn_ref="261122ABCDEF",
        amount=Decimal(50000),
        description="Thanh toan phi, le phi ho so H21.23575-261122-0001",
        return_url="http://127.0.0.1:8000/thanh-toan/ket-qua/vnpay/",
        client_ip="203.0.113.7",
        created_at=created,
        expires_at=created + dt.timedelta(minutes=15),
    )
    url = provider().build_redirect(order)
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == "https://sandbox.example/paymentv2/vpcpay.html"
    params = dict(parse_qsl(parts.query))
    assert params["vnp_Version"] == "2.1.0"
    assert params["vnp_Command"] == "pay"
    assert params["vnp_TmnCode"] == "CONGSO01"
    assert params["vnp_Amount"] == "5000000"  # × 100
    assert params["vnp_CurrCode"] == "VND"
    assert params["vnp_TxnRef"] == "261122ABCDEF"
    assert params["vnp_OrderType"] == "other"
    assert params["vnp_Locale"] == "vn"
    assert params["vnp_IpAddr"] == "203.0.113.7"
    assert params["vnp_CreateDate"] == "20261122093005"  # GMT+7
    assert params["vnp_ExpireDate"] == "20261122094505"
    assert "vnp_SecureHashType" not in params  # 2.1.0 does not send it
    assert vp.verify(params, SECRET)
    # The query string is the signed string itself, then the hash.
    assert parts.query == f"{vp.canonical(params)}&vnp_SecureHash={params['vnp_SecureHash']}"


def ipn_params(**over):
    params = {
        "vnp_Amount": "5000000",
        "vnp_BankCode": "NCB",
        "vnp_BankTranNo": "VNP14226112",
        "vnp_CardType": "ATM",
        "vnp_OrderInfo": "Thanh toan phi",
        "vnp_PayDate": "20261122093512",
        "vnp_ResponseCode": "00",
        "vnp_TmnCode": "CONGSO01",
        "vnp_TransactionNo": "14226112",
        "vnp_TransactionStatus": "00",
        "vnp_TxnRef": "261122ABCDEF",
        **over,
    }
    params["vnp_SecureHash"] = vp.sign(params, SECRET)
    return params


def test_parse_a_successful_notification():
    p = provider()
    params = ipn_params()
    assert p.verify(params)
    m = p.parse(params)
    assert m.txn_ref == "261122ABCDEF"
    assert m.amount == Decimal(50000)
    assert m.success and not m.cancelled
    assert m.transaction_no == "14226112"
    assert m.bank_code == "NCB"
    assert m.paid_at == dt.datetime(2026, 11, 22, 9, 35, 12, tzinfo=vp.VN_TZ)


def test_parse_a_cancelled_notification():
    m = provider().parse(ipn_params(vnp_ResponseCode="24", vnp_TransactionStatus="02", vnp_TransactionNo="0"))
    assert not m.success and m.cancelled


def test_a_notification_for_another_merchant_or_malformed_is_refused():
    with pytest.raises(InvalidMessage):
        provider().parse(ipn_params(vnp_TmnCode="OTHER001"))
    with pytest.raises(InvalidMessage):
        provider().parse(ipn_params(vnp_Amount="năm mươi nghìn"))


@pytest.mark.parametrize(
    ("result", "code", "message"),
    [
        (IpnResult.OK, "00", "Confirm Success"),
        (IpnResult.ORDER_NOT_FOUND, "01", "Order not found"),
        (IpnResult.ALREADY_CONFIRMED, "02", "Order already confirmed"),
        (IpnResult.INVALID_AMOUNT, "04", "Invalid amount"),
        (IpnResult.INVALID_SIGNATURE, "97", "Invalid signature"),
        (IpnResult.ERROR, "99", "Unknown error"),
    ],
)
def test_ipn_answers_are_the_gateway_json(result, code, message):
    body, content_type = provider().ipn_answer(result)
    assert content_type == "application/json"
    assert json.loads(body) == {"RspCode": code, "Message": message}


def test_an_amount_the_ledger_cannot_hold_is_refused():
    with pytest.raises(InvalidMessage):
        provider().parse(ipn_params(vnp_Amount=str(10**16)))  # 10¹⁴ đồng, × 100
    assert provider().parse(ipn_params(vnp_Amount=str(10**16 - 100))).amount == 10**14 - 1
