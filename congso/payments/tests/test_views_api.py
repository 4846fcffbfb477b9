"""Pages and API: who sees what (forbidden cases as carefully as allowed ones), receipts, reconciliation."""

import csv
import datetime as dt
import io
import json

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from congso.accounts.models import User
from congso.catalog.models import Offering
from congso.directory.models import Membership, Role
from congso.directory.testing import login_verified
from congso.dossiers import services as dossiers
from congso.dossiers.models import Channel
from congso.payments import services
from congso.payments.models import Notification, Payment

from .conftest import FEE, TMN
from .test_services import ipn, start


def official(username, name, agency, role):
    user = User.objects.create_user(username, password="Mat-khau-dai-2026!", full_name=name, kind="official")
    Membership.objects.create(user=user, agency=agency, role=role, position=str(Role(role).label))
    return user


@pytest.fixture
def paid(owed, citizen):
    p = start(owed, citizen).payment
    ipn(p)
    p.refresh_from_db()
    return p


# --- the pay page ---------------------------------------------------------------------------


def test_pay_page_shows_what_is_due_to_the_applicant_only(owed, citizen, other_citizen, staff, client):
    url = reverse("payments:pay", args=[owed.code])
    assert client.get(url).status_code == 302  # anonymous → sign in
    client.force_login(citizen)
    response = client.get(url)
    assert "form-action 'self' http://127.0.0.1:9;" in response["Content-Security-Policy"]
    page = response.content.decode()
    assert "50.000" in page and "Lệ phí cấp bản sao trích lục khai sinh" in page
    assert "Thanh toán trực tuyến" in page
    client.force_login(other_citizen)
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    login_verified(client, staff["clerk"])
    assert client.get(url).status_code == 404
    assert Payment.objects.count() == 0


def test_pay_button_redirects_to_the_gateway(owed, citizen, client):
    client.force_login(citizen)
    r = client.post(reverse("payments:pay", args=[owed.code]))
    assert r.status_code == 302
    assert r["Location"].startswith("http://127.0.0.1:9/paymentv2/vpcpay.html?")
    assert f"vnp_TmnCode={TMN}" in r["Location"]
    assert "vnp_ReturnUrl=http%3A%2F%2Ftestserver%2Fthanh-toan%2Fket-qua%2Fvnpay%2F" in r["Location"]


def test_pay_without_open_fee_shows_a_message(owed, citizen, staff, client):
    dossiers.record_payment(owed.pk, actor=staff["clerk"], channel="counter")
    client.force_login(citizen)
    r = client.post(reverse("payments:pay", args=[owed.code]), follow=True)
    assert "không có khoản phí nào đang chờ nộp" in r.content.decode()
    assert Payment.objects.count() == 0


def test_ipn_endpoint_speaks_the_gateway_protocol(owed, client):
    url = reverse("payments:ipn", args=["vnpay"])
    r = client.get(url, {"vnp_TxnRef": "x", "vnp_Amount": "100", "vnp_SecureHash": "00"})
    assert r.status_code == 200 and r["Content-Type"] == "application/json"
    assert json.loads(r.content) == {"RspCode": "97", "Message": "Invalid signature"}
    assert client.post(url).status_code == 405
    assert client.get(reverse("payments:ipn", args=["khong-co"])).status_code == 404
    assert Notification.objects.count() == 1


# --- receipts -------------------------------------------------------------------------------


def test_receipt_for_payer_and_agency_staff_only(paid, citizen, other_citizen, staff, client):
    url = reverse("payments:receipt", args=[paid.txn_ref])
    client.force_login(citizen)
    page = client.get(url).content.decode()
    assert paid.receipt_number in page and "50.000" in page and "Biên lai" in page
    pdf = client.get(reverse("payments:receipt_pdf", args=[paid.txn_ref]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content if pdf.streaming else [pdf.content]).startswith(b"%PDF")
    login_verified(client, staff["clerk"])
    assert client.get(url).status_code == 200
    for outsider in (staff["other_clerk"],):
        login_verified(client, outsider)
        assert client.get(url).status_code == 404
    client.force_login(other_citizen)
    assert client.get(url).status_code == 404


def test_the_dossier_page_of_a_paid_dossier_links_its_e_receipt(paid, owed, citizen, client):
    """Issue 14: the citizen's dossier page links the electronic receipt once the fee is paid."""
    receipt_url = reverse("payments:receipt", args=[paid.txn_ref])
    client.force_login(citizen)
    page = client.get(f"/ho-so/{owed.code}/").content.decode()
    assert f'href="{receipt_url}"' in page
    assert f"Biên lai điện tử số {paid.receipt_number}" in page


def test_an_unpaid_dossier_links_no_receipt(owed, citizen, client):
    client.force_login(citizen)
    page = client.get(f"/ho-so/{owed.code}/").content.decode()
    assert "/thanh-toan/bien-lai/" not in page


def test_no_receipt_before_payment(owed, citizen, client):
    p = start(owed, citizen).payment
    client.force_login(citizen)
    assert client.get(reverse("payments:receipt", args=[p.txn_ref])).status_code == 404


# --- reconciliation -------------------------------------------------------------------------


@pytest.fixture
def ledger(owed, citizen, agencies, staff):
    """One paid, one wrong-amount notification, one expired, one pending."""
    p = start(owed, citizen).payment
    from decimal import Decimal

    ipn(p, amount=Decimal(1000))  # mismatch, rejected
    ipn(p)  # paid
    expired = Payment.objects.create(
        txn_ref="261122EXPIRED1",
        dossier=owed,
        obligation=owed.obligations.get(),
        agency=agencies["ward"],
        amount=FEE,
        description="x",
        provider="vnpay",
        status="expired",
        payer=citizen,
        created_at=timezone.now(),
        expires_at=timezone.now(),
    )
    pending = Payment.objects.create(
        txn_ref="261122PENDING1",
        dossier=owed,
        obligation=owed.obligations.get(),
        agency=agencies["ward"],
        amount=FEE,
        description="x",
        provider="vnpay",
        status="pending",
        payer=citizen,
        created_at=timezone.now(),
        expires_at=timezone.now() + dt.timedelta(minutes=15),
    )
    return p, expired, pending


def test_reconciliation_totals(ledger, staff):
    today = timezone.localdate()
    (row,) = services.reconciliation(staff["leader"], today, today)
    assert (row.day, row.agency_code, row.provider) == (today, "H21.23575", "vnpay")
    assert (row.paid_count, row.paid_amount, row.pending_count, row.failed_count, row.mismatch_count) == (
        1,
        FEE,
        1,
        1,
        1,
    )
    assert "cổng báo 1,000 đồng" in row.mismatches[0]
    assert services.totals([row])["paid_amount"] == FEE
    # Another ward's clerk sees nothing of this ward.
    assert services.reconciliation(staff["other_clerk"], today, today) == []


def test_reconciliation_page_and_exports(ledger, staff, agencies, client):
    today = timezone.localdate().isoformat()
    admin = official("qt.pleiku", "Hồ Thị Thu", agencies["ward"], Role.AGENCY_ADMIN)
    ioc = official("ioc.pleiku", "Đặng Quốc Bảo", agencies["ward"], Role.IOC_VIEWER)
    url = reverse("payments:reconciliation")
    for allowed in (staff["leader"], staff["clerk"], admin, ioc):
        login_verified(client, allowed)
        page = client.get(url, {"date_from": today, "date_to": today})
        assert page.status_code == 200, allowed
        assert "Ủy ban nhân dân phường Pleiku" in page.content.decode()
    xlsx = client.get(url, {"date_from": today, "date_to": today, "format": "xlsx"})
    ws = load_workbook(io.BytesIO(xlsx.content)).active
    rows = list(ws.values)
    assert rows[0][0] == "Ngày" and rows[1][1] == "H21.23575" and rows[1][5] == FEE
    text = client.get(url, {"date_from": today, "date_to": today, "format": "csv"}).content.decode(
        "utf-8-sig"
    )
    assert list(csv.reader(io.StringIO(text)))[1][4] == "1"


def test_reconciliation_forbidden_roles(ledger, staff, citizen, client):
    url = reverse("payments:reconciliation")
    for forbidden in (staff["officer"], staff["clerical"], staff["justice_officer"]):
        login_verified(client, forbidden)
        assert client.get(url).status_code == 403, forbidden
    client.force_login(citizen)
    assert client.get(url).status_code == 403


def test_reconciliation_bad_dates(ledger, staff, client):
    login_verified(client, staff["leader"])
    r = client.get(reverse("payments:reconciliation"), {"date_from": "2026-12-01", "date_to": "2026-11-01"})
    assert r.status_code == 200 and "Ngày bắt đầu phải trước" in r.content.decode()
    r = client.get(reverse("payments:reconciliation"), {"date_from": "không phải ngày", "date_to": ""})
    assert r.status_code == 200 and "error-summary" in r.content.decode()


# --- the clerk's request-payment form -------------------------------------------------------


def test_request_payment_form_is_prefilled_with_the_catalogue_fee(
    agencies, staff, procedure_version, applicant, components, client
):
    d = dossiers.receive(
        actor=staff["clerk"],
        agency=agencies["ward"],
        procedure_version=procedure_version,
        channel=Channel.IN_PERSON,
        applicant=applicant,
        uploads=components,
        accept_now=True,
    )
    Offering.objects.create(
        procedure=procedure_version.procedure, agency=agencies["ward"], is_active=True, local_fee_amount=8000
    )
    login_verified(client, staff["clerk"])
    page = client.get(reverse("dossiers:detail", args=[d.code])).content.decode()
    assert 'name="amount" type="number" min="1" step="1" inputmode="numeric" required value="8000"' in page


# --- API ------------------------------------------------------------------------------------


def test_api_create_status_receipt(owed, citizen, other_citizen, client):
    client.force_login(other_citizen)
    r = client.post(f"/api/v1/payments/dossiers/{owed.code}", "{}", content_type="application/json")
    assert r.status_code == 404 and r.json()["code"] == "not_found"
    assert Payment.objects.count() == 0
    client.force_login(citizen)
    r = client.post(f"/api/v1/payments/dossiers/{owed.code}", "{}", content_type="application/json")
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["status"] == "pending" and body["amount"] in (FEE, str(FEE), f"{FEE}")
    assert body["redirect_url"].startswith("http://127.0.0.1:9/paymentv2/vpcpay.html?")
    txn = body["txn_ref"]
    assert client.get(f"/api/v1/payments/{txn}/receipt").status_code == 404
    ipn(Payment.objects.get(txn_ref=txn))
    status = client.get(f"/api/v1/payments/{txn}").json()
    assert status["status"] == "paid" and status["receipt_number"]
    receipt = client.get(f"/api/v1/payments/{txn}/receipt").json()
    assert receipt["receipt_number"] == status["receipt_number"] and receipt["dossier_code"] == owed.code
    client.force_login(other_citizen)
    assert client.get(f"/api/v1/payments/{txn}").status_code == 404
    assert client.get(f"/api/v1/payments/{txn}/receipt").status_code == 404


def test_api_reconciliation_permissions(ledger, staff, citizen, client):
    today = timezone.localdate().isoformat()
    url = f"/api/v1/payments/reconciliation?date_from={today}&date_to={today}"
    login_verified(client, staff["leader"])
    body = client.get(url).json()
    assert body["rows"][0]["paid_count"] == 1 and body["totals"]["mismatch_count"] == "1"
    login_verified(client, staff["officer"])
    assert client.get(url).status_code == 403
    client.force_login(citizen)
    assert client.get(url).status_code == 403
    client.logout()
    assert client.get(url).status_code == 401


@pytest.mark.parametrize("name", ["../vnpay", "vn pay", "vnpay\u00b2", "x" * 300 + "/"])
def test_api_a_provider_name_that_is_not_a_slug_is_not_found(owed, citizen, client, name):
    client.force_login(citizen)
    r = client.post(
        f"/api/v1/payments/dossiers/{owed.code}",
        json.dumps({"provider": name}),
        content_type="application/json",
    )
    assert r.status_code == 404, r.content
    assert r.json() == {"detail": "Không tìm thấy dữ liệu yêu cầu.", "code": "not_found"}
    assert Payment.objects.count() == 0
