"""Online payment API under /api/v1/payments: what a citizen and an agency do on the pages.

- ``POST /dossiers/{code}`` opens (or reuses) the payment of the dossier's open fee and returns the
  gateway's redirect URL; someone else's dossier is 404, and nothing is written.
- ``GET /{txn_ref}`` the payment's status; ``GET /{txn_ref}/receipt`` the electronic receipt's data.
- ``GET /reconciliation?date_from=…&date_to=…&agency=…`` totals per day, agency and gateway.

The gateway's server-to-server notification (IPN) is not here: it is the gateway's own protocol,
served at ``/thanh-toan/ipn/<provider>/`` (a signed GET, answered with the gateway's JSON).
"""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.core.validators import slug_re
from django.http import Http404
from django.urls import reverse
from ninja import Query, Router, Schema

from congso.core.api_auth import read_auth, write_auth
from congso.core.logging import client_ip_var

from . import providers, services

router = Router(tags=["Thanh toán trực tuyến"], auth=read_auth)


class PaymentOut(Schema):
    txn_ref: str
    dossier_code: str
    amount: Decimal
    currency: str
    provider: str
    status: str
    status_label: str
    created_at: dt.datetime
    expires_at: dt.datetime
    paid_at: dt.datetime | None
    receipt_number: str | None


class StartedOut(PaymentOut):
    redirect_url: str
    reused: bool


class StartIn(Schema):
    provider: str | None = None


class ReceiptOut(Schema):
    receipt_number: str
    txn_ref: str
    agency_code: str
    agency_name: str
    dossier_code: str
    procedure_name: str
    payer_name: str
    description: str
    amount: Decimal
    currency: str
    provider: str
    gateway_transaction_no: str
    bank_code: str
    paid_at: dt.datetime


class RowOut(Schema):
    day: dt.date
    agency_code: str
    agency_name: str
    provider: str
    paid_count: int
    paid_amount: Decimal
    pending_count: int
    failed_count: int
    mismatch_count: int
    mismatches: list[str]


class ReconciliationOut(Schema):
    rows: list[RowOut]
    totals: dict


class ReconciliationQuery(Schema):
    date_from: dt.date
    date_to: dt.date
    agency: str = ""


def _out(p) -> dict:
    return {
        "txn_ref": p.txn_ref,
        "dossier_code": p.dossier.code,
        "amount": p.amount,
        "currency": p.currency,
        "provider": p.provider,
        "status": p.status,
        "status_label": str(p.get_status_display()),
        "created_at": p.created_at,
        "expires_at": p.expires_at,
        "paid_at": p.paid_at,
        "receipt_number": p.receipt_number,
    }


@router.post(
    "/dossiers/{code}", response=StartedOut, summary="Tạo giao dịch thanh toán cho hồ sơ", auth=write_auth
)
def start(request, code: str, data: StartIn | None = None):
    name = (data.provider if data else None) or providers.default_name()
    if not slug_re.match(name):
        raise Http404("not a provider's name")  # providers are named by slugs, as in their URLs
    started = services.start_payment(
        code,
        actor=request.auth,
        provider_name=name,
        return_url=request.build_absolute_uri(reverse("payments:return", args=[name])),
        client_ip=client_ip_var.get() or request.META.get("REMOTE_ADDR", ""),
    )
    return {**_out(started.payment), "redirect_url": started.redirect_url, "reused": started.reused}


@router.get("/reconciliation", response=ReconciliationOut, summary="Đối soát theo ngày và cơ quan")
def reconciliation(request, q: Query[ReconciliationQuery]):
    if not services.may_reconcile(request.auth):
        raise PermissionDenied("Bạn không có quyền xem đối soát thanh toán.")
    rows = services.reconciliation(request.auth, q.date_from, q.date_to, q.agency)
    return {"rows": rows, "totals": {k: str(v) for k, v in services.totals(rows).items()}}


@router.get("/{txn_ref}", response=PaymentOut, summary="Trạng thái giao dịch thanh toán")
def status(request, txn_ref: str):
    payment = services.visible_payment(txn_ref, request.auth, action="payments.view_receipt")
    services.expire_for_dossier(payment.dossier)
    payment.refresh_from_db()
    return _out(payment)


@router.get("/{txn_ref}/receipt", response=ReceiptOut, summary="Biên lai điện tử")
def receipt(request, txn_ref: str):
    return services.receipt_data(services.receipt_for(txn_ref, request.auth, via="api"))
