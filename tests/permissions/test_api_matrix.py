"""The permission matrix of the whole JSON API, generated from its OpenAPI schema (issue 15, ADR 0142).

Every operation of ``/api/v1/openapi.json`` must be declared in ``MATRIX`` below with a realistic request
and, for each of the ten roles (``ROLES``), whether it is allowed. The test enumerates the schema, not
the list: an operation that is not declared fails ``test_every_operation_is_declared`` with its name,
so a new endpoint cannot reach CI without saying who may call it. A declaration whose operation left
the schema fails too.

For each operation, every role sends the same request against the same objects (the world of
``conftest.py``, rolled back after each request):

- an allowed role gets an answer below 400;
- a refused role gets exactly the declared refusal: 401 when anonymous, else 403 (a signed-in caller
  without the right), or 404 (the object is not theirs to see, and its existence is not told) — and
  nothing is written: no audit entry but a read's (a dossier the caller may see is audited as read
  before the action on it is refused).

The older, hand-kept matrices (``dossiers``, ``accounts``, ``counters``) stay: they check pages and
finer states (every dossier action in every state). This one guarantees that no operation is left out.
"""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from congso.api import api
from congso.core.models import AuditEntry

from . import matrix_meetings, matrix_portals, matrix_requests  # noqa: F401 — they declare operations
from .conftest import ROLES, pdf, sign_in
from .matrix import (
    ALL,
    CITIZENS,
    MATRIX,
    NOBODY,
    OFFICIALS,
    REASON,
    SIGNED_IN,
    Op,
    fmt,
    op,
)

pytestmark = pytest.mark.django_db

# --- core ---------------------------------------------------------------------------------------
op("GET /api/v1/version", "/api/v1/version", ALL)
op("GET /api/v1/health", "/api/v1/health", ALL)

# --- accounts -----------------------------------------------------------------------------------
op("GET /api/v1/accounts/me", "/api/v1/accounts/me", SIGNED_IN)
op("GET /api/v1/accounts/me/profile", "/api/v1/accounts/me/profile", SIGNED_IN)
op(
    "PUT /api/v1/accounts/me/profile",
    "/api/v1/accounts/me/profile",
    SIGNED_IN,
    json={"phone": "0905123457", "address": "27 Hùng Vương, phường Pleiku"},
)
op(
    "GET /api/v1/accounts/citizens/{user_id}",
    "/api/v1/accounts/citizens/{citizen_id}",
    # the citizen, the officials her dossier links her to (its counter, handler, approver), and the
    # system administrator; each official read is audited (issue 15)
    {"citizen", "clerk", "officer", "leader", "sysadmin"},
)
op("GET /api/v1/accounts/organisations", "/api/v1/accounts/organisations", SIGNED_IN)
op(
    "POST /api/v1/accounts/organisations",
    "/api/v1/accounts/organisations",
    SIGNED_IN,
    json={"name": "Hợp tác xã Nông nghiệp Ia Grai", "tax_code": "5901000011", "kind": "organisation"},
)
op("GET /api/v1/accounts/consents", "/api/v1/accounts/consents", SIGNED_IN)
op(
    "POST /api/v1/accounts/consents",
    "/api/v1/accounts/consents",
    CITIZENS,
    json={"helper": "tocns.iagrai", "purpose": "Nộp hồ sơ cấp Phiếu lý lịch tư pháp", "days": 30},
    # only a citizen grants a consent for herself: an official is told so (a field error, not a right)
    statuses=dict.fromkeys(OFFICIALS, 400),
)
op(
    "POST /api/v1/accounts/consents/{consent_id}/revoke",
    "/api/v1/accounts/consents/{consent}/revoke",
    {"citizen", "sysadmin"},
)
op(
    "GET /api/v1/accounts/assistance/stats",
    "/api/v1/accounts/assistance/stats",
    {"leader", "agency_admin", "ioc_viewer", "sysadmin"},
)
op(
    "POST /api/v1/accounts/teams",
    "/api/v1/accounts/teams",
    {"sysadmin"},  # and the commune's administrator (accounts' own matrix)
    json={"name": "Tổ công nghệ số cộng đồng thôn 2", "commune_code": "23764", "agency_code": "H21.23764"},
)
op(
    "POST /api/v1/accounts/teams/{team_id}/helpers",
    "/api/v1/accounts/teams/{team}/helpers",
    {"sysadmin"},
    json={"username": "congdan.an"},
)
op("POST /api/v1/accounts/helpers/{helper_id}/end", "/api/v1/accounts/helpers/{helper}/end", {"sysadmin"})

# --- directory ----------------------------------------------------------------------------------
op("GET /api/v1/directory/units", "/api/v1/directory/units", ALL)
op(
    "POST /api/v1/directory/units",
    "/api/v1/directory/units",
    {"sysadmin"},
    json={
        # a ward of Pleiku city before the two-tier reform, merged into Phường Pleiku
        "code": "23590",
        "name": "Phường Thống Nhất",
        "kind": "ward",
        "level": 3,
        "valid_from": "1999-01-01",
        "valid_to": "2025-07-01",
        "parent_code": "52",
        "replaced_by_code": "23575",
    },
)
op("GET /api/v1/directory/agencies", "/api/v1/directory/agencies", ALL)
op(
    "POST /api/v1/directory/agencies",
    "/api/v1/directory/agencies",
    {"sysadmin"},
    json={
        "code": "000.00.13.H21",
        "name": "Sở Y tế tỉnh Gia Lai",
        "kind": "department",
        "unit_code": "52",
        "parent_code": "000.00.00.H21",
    },
)
op("GET /api/v1/directory/agencies/{code}", "/api/v1/directory/agencies/{agency}", ALL)
op(
    "PATCH /api/v1/directory/agencies/{code}",
    "/api/v1/directory/agencies/{agency}",
    {"agency_admin", "sysadmin"},
    json={"phone": "02693824123"},
)
op(
    "GET /api/v1/directory/agencies/{code}/staff",
    "/api/v1/directory/agencies/{agency}/staff",
    {"leader", "agency_admin", "sysadmin"},
)
op(
    "POST /api/v1/directory/agencies/{code}/staff",
    "/api/v1/directory/agencies/{agency}/staff",
    {"agency_admin", "sysadmin"},
    json={"username": "chuyenvien.tuphap", "role": "leader", "position": "Phó Giám đốc"},
)
op(
    "POST /api/v1/directory/agencies/{code}/officials",
    "/api/v1/directory/agencies/{agency}/officials",
    {"agency_admin", "sysadmin"},
    json={
        "username": "chuyenvien.hotich",
        "full_name": "Lê Văn Hòa",
        "email": "chuyenvien.hotich@gialai.gov.vn",
        "role": "officer",
        "position": "Chuyên viên",
    },
)
op(
    "POST /api/v1/directory/memberships/{membership_id}/end",
    "/api/v1/directory/memberships/{membership}/end",
    {"agency_admin", "sysadmin"},
)
op("GET /api/v1/directory/me/roles", "/api/v1/directory/me/roles", SIGNED_IN)

# --- calendar -----------------------------------------------------------------------------------
op("GET /api/v1/calendar/due", "/api/v1/calendar/due?received=2027-03-01T09:00&amount=3", ALL)
op(
    "POST /api/v1/calendar/due",
    "/api/v1/calendar/due",
    ALL,
    json={"received": "2027-03-01T09:00", "amount": "3"},
)
op("GET /api/v1/calendar/days", "/api/v1/calendar/days?year=2027", ALL)
op("GET /api/v1/calendar/office-hours", "/api/v1/calendar/office-hours", ALL)
op(
    "PUT /api/v1/calendar/office-hours",
    "/api/v1/calendar/office-hours",
    {"sysadmin"},
    json={"province": "52", "morning_start": "07:00", "morning_end": "11:30"},
)
op(
    "POST /api/v1/calendar/exceptions",
    "/api/v1/calendar/exceptions",
    {"sysadmin"},
    json={
        "date": "2027-03-15",
        "kind": "day_off",
        "reason": "Nghỉ bù theo quyết định của UBND tỉnh",
        "province": "52",
    },
)
op(
    "DELETE /api/v1/calendar/exceptions",
    "/api/v1/calendar/exceptions?date=2027-03-08&province=52",
    {"sysadmin"},
)

# --- catalog ------------------------------------------------------------------------------------
op("GET /api/v1/procedures", "/api/v1/procedures", ALL)
op("GET /api/v1/procedures/{code}", "/api/v1/procedures/{procedure}", ALL)
op("GET /api/v1/procedures/{code}/versions", "/api/v1/procedures/{procedure}/versions", ALL)
op("GET /api/v1/procedures/{code}/versions/{number}", "/api/v1/procedures/{procedure}/versions/1", ALL)
op("GET /api/v1/procedures/{code}/terms", "/api/v1/procedures/{procedure}/terms?agency={agency}", ALL)
op("GET /api/v1/procedure-fields", "/api/v1/procedure-fields", ALL)
op(
    "POST /api/v1/procedures/{code}/withdrawal",
    "/api/v1/procedures/{procedure}/withdrawal",
    {"sysadmin"},
    json={"reason": "Quyết định bãi bỏ số 12/QĐ-UBND"},
)
op(
    "DELETE /api/v1/procedures/{code}/withdrawal",
    "/api/v1/procedures/{procedure}/withdrawal",
    {"sysadmin"},
    # the procedure is in force: the administrator passes the right and is told there is nothing to undo
    statuses={"sysadmin": 400},
)
op(
    "PUT /api/v1/procedures/{code}/online-level",
    "/api/v1/procedures/{procedure}/online-level",
    {"sysadmin"},
    json={"online_level": "partial"},
)
op(
    "PUT /api/v1/procedures/{code}/local-fee-allowed",
    "/api/v1/procedures/{procedure}/local-fee-allowed",
    {"sysadmin"},
    json={"local_fee_allowed": True},
)
op("GET /api/v1/procedures/{code}/state", "/api/v1/procedures/{procedure}/state", {"sysadmin"})
MANAGE_AGENCY = {"agency_admin", "sysadmin"}
op("GET /api/v1/offerings", "/api/v1/offerings?agency={agency}", MANAGE_AGENCY)
op(
    "PUT /api/v1/offerings/{agency}/{code}",
    "/api/v1/offerings/{agency}/{procedure}",
    MANAGE_AGENCY,
    json={"is_active": True, "online_open": False},
)
op("DELETE /api/v1/offerings/{agency}/{code}", "/api/v1/offerings/{agency}/{procedure}", MANAGE_AGENCY)

# --- signing ------------------------------------------------------------------------------------
op("POST /api/v1/signatures/verify", "/api/v1/signatures/verify", ALL, multipart={"file": "pdf"})
op("GET /api/v1/signatures/records/{pk}", "/api/v1/signatures/records/{record}", ALL)

# --- counters -----------------------------------------------------------------------------------
op("GET /api/v1/counters/centres", "/api/v1/counters/centres", ALL)
op("GET /api/v1/counters/centres/{code}/services", "/api/v1/counters/centres/{centre}/services", ALL)
op(
    "POST /api/v1/counters/centres/{code}/tickets",
    "/api/v1/counters/centres/{centre}/tickets",
    ALL,
    json={"service_id": "{service}"},
)
op("GET /api/v1/counters/tickets/{token}", "/api/v1/counters/tickets/{token}", ALL)
op("GET /api/v1/counters/centres/{code}/display", "/api/v1/counters/centres/{centre}/display", ALL)
op(
    "POST /api/v1/counters/centres/{code}/counters/{number}/call-next",
    "/api/v1/counters/centres/{centre}/counters/{free_counter}/call-next",
    {"clerk"},
)
op(
    "POST /api/v1/counters/centres/{code}/tickets/{ticket_id}/actions",
    "/api/v1/counters/centres/{centre}/tickets/{ticket}/actions",
    {"clerk"},
    json={"action": "start", "counter": "{counter}"},
)
op(
    "GET /api/v1/counters/centres/{code}/statistics",
    "/api/v1/counters/centres/{centre}/statistics?start=2027-03-01&end=2027-03-31",
    {"clerk", "ioc_viewer", "sysadmin"},
)
op(
    "PUT /api/v1/counters/centres/{code}/counters/{number}",
    "/api/v1/counters/centres/{centre}/counters/{counter}",
    {"sysadmin"},  # the centre's own administrator too (counters' own matrix); the Sở's is not
    json={"label": "Quầy Tư pháp – Lý lịch", "service_ids": ["{service}"], "is_active": True},
)
op(
    "PUT /api/v1/counters/centres/{code}/services/{prefix}",
    "/api/v1/counters/centres/{centre}/services/{prefix}",
    {"sysadmin"},
    json={"name": "Tư pháp – lý lịch tư pháp", "typical_minutes": 12},
)

# --- tracking (the citizen's side): another person's dossier does not exist ---------------------
NOT_HERS = OFFICIALS | {"other_citizen"}
op("GET /api/v1/dossiers/lookup", "/api/v1/dossiers/lookup?code={dossier}&check=3456", ALL)
op("GET /api/v1/dossiers/lookup/{code}/{token}", "/api/v1/dossiers/lookup/{dossier}/{lookup_token}", ALL)
op("GET /api/v1/dossiers/mine", "/api/v1/dossiers/mine", SIGNED_IN)
op("GET /api/v1/dossiers/mine/{code}", "/api/v1/dossiers/mine/{dossier}", {"citizen"}, hidden=NOT_HERS)
op(
    "POST /api/v1/dossiers/mine/{code}/withdraw",
    "/api/v1/dossiers/mine/{dossier}/withdraw",
    {"citizen"},
    hidden=NOT_HERS,
    json={"reason": "Tôi nộp nhầm thủ tục", "expected_version": "{dossier_version}"},
)
op(
    "POST /api/v1/dossiers/mine/{code}/supplement",
    "/api/v1/dossiers/mine/{supplement}/supplement",
    {"citizen"},
    hidden=NOT_HERS,
    multipart={
        "components": ["Bản chụp Căn cước công dân"],
        "files": "pdf",
        "expected_version": "{supplement_version}",
    },
)
op(
    "GET /api/v1/dossiers/mine/{code}/result",
    "/api/v1/dossiers/mine/{finished}/result",
    {"citizen"},
    hidden=NOT_HERS,
)
op(
    "GET /api/v1/dossiers/mine/{code}/receipt",
    "/api/v1/dossiers/mine/{dossier}/receipt",
    {"citizen"},
    hidden=NOT_HERS,
)

# --- dossiers (the back office): a dossier outside one's agencies does not exist ----------------
UNSEEN = frozenset({"other_citizen", "sysadmin"})
op("GET /api/v1/dossiers", "/api/v1/dossiers?box=all", SIGNED_IN)
op(
    "POST /api/v1/dossiers",
    "/api/v1/dossiers",
    {"clerk"},
    multipart={
        "agency": "{agency}",
        "procedure": "{procedure}",
        "applicant_name": "Trần Thị Bình",
        "applicant_id_number": "064190004321",
    },
)
op("GET /api/v1/dossiers/{code}", "/api/v1/dossiers/{dossier}", SIGNED_IN - UNSEEN, hidden=UNSEEN)
op(
    "GET /api/v1/dossiers/{code}/slips/{key}",
    "/api/v1/dossiers/{dossier}/slips/control",
    {"clerk", "officer", "leader", "clerical"},
    hidden=UNSEEN,
)
op(
    "POST /api/v1/dossiers/{code}/actions/{action}",
    "/api/v1/dossiers/{dossier}/actions/request_supplement",
    {"clerk", "officer", "leader"},
    hidden=UNSEEN,
    json={"reason": REASON, "expected_version": "{dossier_version}"},
)
op(
    "POST /api/v1/dossiers/{code}/supplement",
    "/api/v1/dossiers/{supplement}/supplement",
    {"citizen", "clerk"},
    hidden=UNSEEN,
    multipart={
        "components": ["Bản chụp Căn cước công dân"],
        "files": "pdf",
        "expected_version": "{supplement_version}",
    },
)
op(
    "POST /api/v1/dossiers/{code}/attachments",
    "/api/v1/dossiers/{dossier}/attachments",
    {"clerk", "officer", "leader"},
    hidden=UNSEEN,
    multipart={"components": ["Biên bản xác minh"], "files": "pdf", "expected_version": "{dossier_version}"},
)
op(
    "POST /api/v1/dossiers/{code}/result",
    "/api/v1/dossiers/{issue}/result",
    {"clerical"},
    hidden=UNSEEN,
    multipart={
        "number": "126/LLTP",
        "title": "Phiếu lý lịch tư pháp số 1",
        "file": "pdf",
        "expected_version": "{issue_version}",
    },
)
REPORTS = {"leader", "agency_admin", "ioc_viewer"}
op(
    "GET /api/v1/dossiers/reports/stats",
    "/api/v1/dossiers/reports/stats?agency={agency}&start=2027-03-01&end=2027-03-31",
    REPORTS,
)
op(
    "GET /api/v1/dossiers/reports/logbook.xlsx",
    "/api/v1/dossiers/reports/logbook.xlsx?agency={agency}&start=2027-03-01&end=2027-03-31",
    REPORTS,
)
op(
    "GET /api/v1/dossiers/processes/{agency}/{procedure}",
    "/api/v1/dossiers/processes/{agency}/{procedure}",
    MANAGE_AGENCY,
)
op(
    "PUT /api/v1/dossiers/processes/{agency}/{procedure}",
    "/api/v1/dossiers/processes/{agency}/{procedure}",
    MANAGE_AGENCY,
    json=[
        {
            "name": "Phòng Hành chính tư pháp thẩm định",
            "kind": "handle",
            "role": "officer",
            "agency": "{division}",
            "share_percent": 60,
        },
        {"name": "Lãnh đạo Sở ký", "kind": "approve", "role": "leader", "share_percent": 25},
        {"name": "Văn thư phát hành", "kind": "issue", "role": "clerical", "share_percent": 10},
    ],
)
op(
    "POST /api/v1/dossiers/bulk/assign",
    "/api/v1/dossiers/bulk/assign",
    {"officer", "leader"},
    hidden=UNSEEN,
    json={"codes": ["{dossier}"], "assignee": "{officer_username}"},
)

# --- portal (online filing, the form builder): another person's draft does not exist -----------
op("GET /api/v1/portal/forms", "/api/v1/portal/forms?procedure={procedure}&agency={agency}", ALL)
op("GET /api/v1/portal/drafts", "/api/v1/portal/drafts", SIGNED_IN)
op(
    "POST /api/v1/portal/drafts",
    "/api/v1/portal/drafts",
    SIGNED_IN,
    json={"procedure_code": "{procedure}", "agency_code": "{agency}"},
)
op("GET /api/v1/portal/drafts/{draft_id}", "/api/v1/portal/drafts/{draft}", {"citizen"}, hidden=NOT_HERS)
op(
    "PATCH /api/v1/portal/drafts/{draft_id}",
    "/api/v1/portal/drafts/{draft}",
    {"citizen"},
    hidden=NOT_HERS,
    json={"applicant": {"phone": "0905123456"}},
)
op("DELETE /api/v1/portal/drafts/{draft_id}", "/api/v1/portal/drafts/{draft}", {"citizen"}, hidden=NOT_HERS)
op(
    "POST /api/v1/portal/drafts/{draft_id}/uploads",
    "/api/v1/portal/drafts/{draft}/uploads",
    {"citizen"},
    hidden=NOT_HERS,
    multipart={"component": "Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp", "file": "pdf"},
)
op(
    "DELETE /api/v1/portal/drafts/{draft_id}/uploads/{upload_id}",
    "/api/v1/portal/drafts/{draft}/uploads/{upload}",
    {"citizen"},
    hidden=NOT_HERS,
)
op(
    "GET /api/v1/portal/drafts/{draft_id}/documents",
    "/api/v1/portal/drafts/{draft}/documents",
    {"citizen"},
    hidden=NOT_HERS,
)
op(
    "POST /api/v1/portal/drafts/{draft_id}/reuse",
    "/api/v1/portal/drafts/{draft}/reuse",
    {"citizen"},
    hidden=NOT_HERS,
    json={"component": "Bản chụp Căn cước công dân", "document_id": "{document}"},
)
op(
    "POST /api/v1/portal/drafts/{draft_id}/submit",
    "/api/v1/portal/drafts/{draft}/submit",
    {"citizen"},
    hidden=NOT_HERS,
    json={"declaration": True},
    # the draft still lacks its answers: the owner passes the right and is told what is missing
    statuses={"citizen": 400},
)
op(
    "POST /api/v1/portal/submissions",
    "/api/v1/portal/submissions",
    SIGNED_IN,
    form={"procedure_code": "{procedure}", "agency_code": "{agency}", "declaration": "true"},
    headers={"Idempotency-Key": "ma-chong-trung-{dossier}"},
    # a filing in one request without the form's answers: refused as incomplete for everyone signed in
    statuses=dict.fromkeys(SIGNED_IN, 400),
)
op(
    "GET /api/v1/portal/receipts/{code}",
    "/api/v1/portal/receipts/{dossier}",
    {"citizen"},
    hidden=NOT_HERS,
)
op("GET /api/v1/portal/form-definitions", "/api/v1/portal/form-definitions?agency={agency}", MANAGE_AGENCY)
op(
    "POST /api/v1/portal/form-definitions",
    "/api/v1/portal/form-definitions",
    {"sysadmin"},  # the national form; an agency's is made once per agency (made in the world)
    json={"procedure_code": "{procedure}", "agency_code": ""},
)
op(
    "GET /api/v1/portal/form-definitions/{definition_id}",
    "/api/v1/portal/form-definitions/{definition}",
    MANAGE_AGENCY,
)
op(
    "PUT /api/v1/portal/form-definitions/{definition_id}",
    "/api/v1/portal/form-definitions/{definition}",
    MANAGE_AGENCY,
    json={"title": "Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp", "intro": "Khai trực tuyến"},
)
op(
    "DELETE /api/v1/portal/form-definitions/{definition_id}",
    "/api/v1/portal/form-definitions/{definition}",
    MANAGE_AGENCY,
)
op(
    "POST /api/v1/portal/form-definitions/{definition_id}/publish",
    "/api/v1/portal/form-definitions/{definition}/publish",
    MANAGE_AGENCY,
)
op(
    "POST /api/v1/portal/form-definitions/{definition_id}/unpublish",
    "/api/v1/portal/form-definitions/{definition}/unpublish",
    MANAGE_AGENCY,
    # the definition is a draft: the administrators pass the right and are told it is not in force
    statuses={"agency_admin": 409, "sysadmin": 409},
)
op(
    "POST /api/v1/portal/form-definitions/{definition_id}/check",
    "/api/v1/portal/form-definitions/{definition}/check",
    MANAGE_AGENCY,
    json={"answers": {}},
)

# --- datastore: another person's paper does not exist -------------------------------------------
op("GET /api/v1/datastore/documents", "/api/v1/datastore/documents", SIGNED_IN)
op(
    "POST /api/v1/datastore/documents",
    "/api/v1/datastore/documents",
    SIGNED_IN,
    multipart={"title": "Giấy khai sinh", "file": "pdf"},
)
for path in ("", "/file", "/reuses"):
    op(
        f"GET /api/v1/datastore/documents/{{document_id}}{path}",
        f"/api/v1/datastore/documents/{{document}}{path}",
        {"citizen"},
        hidden=NOT_HERS,
    )
op(
    "DELETE /api/v1/datastore/documents/{document_id}",
    "/api/v1/datastore/documents/{document}",
    {"citizen"},
    hidden=NOT_HERS,
)
op("GET /api/v1/datastore/registries", "/api/v1/datastore/registries", SIGNED_IN)
op("GET /api/v1/datastore/registries/me", "/api/v1/datastore/registries/me", SIGNED_IN)
op(
    "POST /api/v1/datastore/registries/population/lookup",
    "/api/v1/datastore/registries/population/lookup",
    {"citizen"},  # her own CCCD; nobody else looks a person up here
    json={"cccd": "064090001234", "agency": "{agency}", "purpose": "Thẩm định hồ sơ {dossier}"},
)
op(
    "POST /api/v1/datastore/registries/business/lookup",
    "/api/v1/datastore/registries/business/lookup",
    {"citizen"},  # the company she represents; nobody else looks it up here
    json={"tax_code": "5901234563", "agency": "{agency}", "purpose": "Thẩm định hồ sơ {dossier}"},
)

# --- payments -----------------------------------------------------------------------------------
op(
    "POST /api/v1/payments/dossiers/{code}",
    "/api/v1/payments/dossiers/{owed}",
    {"citizen"},
    hidden=NOT_HERS,
    json={},
)
op(
    "GET /api/v1/payments/reconciliation",
    "/api/v1/payments/reconciliation?date_from=2027-03-01&date_to=2027-03-31&agency={agency}",
    {"clerk", "leader", "agency_admin", "ioc_viewer", "sysadmin"},
)
# the payer, and the staff of the collecting agency (payments.view_receipt); not its handling division
PAYMENT_SEEN = {"citizen", "clerk", "leader", "clerical", "agency_admin", "ioc_viewer"}
op(
    "GET /api/v1/payments/{txn_ref}",
    "/api/v1/payments/{txn_ref}",
    PAYMENT_SEEN,
    hidden=SIGNED_IN - PAYMENT_SEEN,
)
op(
    "GET /api/v1/payments/{txn_ref}/receipt",
    "/api/v1/payments/{txn_ref}/receipt",
    PAYMENT_SEEN,
    hidden=SIGNED_IN - PAYMENT_SEEN,
)

# --- notifications (the outbox) -----------------------------------------------------------------
op("GET /api/v1/notifications/", "/api/v1/notifications/", {"sysadmin"})
op("GET /api/v1/notifications/{notification_id}", "/api/v1/notifications/{notification}", {"sysadmin"})
op(
    "POST /api/v1/notifications/{notification_id}/resend",
    "/api/v1/notifications/{notification}/resend",
    {"sysadmin"},
)

# --- exchange (văn thư of the agency, system administrators) ------------------------------------
EXCHANGE = frozenset({"clerical", "sysadmin"})
op("GET /api/v1/exchange/outbox", "/api/v1/exchange/outbox", EXCHANGE)
op("GET /api/v1/exchange/inbox", "/api/v1/exchange/inbox", EXCHANGE)
op("GET /api/v1/exchange/outbox/{packet_id}", "/api/v1/exchange/outbox/{exchange_packet}", EXCHANGE)
op(
    "POST /api/v1/exchange/outbox/{packet_id}/resend",
    "/api/v1/exchange/outbox/{exchange_packet}/resend",
    EXCHANGE,
)

# --- integration (outbox, webhooks): system administrators --------------------------------------
HOOK = {"name": "Cổng dữ liệu tỉnh", "url": "https://lgsp.gialai.gov.vn/hooks", "event_types": ["*"]}
op("GET /api/v1/integration/health", "/api/v1/integration/health", {"sysadmin"})
op("GET /api/v1/integration/subscribers", "/api/v1/integration/subscribers", {"sysadmin"})
op("POST /api/v1/integration/subscribers", "/api/v1/integration/subscribers", {"sysadmin"}, json=HOOK)
op(
    "GET /api/v1/integration/subscribers/{subscriber_id}",
    "/api/v1/integration/subscribers/{subscriber}",
    {"sysadmin"},
)
op(
    "PUT /api/v1/integration/subscribers/{subscriber_id}",
    "/api/v1/integration/subscribers/{subscriber}",
    {"sysadmin"},
    json=HOOK,
)
op(
    "POST /api/v1/integration/subscribers/{subscriber_id}/test",
    "/api/v1/integration/subscribers/{subscriber}/test",
    {"sysadmin"},
)
op(
    "GET /api/v1/integration/subscribers/{subscriber_id}/attempts",
    "/api/v1/integration/subscribers/{subscriber}/attempts",
    {"sysadmin"},
)
op("GET /api/v1/integration/dead-letters", "/api/v1/integration/dead-letters", {"sysadmin"})
op(
    "POST /api/v1/integration/dead-letters/{delivery_id}/replay",
    "/api/v1/integration/dead-letters/{dead_letter}/replay",
    {"sysadmin"},
)
op(
    "POST /api/v1/integration/dead-letters/replay",
    "/api/v1/integration/dead-letters/replay",
    {"sysadmin"},
    json={},
)

# --- ratings ------------------------------------------------------------------------------------
op("GET /api/v1/ratings/questions", "/api/v1/ratings/questions", ALL)
op(
    "GET /api/v1/ratings/stats",
    "/api/v1/ratings/stats?agency={agency}&start=2027-01-01&end=2027-12-31",
    REPORTS,
)
op(
    "GET /api/v1/ratings/{code}",
    "/api/v1/ratings/{rated}",
    {"citizen"},  # a rating is the applicant's; agencies see statistics
    hidden=UNSEEN,
)
op(
    "POST /api/v1/ratings/{code}",
    "/api/v1/ratings/{finished}",
    {"citizen"},
    hidden=UNSEEN,
    json={
        "overall": "satisfied",
        "on_time": "yes",
        "contacts": "1",
        "guidance": "clear",
        "attitude": "good",
        "fees": "as_listed",
        "result": "correct",
        "comment": "Cán bộ hướng dẫn tận tình.",
    },
)

# --- feedback (phản ánh, kiến nghị) -------------------------------------------------------------
FEEDBACK_HANDLERS = frozenset({"leader", "agency_admin"})  # the Sở Tư pháp handles the world's reports
op("GET /api/v1/feedback/categories", "/api/v1/feedback/categories", ALL)
op("GET /api/v1/feedback/reports", "/api/v1/feedback/reports?q=giay to", ALL)
op(
    "POST /api/v1/feedback/reports",
    "/api/v1/feedback/reports",
    ALL,  # anyone reports, signed in or not (rate-limited per IP)
    form={
        "category": "thu-tuc-hanh-chinh",
        "title": "Cán bộ hẹn trả kết quả quá hạn",
        "description": "Hồ sơ của tôi đã quá hẹn ba ngày nhưng chưa được báo lý do.",
        "unit": "23575",
        "address": "Trung tâm Phục vụ hành chính công tỉnh",
    },
)
op("GET /api/v1/feedback/duplicates", "/api/v1/feedback/duplicates?unit=23575&text=giay to cu tru", ALL)
op("GET /api/v1/feedback/reports/{code}", "/api/v1/feedback/reports/{fb_answered}", ALL)
op("POST /api/v1/feedback/reports/{code}/follow", "/api/v1/feedback/reports/{fb_answered}/follow", SIGNED_IN)
op(
    "POST /api/v1/feedback/reports/{code}/rating",
    "/api/v1/feedback/reports/{fb_answered}/rating",
    {"citizen"},  # the reporter only; the report is public, so others are told they may not (403)
    json={"rating": "satisfied", "comment": "Đã được giải quyết."},
)
op(
    "POST /api/v1/feedback/reports/{code}/info",
    "/api/v1/feedback/reports/{fb_open}/info",
    {"citizen"},  # the reporter; the handling agency's staff see it exists (403), others do not (404)
    hidden=SIGNED_IN - FEEDBACK_HANDLERS - {"citizen"},
    json={"text": "Bộ phận một cửa yêu cầu bản sao có chứng thực sổ hộ khẩu đã bãi bỏ."},
)
op("GET /api/v1/feedback/inbox", "/api/v1/feedback/inbox", {"clerk", "officer", "leader"})
op(
    "GET /api/v1/feedback/staff/{code}",
    "/api/v1/feedback/staff/{fb_open}",
    FEEDBACK_HANDLERS,
    hidden=SIGNED_IN - FEEDBACK_HANDLERS,
)
op(
    "POST /api/v1/feedback/staff/{code}/actions",
    "/api/v1/feedback/staff/{fb_open}/actions",
    {"leader"},  # the agency administrator sees it but does not handle it (403)
    hidden=SIGNED_IN - FEEDBACK_HANDLERS,
    json={"action": "accept"},
)
op(
    "GET /api/v1/feedback/stats",
    "/api/v1/feedback/stats?unit=52&start=2026-01-01&end=2027-12-31",
    {"clerk", "leader", "agency_admin", "ioc_viewer", "sysadmin"},
)


# --- evaluations (the province's administrators, evaluators and leaders are not among the ten roles:
# congso/evaluations/tests/test_api.py covers them) -----------------------------------------------
EVALUATION_UNIT = {"leader", "agency_admin"}  # Sở Tư pháp's own leader and administrator
FRAMEWORK = {
    "name": "Bộ chỉ số chính quyền điện tử",
    "year": 2026,
    "applies_to": ["department", "commune"],
    "level_1_min": "85",
    "level_2_min": "65",
    "level_3_min": "45",
    "level_4_min": "25",
}
CRITERION = {
    "kind": "indicator",
    "code": "1.2",
    "name": "Tỷ lệ văn bản ký số",
    "max_points": "10",
    "source": "manual",
    "value_kind": "rate",
    "max_value": "100",
    "target": "90",
    "unit_label": "%",
}
op("GET /api/v1/evaluations/metrics", "/api/v1/evaluations/metrics", OFFICIALS)
op("GET /api/v1/evaluations/frameworks", "/api/v1/evaluations/frameworks", OFFICIALS)
op(
    "POST /api/v1/evaluations/frameworks",
    "/api/v1/evaluations/frameworks",
    {"sysadmin"},
    json={**FRAMEWORK, "owner": "{province}"},
)
op(
    "GET /api/v1/evaluations/frameworks/{framework_id}",
    "/api/v1/evaluations/frameworks/{framework}",
    OFFICIALS,
)
op(
    "PUT /api/v1/evaluations/frameworks/{framework_id}",
    "/api/v1/evaluations/frameworks/{draft_framework}",
    {"sysadmin"},
    json=FRAMEWORK,
)
op(
    "POST /api/v1/evaluations/frameworks/{framework_id}/copy",
    "/api/v1/evaluations/frameworks/{framework}/copy",
    {"sysadmin"},
    json={"year": 2027},
)
op(
    "POST /api/v1/evaluations/frameworks/{framework_id}/criteria",
    "/api/v1/evaluations/frameworks/{draft_framework}/criteria",
    {"sysadmin"},
    json=CRITERION,
)
op(
    "PUT /api/v1/evaluations/criteria/{criterion_id}",
    "/api/v1/evaluations/criteria/{criterion}",
    {"sysadmin"},
    json={**CRITERION, "code": "1.1"},
)
op(
    "DELETE /api/v1/evaluations/criteria/{criterion_id}",
    "/api/v1/evaluations/criteria/{criterion}",
    {"sysadmin"},
)
op(
    "POST /api/v1/evaluations/frameworks/{framework_id}/rounds",
    "/api/v1/evaluations/frameworks/{draft_framework}/rounds",
    NOBODY,  # the province's evaluators and administrators
    json={"year": 2026},
)
op("GET /api/v1/evaluations/rounds/{round_id}", "/api/v1/evaluations/rounds/{round}", OFFICIALS)
op(
    "POST /api/v1/evaluations/rounds/{round_id}/start-review",
    "/api/v1/evaluations/rounds/{round}/start-review",
    NOBODY,
)
op("POST /api/v1/evaluations/rounds/{round_id}/close", "/api/v1/evaluations/rounds/{round}/close", NOBODY)
op(
    "POST /api/v1/evaluations/rounds/{round_id}/publish",
    "/api/v1/evaluations/rounds/{round}/publish",
    NOBODY,  # the province's leaders
    json={"decision_number": "318/QĐ-UBND"},
)
op(
    "GET /api/v1/evaluations/rounds/{round_id}/units/{code}",
    "/api/v1/evaluations/rounds/{round}/units/{agency}",
    EVALUATION_UNIT | {"ioc_viewer"},
)
op(
    "POST /api/v1/evaluations/rounds/{round_id}/units/{code}/values/{criterion_id}",
    "/api/v1/evaluations/rounds/{round}/units/{agency}/values/{leaf}",
    EVALUATION_UNIT,
    multipart={"value": "8,5", "note": "Bồi dưỡng 38 cán bộ", "evidence": "pdf"},
)
op(
    "POST /api/v1/evaluations/entries/{entry_id}/review",
    "/api/v1/evaluations/entries/{entry}/review",
    NOBODY,  # the province's evaluators
    json={"action": "accept"},
    # the value is not shown to whoever may not see the unit's sheet
    hidden=SIGNED_IN - EVALUATION_UNIT - {"ioc_viewer"},
)
op(
    "GET /api/v1/evaluations/entries/{entry_id}/evidence",
    "/api/v1/evaluations/entries/{entry}/evidence",
    EVALUATION_UNIT | {"ioc_viewer"},
    hidden=SIGNED_IN - EVALUATION_UNIT - {"ioc_viewer"},
)
op(
    "GET /api/v1/evaluations/rounds/{round_id}/ranking",
    "/api/v1/evaluations/rounds/{round}/ranking",
    {"ioc_viewer"},
)
op("GET /api/v1/evaluations/rounds/{round_id}/met", "/api/v1/evaluations/rounds/{round}/met", {"ioc_viewer"})
op(
    "GET /api/v1/evaluations/rounds/{round_id}/ranking.xlsx",
    "/api/v1/evaluations/rounds/{round}/ranking.xlsx",
    {"ioc_viewer"},
)

# --- catalog consistency: the catalogue administrator (system administrator) -------------------
op(
    "POST /api/v1/catalog/consistency",
    "/api/v1/catalog/consistency",
    {"sysadmin"},
    json={
        "source": "quoc-gia.json",
        "records": [{"ma_thu_tuc": "2.001417", "ten_thu_tuc": "Cấp Phiếu lý lịch tư pháp"}],
    },
)
op(
    "GET /api/v1/catalog/consistency/{report_id}",
    "/api/v1/catalog/consistency/{consistency_report}",
    {"sysadmin"},
)
op(
    "POST /api/v1/catalog/consistency/differences/{difference_id}/apply",
    "/api/v1/catalog/consistency/differences/{difference}/apply",
    {"sysadmin"},
)

# --- sharing: agreements are the system administrator's; a person's reads are their own ---------
op("GET /api/v1/sharing/agreements", "/api/v1/sharing/agreements", {"sysadmin"})
op(
    "POST /api/v1/sharing/agreements",
    "/api/v1/sharing/agreements",
    {"sysadmin"},
    json={
        "client_id": "bhxh-gia-lai",
        "agency": "000.00.40.H21",
        "number": "15/TT-BHXH",
        "scopes": ["registry.population", "citizen.profile"],
        "purpose": "Xác minh nhân thân người đăng ký bảo hiểm y tế hộ gia đình",
        "legal_basis": "Nghị định 13/2023/NĐ-CP",
        "valid_from": "2027-01-01",
        "valid_until": "2027-12-31",
    },
)
op("GET /api/v1/sharing/agreements/{agreement_id}", "/api/v1/sharing/agreements/{agreement}", {"sysadmin"})
op(
    "GET /api/v1/sharing/agreements/{agreement_id}/reads",
    "/api/v1/sharing/agreements/{agreement}/reads",
    {"sysadmin"},
)
op(
    "POST /api/v1/sharing/agreements/{agreement_id}/revoke",
    "/api/v1/sharing/agreements/{agreement}/revoke",
    {"sysadmin"},
    json={"reason": "Đơn vị đề nghị dừng chia sẻ"},
)
op("GET /api/v1/sharing/my-reads", "/api/v1/sharing/my-reads", SIGNED_IN)

# --- documents ----------------------------------------------------------------------------------
DOC_VIEWERS = frozenset({"clerical", "leader"})  # the agency's văn thư and leader; handlers when assigned
op("GET /api/v1/documents/", "/api/v1/documents/", SIGNED_IN)  # each sees only their own documents
op("GET /api/v1/documents/search", "/api/v1/documents/search?q=chuyen%20doi%20so", SIGNED_IN)
op(
    "GET /api/v1/documents/stats",
    "/api/v1/documents/stats?agency={agency}&start=2026-01-01&end=2027-12-31",
    REPORTS,
)
op(
    "GET /api/v1/documents/registers",
    "/api/v1/documents/registers?agency={agency}",
    {"clerical", "agency_admin"},
)
op(
    "GET /api/v1/documents/registers/{register_id}/export",
    "/api/v1/documents/registers/{doc_register}/export",
    {"clerical", "agency_admin"},
)
op(
    "POST /api/v1/documents/numbers/{entry_id}/cancel",
    "/api/v1/documents/numbers/{doc_number}/cancel",
    {"clerical"},
    json={"reason": "Lấy nhầm số"},
)
op(
    "POST /api/v1/documents/incoming",
    "/api/v1/documents/incoming",
    {"clerical"},
    json={
        "agency": "{agency}",
        "doc_type": "Công văn",
        "subject": "Về việc góp ý dự thảo Quy chế phối hợp",
        "symbol": "321/UBND-VP",
        "issued_on": "01/12/2026",
        "issuing_organ": "Ủy ban nhân dân tỉnh Gia Lai",
    },
)
op(
    "GET /api/v1/documents/tasks", "/api/v1/documents/tasks?agency={agency}", SIGNED_IN
)  # filtered to one's own
op(
    "POST /api/v1/documents/tasks",
    "/api/v1/documents/tasks",
    {"leader"},
    json={
        "agency": "{agency}",
        "title": "Báo cáo kết quả cải cách hành chính quý I",
        "owner": "{officer_username}",
        "working_days": 5,
    },
)
op(
    "POST /api/v1/documents/tasks/{task_id}/reports",
    "/api/v1/documents/tasks/{doc_task}/reports",
    {"officer"},
    json={"progress": 40, "text": "Đã rà soát 12/30 thủ tục."},
)
op("GET /api/v1/documents/{document_id}", "/api/v1/documents/{doc_registered}", DOC_VIEWERS)
op("POST /api/v1/documents/{document_id}/route", "/api/v1/documents/{doc_registered}/route", {"clerical"})
op(
    "POST /api/v1/documents/{document_id}/assign",
    "/api/v1/documents/{doc_routed}/assign",
    {"leader"},
    json={"lead": "{officer_username}", "working_days": 5},
)
op(
    "POST /api/v1/documents/{document_id}/opinions",
    "/api/v1/documents/{doc_working}/opinions",
    {"officer"},
    json={"text": "Đề nghị phối hợp với Văn phòng Sở."},
)
op(
    "POST /api/v1/documents/{document_id}/finish",
    "/api/v1/documents/{doc_working}/finish",
    {"officer"},
    json={"text": "Đã tham mưu văn bản trả lời."},
)
op(
    "POST /api/v1/documents/{document_id}/actions",
    "/api/v1/documents/{doc_draft}/actions",
    {"officer"},  # the drafter submits; the leader and văn thư see the draft but may not submit it
    json={"action": "submit"},
)
op(
    "POST /api/v1/documents/{document_id}/release",
    "/api/v1/documents/{doc_draft}/release",
    NOBODY,  # a draft is never released: who sees it is told it is in the wrong state
    json={"agencies": ["{agency}"]},
    statuses={"clerical": 409, "leader": 409, "officer": 409},
)
op("GET /api/v1/documents/public", "/api/v1/documents/public?q=quyet%20dinh", ALL)  # published documents
op(
    "GET /api/v1/documents/review-chain",
    "/api/v1/documents/review-chain?agency={agency}",
    {"officer", "leader", "clerical", "agency_admin"},  # who drafts there, and its administrator
)
op(
    "PUT /api/v1/documents/review-chain",
    "/api/v1/documents/review-chain",
    {"agency_admin"},
    json={"agency": "{agency}", "steps": [{"title": "Lãnh đạo Sở duyệt", "role": "leader"}]},
)
op(
    "POST /api/v1/documents/{document_id}/recall",
    "/api/v1/documents/{doc_draft}/recall",
    NOBODY,  # văn thư recalls a document sent through the exchange; a draft was never sent: told so
    json={"reason": "Ban hành nhầm đối tượng nhận"},
    statuses={"clerical": 409},
)
op(
    "POST /api/v1/documents/{document_id}/update",
    "/api/v1/documents/{doc_draft}/update",
    NOBODY,  # văn thư sends a corrected file of a document sent through the exchange; not of a draft
    multipart={"reason": "Sửa lỗi chính tả ở Điều 2", "file": "pdf"},
    statuses={"clerical": 409},
)
op(
    "GET /api/v1/documents/{document_id}/recipients",
    "/api/v1/documents/{doc_registered}/recipients",
    DOC_VIEWERS,
)
op("GET /api/v1/documents/{document_id}/copies", "/api/v1/documents/{doc_registered}/copies", DOC_VIEWERS)
op(
    "POST /api/v1/documents/{document_id}/copies",
    "/api/v1/documents/{doc_registered}/copies",
    NOBODY,  # văn thư copies; this paper registration has no file to copy: told so
    json={"form": "sao_y"},
    statuses={"clerical": 409},
)
op("GET /api/v1/documents/{document_id}/ocr", "/api/v1/documents/{doc_registered}/ocr", DOC_VIEWERS)
op(
    "PUT /api/v1/documents/{document_id}/ocr",
    "/api/v1/documents/{doc_registered}/ocr",
    NOBODY,  # văn thư corrects recognised text; a paper registration has none: told so
    json={"text": "Quyết định giao chỉ tiêu chuyển đổi số"},
    statuses={"clerical": 409},
)
op(
    "POST /api/v1/documents/{document_id}/ocr/retry",
    "/api/v1/documents/{doc_registered}/ocr/retry",
    NOBODY,  # no scan to read again
    statuses={"clerical": 409},
)
op(
    "POST /api/v1/documents/{document_id}/public",
    "/api/v1/documents/{doc_draft}/public",
    NOBODY,  # only a released document is made public: văn thư and the leader are told it is not yet
    json={"public": True},
    statuses={"clerical": 409, "leader": 409},
)
# --- scorecards (the Decision 766 index) --------------------------------------------------------
op("GET /api/v1/scorecards/indicators", "/api/v1/scorecards/indicators", ALL)
op("GET /api/v1/scorecards/index", "/api/v1/scorecards/index?period=year&at=2027-03-01", ALL)
op("GET /api/v1/scorecards/open-data/monthly", "/api/v1/scorecards/open-data/monthly", ALL)
op("GET /api/v1/scorecards/units/{kind}/{code}", "/api/v1/scorecards/units/agency/{agency}?period=month", ALL)
op(
    "GET /api/v1/scorecards/units/{kind}/{code}/indicators/{key}",
    "/api/v1/scorecards/units/procedure/{procedure}/indicators/on_time?period=custom&start=2027-01-01&end=2027-12-31",
    ALL,
)
op(
    "GET /api/v1/scorecards/units/{kind}/{code}/drilldown/{key}",
    "/api/v1/scorecards/units/agency/{agency}/drilldown/on_time?period=year&at=2027-03-01",
    # the unit's leaders and administrators, the operations centre and the system administrator
    # (a role over the unit's root agency, sub-trees included): the dossiers are personal data
    {"leader", "agency_admin", "ioc_viewer", "sysadmin"},
)
op(
    "GET /api/v1/scorecards/dashboard",
    "/api/v1/scorecards/dashboard?period=month&at=2027-03-01",
    # the operations centre and leaders, over the agencies where they hold that role (ADR 0162)
    {"leader", "ioc_viewer"},
)


# --- the test -----------------------------------------------------------------------------------


def schema_operations() -> set[str]:
    """``METHOD /path`` of every operation the published schema lists."""
    return {
        f"{method.upper()} {path}"
        for path, ops in api.get_openapi_schema()["paths"].items()
        for method in ops
    }


def test_every_operation_is_declared():
    missing = sorted(schema_operations() - MATRIX.keys())
    assert not missing, (
        "Operations of /api/v1/openapi.json without a permission declaration in "
        f"tests/permissions/test_api_matrix.py (MATRIX): {', '.join(missing)}"
    )


def test_no_declaration_outlives_its_operation():
    stale = sorted(MATRIX.keys() - schema_operations())
    assert not stale, f"MATRIX declares operations the API no longer has: {', '.join(stale)}"


def test_every_declaration_names_real_roles():
    for key, spec in MATRIX.items():
        assert spec.allowed <= ALL and spec.hidden <= ALL - spec.allowed, key
        assert set(spec.statuses) <= ALL and all(400 <= s < 500 for s in spec.statuses.values()), key


def send(client, key: str, spec: Op, v: dict):
    method = key.split(" ", 1)[0].lower()
    url = fmt(spec.url, v)
    headers = fmt(spec.headers, v)
    if spec.multipart is not None:
        data = {
            k: SimpleUploadedFile("giay-to.pdf", pdf(), "application/pdf") if x == "pdf" else x
            for k, x in fmt(spec.multipart, v).items()
        }
        return client.post(url, data, headers=headers)
    if spec.form is not None:
        return client.generic(
            method.upper(),
            url,
            urlencode(fmt(spec.form, v)),
            content_type="application/x-www-form-urlencoded",
            headers=headers,
        )
    if spec.json is not None:
        return client.generic(
            method.upper(),
            url,
            json.dumps(fmt(spec.json, v)),
            content_type="application/json",
            headers=headers,
        )
    return client.generic(method.upper(), url, headers=headers)


def detail(response) -> str:
    try:
        return str(response.json().get("detail", ""))[:200]
    except (ValueError, AttributeError):
        return repr(response.content[:200])


@pytest.mark.parametrize("key", sorted(MATRIX))
def test_operation(client, objects, isolated, key):
    spec = MATRIX[key]
    v = objects.values
    problems = []
    for role in ROLES:
        sign_in(client, objects, role)

        def call():
            # Reads of a dossier the caller may see are audited even when the action is then refused.
            writes = AuditEntry.objects.exclude(action__endswith=".read")
            before = writes.count()
            response = send(client, key, spec, v)
            return response, writes.count() - before

        response, written = isolated(call)
        status = response.status_code
        if role in spec.allowed and role not in spec.statuses:
            if status >= 400:
                problems.append(f"{role}: allowed, got {status} {detail(response)}")
            continue
        expected = spec.refusal(role)
        if status != expected:
            problems.append(f"{role}: expected {expected}, got {status} {detail(response)}")
        elif written and role not in spec.allowed:
            problems.append(f"{role}: refused with {status} but wrote {written} audit entries")
    assert not problems, f"{key}\n" + "\n".join(problems)
