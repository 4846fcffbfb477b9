"""The dossier API: the same use cases as the UI, with the same refusals, and no leaks."""

import datetime as dt
import io

import pytest
import time_machine
from django.utils import timezone
from openpyxl import load_workbook

from congso.directory.testing import login_verified
from congso.dossiers import api, services
from congso.dossiers.models import Channel, Dossier, Status
from congso.dossiers.testing import advance

from .conftest import pdf, vn

pytestmark = pytest.mark.django_db


@pytest.fixture
def received(staff, agencies, procedure_version, applicant):
    return services.receive(
        actor=staff["clerk"],
        agency=agencies["ward"],
        procedure_version=procedure_version,
        channel=Channel.IN_PERSON,
        applicant=applicant,
        accept_now=True,
    )


def login(client, user):
    login_verified(client, user)
    return client


def test_receive_over_api_with_files(client, staff, agencies, procedure_version):
    login(client, staff["clerk"])
    response = client.post(
        "/api/v1/dossiers",
        {
            "agency": "H21.23575",
            "procedure": "1.001193",
            "channel": 1,
            "applicant_name": "Trần Thị Bình",
            "applicant_id_number": "052190004321",
            "applicant_phone": "0914000111",
            "accept": True,
            "components": ["Tờ khai đăng ký khai sinh", "Giấy chứng sinh"],
            "files": [io.BytesIO(pdf()), io.BytesIO(pdf(2))],
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["code"].startswith("H21.23575-") and body["status"] == Status.ACCEPTED
    assert [a["component"] for a in body["attachments"]] == ["Tờ khai đăng ký khai sinh", "Giấy chứng sinh"]
    assert {a["name"] for a in body["actions"]} >= {"request_supplement", "withdraw"}


def test_receive_refused_for_clerk_of_other_agency(client, staff, agencies, procedure_version):
    login(client, staff["other_clerk"])
    response = client.post(
        "/api/v1/dossiers",
        {"agency": "H21.23575", "procedure": "1.001193", "applicant_name": "Trần Thị Bình"},
    )
    assert response.status_code == 403
    assert Dossier.objects.count() == 0


def test_receive_wrong_file_type_is_refused_cleanly(client, staff, agencies, procedure_version):
    login(client, staff["clerk"])
    response = client.post(
        "/api/v1/dossiers",
        {
            "agency": "H21.23575",
            "procedure": "1.001193",
            "applicant_name": "Trần Thị Bình",
            "components": ["Tờ khai"],
            "files": [io.BytesIO(b"<html>not a pdf</html>")],
        },
    )
    assert response.status_code == 400
    assert response.json()["code"] == "upload_rejected"
    assert Dossier.objects.count() == 0


def test_anonymous_gets_401(client, received):
    assert client.get(f"/api/v1/dossiers/{received.code}").status_code == 401


def test_other_agency_cannot_see_dossier_exists(client, staff, received):
    login(client, staff["other_clerk"])
    assert client.get(f"/api/v1/dossiers/{received.code}").status_code == 404
    assert (
        client.post(
            f"/api/v1/dossiers/{received.code}/actions/withdraw",
            {"reason": "x"},
            content_type="application/json",
        ).status_code
        == 404
    )


def test_applicant_sees_own_dossier(client, citizen, received):
    login(client, citizen)
    body = client.get(f"/api/v1/dossiers/{received.code}").json()
    assert body["code"] == received.code
    assert [a["name"] for a in body["actions"]] == ["withdraw"]


def test_action_flow_and_conflicts(client, staff, received):
    login(client, staff["officer"])
    url = f"/api/v1/dossiers/{received.code}/actions"
    ok = client.post(
        f"{url}/forward",
        {"expected_version": received.version, "note": "Đủ điều kiện"},
        content_type="application/json",
    )
    assert ok.status_code == 200 and ok.json()["status"] == Status.PROCESSING
    stale = client.post(
        f"{url}/forward", {"expected_version": received.version}, content_type="application/json"
    )
    assert stale.status_code == 409 and "vừa được người khác cập nhật" in stale.json()["detail"]
    version = ok.json()["version"]
    wrong = client.post(
        f"{url}/return_result", {"expected_version": version}, content_type="application/json"
    )
    assert wrong.status_code == 409 and wrong.json()["code"] == "wrong_state"
    missing = client.post(
        f"{url}/request_supplement",
        {"reason": "", "expected_version": version},
        content_type="application/json",
    )
    assert missing.status_code == 400 and "lý do" in missing.json()["detail"]
    unknown = client.post(f"{url}/teleport", {"expected_version": version}, content_type="application/json")
    assert unknown.status_code == 400


def test_inbox_boxes(client, staff, received):
    login(client, staff["officer"])
    handle = client.get("/api/v1/dossiers?box=handle").json()
    assert [r["code"] for r in handle["items"]] == [received.code]
    login(client, staff["leader"])
    assert client.get("/api/v1/dossiers?box=review").json()["items"] == []
    login(client, staff["other_clerk"])
    assert client.get("/api/v1/dossiers?box=all").json()["items"] == []


def test_inbox_search_without_diacritics(client, staff, received):
    login(client, staff["clerk"])
    items = client.get("/api/v1/dossiers?box=all&q=nguyen van an").json()["items"]
    assert [r["code"] for r in items] == [received.code]
    assert client.get("/api/v1/dossiers?box=all&q=tran thi").json()["items"] == []


def test_issue_result_and_logbook(client, staff, received):
    for who in ("officer", "leader", "leader"):
        advance(received.pk, actor=staff[who])
    login(client, staff["clerical"])
    response = client.post(
        f"/api/v1/dossiers/{received.code}/result",
        {
            "number": "12/GKS",
            "title": "Giấy khai sinh",
            "file": io.BytesIO(pdf()),
            "expected_version": Dossier.objects.get(pk=received.pk).version,
        },
    )
    assert response.status_code == 200 and response.json()["status"] == Status.PROCESSED
    login(client, staff["clerk"])
    today = timezone.localdate(received.submitted_at).isoformat()  # the log book's days are Vietnam days
    xlsx = client.get(f"/api/v1/dossiers/reports/logbook.xlsx?agency=H21.23575&start={today}&end={today}")
    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet["A1"].value.startswith("SỔ THEO DÕI HỒ SƠ") and sheet["B5"].value == received.code
    stats = client.get(f"/api/v1/dossiers/reports/stats?agency=H21.23575&start={today}&end={today}").json()
    assert stats["rows"][0]["received"] == 1 and stats["rows"][0]["finished_on_time"] == 1
    login(client, staff["officer"])
    assert (
        client.get(f"/api/v1/dossiers/reports/stats?agency=H21.23575&start={today}&end={today}").status_code
        == 403
    )


def test_openapi_documents_dossier_endpoints(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in (
        "/api/v1/dossiers",
        "/api/v1/dossiers/{code}",
        "/api/v1/dossiers/{code}/actions/{action}",
        "/api/v1/dossiers/{code}/result",
        "/api/v1/dossiers/reports/stats",
    ):
        assert path in paths


# --- datetimes from API clients ---------------------------------------------------------------


@pytest.fixture
def received_in_march(staff, agencies, procedure_version, applicant):
    with time_machine.travel(vn(2027, 3, 1, 8, 0), tick=False):
        return services.receive(
            actor=staff["clerk"],
            agency=agencies["ward"],
            procedure_version=procedure_version,
            channel=Channel.IN_PERSON,
            applicant=applicant,
            accept_now=True,
        )


@pytest.mark.parametrize(
    ("sent", "stored"),
    [
        ("2027-03-10T17:00:00", vn(2027, 3, 10, 17, 0)),  # no offset: Vietnam time
        ("2027-03-10T10:00:00Z", vn(2027, 3, 10, 17, 0)),
        ("2027-03-10T17:00:00+07:00", vn(2027, 3, 10, 17, 0)),
    ],
)
def test_extension_date_without_offset_is_vietnam_time(client, staff, received_in_march, sent, stored):
    with time_machine.travel(vn(2027, 3, 2, 9, 0), tick=False):
        login(client, staff["officer"])  # in travelled time: the session must not have expired
        response = client.post(
            f"/api/v1/dossiers/{received_in_march.code}/actions/extend",
            {
                "reason": "Cần xác minh thêm tại Sở Tư pháp",
                "new_due_at": sent,
                "expected_version": received_in_march.version,
            },
            content_type="application/json",
        )
    assert response.status_code == 200, response.content
    d = Dossier.objects.get(pk=received_in_march.pk)
    assert d.due_at == stored and d.is_late
    assert dt.datetime.fromisoformat(response.json()["due_at"]) == stored


@pytest.mark.parametrize("sent", ["9999-12-31T23:59:59Z", "0001-01-01T00:00:00", "1999-12-31T08:00:00"])
def test_implausible_extension_dates_are_refused_without_a_write(client, staff, received_in_march, sent):
    before = Dossier.objects.get(pk=received_in_march.pk)
    with time_machine.travel(vn(2027, 3, 2, 9, 0), tick=False):
        login(client, staff["officer"])
        response = client.post(
            f"/api/v1/dossiers/{received_in_march.code}/actions/extend",
            {"reason": "Cần xác minh thêm", "new_due_at": sent, "expected_version": before.version},
            content_type="application/json",
        )
    assert response.status_code == 400, response.content
    assert "Thời điểm không hợp lệ" in response.json()["detail"]
    after = Dossier.objects.get(pk=received_in_march.pk)
    assert (after.version, after.due_at, after.is_late) == (before.version, before.due_at, False)
    assert not after.extensions.exists()


def test_naive_datetime_given_to_the_service_is_vietnam_time(staff, received_in_march):
    with time_machine.travel(vn(2027, 3, 2, 9, 0), tick=False):
        d = services.extend(
            received_in_march.pk,
            actor=staff["officer"],
            reason="Cần xác minh thêm",
            new_due=dt.datetime(2027, 3, 10, 17, 0),
        )
    assert d.due_at == vn(2027, 3, 10, 17, 0)


@pytest.mark.parametrize(
    "query",
    [
        "start=2027-03-01&end=9999-12-31",
        "start=0001-01-01&end=2027-03-01",
        "start=2027-03-02&end=2027-03-01",
    ],
)
def test_report_periods_outside_plausible_dates_are_400(client, staff, received, query):
    login(client, staff["clerk"])
    for path in ("stats", "logbook.xlsx"):
        response = client.get(f"/api/v1/dossiers/reports/{path}?agency=H21.23575&{query}")
        assert response.status_code == 400, (path, response.content)
        assert response.json()["detail"].startswith("Ngày")


def test_inbox_pages_are_cut_in_the_database_with_the_full_count(
    client, staff, agencies, procedure_version, applicant, monkeypatch
):
    """The inbox used to load at most 2,000 rows and page them in Python (the 2,001st dossier was never
    listed). With the page size lowered to 2, seven dossiers make four pages; the last one is reachable,
    the count is exact, and each page loads only its own rows (LIMIT in the query)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    monkeypatch.setattr(api, "INBOX_PAGE_SIZE", 2)
    monkeypatch.setattr(api, "INBOX_MAX_PAGE_SIZE", 3)
    made = []
    for day in range(1, 8):
        with time_machine.travel(vn(2027, 3, day, 8, 0), tick=False):
            made.append(
                services.receive(
                    actor=staff["clerk"],
                    agency=agencies["ward"],
                    procedure_version=procedure_version,
                    channel=Channel.IN_PERSON,
                    applicant=applicant,
                    accept_now=True,
                ).code
            )
    login(client, staff["officer"])
    seen = []
    for page in (1, 2, 3, 4):
        with CaptureQueriesContext(connection) as queries:
            body = client.get(f"/api/v1/dossiers?box=handle&page={page}").json()
        assert body["count"] == 7
        seen += [r["code"] for r in body["items"]]
        listing = [
            q["sql"]
            for q in queries.captured_queries
            if "dossiers_dossier" in q["sql"] and "LIMIT" in q["sql"]
        ]
        assert listing, "the page is not cut in the database"
    assert seen == made  # most urgent (earliest due) first, every dossier once
    assert client.get("/api/v1/dossiers?box=handle&page=5").json()["items"] == []
    big = client.get("/api/v1/dossiers?box=handle&page_size=50").json()
    assert len(big["items"]) == 3  # a client cannot ask for more than the maximum page size
