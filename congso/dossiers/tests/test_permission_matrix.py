"""Every role against every dossier API endpoint (like directory/tests/test_permission_matrix.py).

Each row names the roles that may pass. Every other role is refused: 401 when anonymous, 404 when the
dossier is not theirs to see (codes cannot be probed), 403 when they see it but lack the role — and
nothing is written: the dossier (status, version, timeline, files, step), the number of dossiers and
the process template are unchanged."""

import io

import pytest

from congso.accounts.models import User
from congso.directory.models import Membership, Role
from congso.directory.testing import login_verified
from congso.dossiers import services
from congso.dossiers.models import Channel, Dossier, ProcessStep
from congso.dossiers.processes import template_for
from congso.dossiers.testing import advance

from .conftest import pdf

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "citizen",  # the applicant
    "other_citizen",
    "clerk",
    "officer",
    "leader",
    "clerical",
    "agency_admin",
    "sysadmin",
    "other_agency",  # a clerk of another commune
    "justice_officer",  # an officer of the provincial department
]
SEE = {"citizen", "clerk", "officer", "leader", "clerical", "agency_admin"}
REPORT = {"clerk", "leader", "agency_admin"}
PROCESS = {"agency_admin", "sysadmin"}
REASON = {"reason": "Lý do cụ thể gửi người nộp"}
STEPS = [
    {
        "name": "Công chức tư pháp - hộ tịch thẩm định",
        "kind": "handle",
        "role": "officer",
        "share_percent": 60,
    },
    {"name": "Chủ tịch UBND phường ký", "kind": "approve", "role": "leader", "share_percent": 25},
    {"name": "Văn thư phát hành", "kind": "issue", "role": "clerical", "share_percent": 10},
]

# (name, dossier state, method, url, body, allowed roles, visible roles, success statuses)
# States: "accepted" (at the officer's handling step), "supplement" (waiting for the applicant),
# "issue" (at văn thư's issue step). Bodies marked "multipart" are sent as forms with a PDF.
MATRIX = [
    ("detail", "accepted", "get", "/api/v1/dossiers/{code}", None, SEE),
    (
        "receive",
        None,
        "post",
        "/api/v1/dossiers",
        {"multipart": {"agency": "H21.23575", "procedure": "1.001193", "applicant_name": "Trần Thị Bình"}},
        {"clerk"},
    ),
    (
        "request supplement",
        "accepted",
        "post",
        "/api/v1/dossiers/{code}/actions/request_supplement",
        REASON,
        {"clerk", "officer", "leader"},
    ),
    ("forward", "accepted", "post", "/api/v1/dossiers/{code}/actions/forward", {}, {"officer"}),
    (
        "assign",
        "accepted",
        "post",
        "/api/v1/dossiers/{code}/actions/assign",
        {"assignee": "cv.nam"},
        {"officer", "leader"},
    ),
    (
        "transfer",
        "accepted",
        "post",
        "/api/v1/dossiers/{code}/actions/transfer",
        {"agency": "000.00.12.H21", **REASON},
        {"leader"},
    ),
    (
        "extend",
        "accepted",
        "post",
        "/api/v1/dossiers/{code}/actions/extend",
        {"new_due_at": "2099-01-05T17:00:00", **REASON},
        {"officer", "leader"},
    ),
    ("stop", "accepted", "post", "/api/v1/dossiers/{code}/actions/stop", REASON, {"leader"}),
    (
        "withdraw",
        "accepted",
        "post",
        "/api/v1/dossiers/{code}/actions/withdraw",
        REASON,
        {"citizen", "clerk"},
    ),
    (
        "request payment",
        "accepted",
        "post",
        "/api/v1/dossiers/{code}/actions/request_payment",
        {"amount": 50000, "note": "Lệ phí đăng ký khai sinh"},
        {"clerk", "officer"},
    ),
    (
        "attach",
        "accepted",
        "post",
        "/api/v1/dossiers/{code}/attachments",
        {"multipart": {"components": ["Biên bản xác minh"], "files": "pdf"}},
        {"clerk", "officer", "leader", "clerical"},
    ),
    (
        "submit supplement",
        "supplement",
        "post",
        "/api/v1/dossiers/{code}/supplement",
        {"multipart": {"components": ["Giấy chứng sinh"], "files": "pdf"}},
        {"citizen", "clerk"},
    ),
    (
        "issue result",
        "issue",
        "post",
        "/api/v1/dossiers/{code}/result",
        {"multipart": {"number": "12/GKS", "title": "Giấy khai sinh", "file": "pdf"}},
        {"clerical"},
    ),
    (
        "stats",
        None,
        "get",
        "/api/v1/dossiers/reports/stats?agency=H21.23575&start=2027-03-01&end=2027-03-31",
        None,
        REPORT,
    ),
    (
        "log book",
        None,
        "get",
        "/api/v1/dossiers/reports/logbook.xlsx?agency=H21.23575&start=2027-03-01&end=2027-03-31",
        None,
        REPORT,
    ),
    ("read process", None, "get", "/api/v1/dossiers/processes/H21.23575/1.001193", None, PROCESS),
    ("edit process", None, "put", "/api/v1/dossiers/processes/H21.23575/1.001193", {"json": STEPS}, PROCESS),
]


@pytest.fixture
def users(staff, citizen, agencies):
    def official(username, role, agency, **kw):
        user = User.objects.create_user(
            username, password="Mat-khau-dai-2026!", full_name=username, kind="official", **kw
        )
        Membership.objects.create(user=user, agency=agency, role=role, include_subtree=True)
        return user

    return {
        **{k: staff[k] for k in ("clerk", "officer", "leader", "clerical", "justice_officer")},
        "other_agency": staff["other_clerk"],
        "citizen": citizen,
        "other_citizen": User.objects.create_user(
            "cd.binh", password="Mat-khau-dai-2026!", full_name="Lê Thị Bình", kind="citizen"
        ),
        "agency_admin": official("qt.pleiku", Role.AGENCY_ADMIN, agencies["ward"]),
        "sysadmin": official("qt.hethong", Role.SYSADMIN, agencies["ward"], is_superuser=True, is_staff=True),
    }


@pytest.fixture
def dossier(staff, agencies, procedure_version, applicant):
    def make(state):
        d = services.receive(
            actor=staff["clerk"],
            agency=agencies["ward"],
            procedure_version=procedure_version,
            channel=Channel.IN_PERSON,
            applicant=applicant,
            accept_now=True,
        )
        if state == "supplement":
            services.request_supplement(d.pk, actor=staff["officer"], reason="Thiếu giấy chứng sinh")
        elif state == "issue":
            for who in ("officer", "leader", "leader"):
                advance(d.pk, actor=staff[who])
        return Dossier.objects.get(pk=d.pk)

    return make


def state_of(d):
    d = Dossier.objects.get(pk=d.pk)
    return (
        d.status,
        d.version,
        d.current_step_id,
        d.current_agency_id,
        d.assignee_id,
        d.timeline.count(),
        d.attachments.count(),
        Dossier.objects.count(),
        ProcessStep.objects.count(),
    )


def send(client, method, url, body, version=None):
    """``version``: the dossier's, sent as ``expected_version`` with every action on it."""
    if body is None:
        return getattr(client, method)(url)
    if "multipart" in body:
        form = {k: io.BytesIO(pdf()) if v == "pdf" else v for k, v in body["multipart"].items()}
        return client.post(url, {**form, "expected_version": version} if version is not None else form)
    data = body.get("json", body)
    if version is not None and "json" not in body:
        data = {**data, "expected_version": version}
    return getattr(client, method)(url, data, content_type="application/json")


def sign_in(client, users, role):
    client.logout()
    if role in ("citizen", "other_citizen"):
        client.force_login(users[role])
    elif role != "anonymous":
        login_verified(client, users[role])


@pytest.mark.parametrize(
    ("name", "state", "method", "url", "body", "allowed"), MATRIX, ids=[row[0] for row in MATRIX]
)
def test_permission_matrix(
    client, users, dossier, agencies, procedure_version, name, state, method, url, body, allowed
):
    """One row, every role. Refusals change nothing, so they all try the same dossier; each allowed
    role acts on a fresh one."""

    template_for(agencies["ward"], procedure_version.procedure)
    d = dossier(state or "accepted")
    for role in ROLES:
        if role in allowed:
            continue
        sign_in(client, users, role)
        before = state_of(d)
        response = send(client, method, url.format(code=d.code), body, d.version if state else None)
        if role == "anonymous":
            expected = 401
        elif state is None or role in SEE:
            expected = 403  # the agency's reports and processes are not secret; the role is missing
        else:
            expected = 404  # a dossier the caller may not see does not exist for them
        assert response.status_code == expected, (role, response.status_code, response.content[:300])
        if expected != 401:
            assert response.json()["detail"], (role, response.content)
        assert state_of(d) == before, role
    for role in ROLES:
        if role not in allowed:
            continue
        fresh = dossier(state or "accepted")
        sign_in(client, users, role)
        response = send(client, method, url.format(code=fresh.code), body, fresh.version if state else None)
        assert response.status_code in (200, 201), (role, response.status_code, response.content[:300])


def test_the_matrix_names_real_roles():
    assert MATRIX
    for row in MATRIX:
        assert row[-1] <= set(ROLES), row[0]


def test_the_inbox_lists_a_dossier_only_to_the_agencys_staff(client, users, dossier):
    d = dossier("accepted")
    for role in ROLES:
        if role == "sysadmin":
            continue  # see test_the_inbox_does_not_list_dossiers_to_system_administrators
        sign_in(client, users, role)
        response = client.get("/api/v1/dossiers?box=all")
        if role == "anonymous":
            assert response.status_code == 401
            continue
        codes = [r["code"] for r in response.json()["items"]]
        staff = {"clerk", "officer", "leader", "clerical", "agency_admin"}
        assert (d.code in codes) == (role in staff), role


def test_the_inbox_does_not_list_dossiers_to_system_administrators(client, users, dossier):
    d = dossier("accepted")
    login_verified(client, users["sysadmin"])
    assert client.get(f"/api/v1/dossiers/{d.code}").status_code == 404
    assert d.code not in [r["code"] for r in client.get("/api/v1/dossiers?box=all").json()["items"]]


def test_a_read_only_token_cannot_edit_a_process(client, users, agencies, procedure_version):
    import datetime

    from django.utils import timezone
    from oauth2_provider.models import AccessToken, Application

    template = template_for(agencies["ward"], procedure_version.procedure)
    before = list(template.steps.values_list("pk", "name"))
    app = Application.objects.create(
        name="Hệ thống một cửa điện tử của tỉnh",
        user=users["agency_admin"],
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_CLIENT_CREDENTIALS,
    )
    for scope, status in (("read", 401), ("read write", 200)):
        token = f"token-{scope.replace(' ', '-')}-0123456789"
        AccessToken.objects.create(
            user=users["agency_admin"],
            application=app,
            token=token,
            scope=scope,
            expires=timezone.now() + datetime.timedelta(hours=1),
        )
        response = client.put(
            "/api/v1/dossiers/processes/H21.23575/1.001193",
            STEPS,
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {token}",
        )
        assert response.status_code == status, response.content
        if status == 401:
            assert list(template.steps.values_list("pk", "name")) == before
