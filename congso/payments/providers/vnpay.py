"""VNPAY (Cổng thanh toán VNPAY), payment URL protocol 2.1.0 with HMAC-SHA512 signatures.

Options (settings.CONGSO_PAYMENT_PROVIDERS["vnpay"]["OPTIONS"]): ``payment_url`` (the gateway's
``/paymentv2/vpcpay.html``), ``tmn_code`` (merchant terminal code), ``hash_secret``, ``order_type``
(default "other"), ``locale`` (vn | en). The IPN URL is registered with the gateway, not sent.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

from congso.dossiers.models import MAX_AMOUNT

from .. import vnpay_protocol as vp
from .base import GatewayMessage, InvalidMessage, IpnResult, Order, PaymentProvider

ANSWER_CODES = {
    IpnResult.OK: "00",
    IpnResult.ORDER_NOT_FOUND: "01",
    IpnResult.ALREADY_CONFIRMED: "02",
    IpnResult.INVALID_AMOUNT: "04",
    IpnResult.INVALID_SIGNATURE: "97",
    IpnResult.ERROR: "99",
}


class VnpayProvider(PaymentProvider):
    label = "VNPAY"

    @property
    def secret(self) -> str:
        return self.options.get("hash_secret", "")

    @property
    def tmn_code(self) -> str:
        return self.options.get("tmn_code", "")

    def order_params(self, order: Order) -> dict[str, str]:
        return {
            "vnp_Version": vp.VERSION,
            "vnp_Command": "pay",
            "vnp_TmnCode": self.tmn_code,
            "vnp_Amount": str(int(order.amount) * 100),
            "vnp_CurrCode": order.currency,
            "vnp_TxnRef": order.txn_ref,
            # VNPAY asks for order info without Vietnamese diacritics or special characters.
            "vnp_OrderInfo": order.description,
            "vnp_OrderType": self.options.get("order_type", "other"),
            "vnp_Locale": order.locale if order.locale in ("vn", "en") else "vn",
            "vnp_ReturnUrl": order.return_url,
            "vnp_IpAddr": order.client_ip or "127.0.0.1",
            "vnp_CreateDate": vp.format_date(order.created_at),
            "vnp_ExpireDate": vp.format_date(order.expires_at),
        }

    def build_redirect(self, order: Order) -> str:
        return f"{self.options['payment_url']}?{vp.signed_query(self.order_params(order), self.secret)}"

    def verify(self, params: Mapping[str, str]) -> bool:
        return vp.verify(params, self.secret)

    def parse(self, params: Mapping[str, str]) -> GatewayMessage:
        if params.get("vnp_TmnCode") != self.tmn_code:
            raise InvalidMessage("vnp_TmnCode is not this merchant's")
        txn_ref = str(params.get("vnp_TxnRef") or "")
        try:
            raw_amount = Decimal(str(params.get("vnp_Amount")))
        except (InvalidOperation, ValueError):
            raise InvalidMessage("vnp_Amount is not a number") from None
        if not txn_ref or not raw_amount.is_finite() or raw_amount < 0:
            raise InvalidMessage("vnp_TxnRef or vnp_Amount missing")
        if raw_amount >= MAX_AMOUNT * 100:  # in hundredths of a đồng
            raise InvalidMessage("vnp_Amount is larger than any fee")
        code = str(params.get("vnp_ResponseCode") or "")
        status = str(params.get("vnp_TransactionStatus") or "")
        return GatewayMessage(
            txn_ref=txn_ref,
            amount=raw_amount / 100,
            success=code == vp.RESPONSE_SUCCESS and status in ("", vp.TRANSACTION_SUCCESS),
            cancelled=code == vp.RESPONSE_CANCELLED,
            response_code=code,
            transaction_no=str(params.get("vnp_TransactionNo") or "")[:40],
            bank_code=str(params.get("vnp_BankCode") or "")[:20],
            paid_at=vp.parse_date(str(params.get("vnp_PayDate") or "")),
            raw={k: str(v)[:500] for k, v in params.items() if k.startswith("vnp_")},
        )

    def ipn_answer(self, result: IpnResult) -> tuple[str, str]:
        code = ANSWER_CODES[result]
        return json.dumps({"RspCode": code, "Message": vp.IPN_ANSWERS[code]}), "application/json"
