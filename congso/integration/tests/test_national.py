"""The National Public Service Portal sync (ADR 0168): the messages, the adapter against the sandbox
with each of its faults, dossiers filed there received (or parked) locally, reconciliation, the
catalogue importer's procedure events, and the pages' and API's refusals."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from congso.accounts.tokens import issue_token
from congso.catalog.importer import import_records
from congso.core.errors import ServiceError
from congso.directory.testing import login_verified
from congso.dossiers.models import Channel, Dossier
from congso.integration import outbox, worker
from congso.integration.models import Delivery, InboundDossier, OutboxEvent, ReconcileRun
from congso.integration.national import inbound, messages, reconcile
from congso.integration.national.sandbox import parse_faults

from .helpers import receive
from .national_helpers import SandboxThread, connect_to, filing, signed

pytestmark = pytest.mark.django_db
INBOUND = "/api/v1/integration/national/inbound"


@pytest.fixture
def portal(settings):
    settings.CONGSO_NATIONAL_TIMEOUT_SECONDS = 0.5
    settings.CONGSO_OUTBOX_RETRY_SECONDS = 0.0
    box = SandboxThread(hang=1.0, seed=3)
    connect_to(box.url)
    yield box
    box.close()


def _drain(rounds=200):
    for _ in range(rounds):
        if not Delivery.objects.exclude(status=Delivery.Status.DELIVERED).exists():
            return
        Delivery.objects.update(next_attempt_at=Delivery.objects.values("created_at")[:1])
        worker.run_once("test", threads=1)
    raise AssertionError("not delivered")


def test_status_3_is_sent_as_11_with_codes_and_dates(portal, staff, agencies, procedure_version, applicant):
    from congso.dossiers import services as dossiers

    d = dossiers.receive(
        actor=staff["clerk"],
        agency=agencies["ward"],
        procedure_version=procedure_version,
        channel=Channel.IN_PERSON,
        applicant=applicant,
    )
    dossiers.refuse(d.pk, actor=staff["clerk"], reason="Hồ sơ không thuộc thẩm quyền giải quyết của phường.")
    events = list(OutboxEvent.objects.filter(aggregate_id=d.code).order_by("sequence"))
    first = messages.sync_message(events[0])
    assert first["dossier"]["procedure"] == "1.001193"
    assert first["dossier"]["receiving_agency"] == "H21.23575" and first["dossier"]["status"] == 1
    last = messages.sync_message(events[-1])
    assert last["dossier"]["local_status"] == 3 and last["dossier"]["status"] == 11
    _drain()
    log = portal.portal.log()
    assert log["dossiers"][d.code]["status"] == 11
    assert {str(e.idempotency_key) for e in events} == set(log["applied"])


def test_result_is_marked_for_the_data_store(portal, staff, agencies, procedure_version, applicant):
    from congso.ratings.tests.conftest import file_and_finish

    d = file_and_finish(staff, agencies, procedure_version, applicant)
    _drain()
    record = portal.portal.log()["dossiers"][d.code]
    assert record["results"] == [
        {
            "number": "125/GKS",
            "title": "Giấy khai sinh",
            "issued_at": record["results"][0]["issued_at"],
            "for_data_store": True,
        }
    ]
    assert record["status"] == 9


@pytest.mark.parametrize("fault", ["timeout", "error", "duplicate_ack", "out_of_order"])
def test_each_fault_is_survived(portal, fault):
    portal.portal.faults = {fault: 0.5}
    codes = [f"H21.23575-270301-{n:04d}" for n in range(4)]
    for step in range(1, 6):
        for code in codes:
            outbox.publish(
                "dossier.status_changed",
                "dossier",
                code,
                {"dossier": code, "to_status": step, "national_status": step},
            )
    _drain()
    log = portal.portal.log()
    assert log["faults"][fault] > 0
    assert all(log["dossiers"][c]["status"] == 5 for c in codes)
    assert all(a["applied"] == 1 for a in log["applied"].values())
    assert set(log["applied"]) == {
        str(k) for k in OutboxEvent.objects.values_list("idempotency_key", flat=True)
    }
    if fault != "duplicate_ack":  # a repeated acknowledgement alongside this one's needs no retry
        assert Delivery.objects.filter(attempts__gt=1).exists()  # the fault made the adapter retry


def test_a_reply_without_this_messages_ack_is_a_failure(portal):
    portal.portal.faults = {"out_of_order": 1.0}
    outbox.publish("dossier.status_changed", "dossier", "X-1", {"to_status": 2, "national_status": 2})
    worker.run_once("test", threads=1)
    d = Delivery.objects.get()
    assert d.status == "pending" and "không có xác nhận" in d.last_error


def test_unknown_fault_names_are_refused():
    with pytest.raises(ValueError):
        parse_faults("timeout=0.1,slow=0.2")


# --- inbound ---------------------------------------------------------------------------------------


def test_a_dossier_filed_nationally_keeps_its_code(portal, agencies, procedure_version):
    body, headers = signed(filing())
    answer = Client().post(INBOUND, body, content_type="application/json", **headers)
    assert answer.status_code == 202, answer.content
    assert answer.json()["status"] == "received"
    d = Dossier.objects.get(code="H21.23575-270301-QG0001")
    assert d.channel == Channel.ONLINE and d.status == 1 and d.receiving_agency == agencies["ward"]
    assert d.applicant_name == "Trần Thị Bình" and d.form_data["national"]["code"] == d.code
    row = InboundDossier.objects.get()
    assert row.dossier == d and row.status == "received"


def test_bad_signature_and_replay_are_refused(portal, agencies, procedure_version):
    message = filing()
    body, headers = signed(message, secret="khoa-sai-cua-ke-gia-mao-2026")
    answer = Client().post(INBOUND, body, content_type="application/json", **headers)
    assert answer.status_code == 401 and "Chữ ký" in answer.json()["error"]
    assert not InboundDossier.objects.exists() and not Dossier.objects.exists()
    body, headers = signed(message, timestamp="1000000000")
    assert Client().post(INBOUND, body, content_type="application/json", **headers).status_code == 401
    body, headers = signed(message)
    assert Client().post(INBOUND, body, content_type="application/json", **headers).status_code == 202
    again = Client().post(INBOUND, body, content_type="application/json", **headers)
    assert again.status_code == 409 and again.json()["replayed"] is True
    assert Dossier.objects.count() == 1 and InboundDossier.objects.count() == 1
    tampered = body.replace("Trần Thị Bình".encode(), "Kẻ Giả Mạo".encode())
    assert Client().post(INBOUND, tampered, content_type="application/json", **headers).status_code == 401


def test_malformed_messages_answer_400(portal):
    body, headers = signed({"message_id": "m-1", "dossier": {}})
    assert Client().post(INBOUND, body, content_type="application/json", **headers).status_code == 400
    assert not InboundDossier.objects.exists()


def test_no_connection_answers_503(db):
    body, headers = signed(filing())
    assert Client().post(INBOUND, body, content_type="application/json", **headers).status_code == 503


def test_unknown_procedure_or_agency_is_parked_then_resolved(
    portal, agencies, procedure_version, sysadmin, staff
):
    body, headers = signed(filing(procedure="1.009999", agency="G22.99"))
    answer = Client().post(INBOUND, body, content_type="application/json", **headers)
    assert answer.status_code == 202 and answer.json()["status"] == "parked"
    row = InboundDossier.objects.get()
    assert "1.009999" in row.problem and not Dossier.objects.exists()
    with pytest.raises(PermissionDenied):
        inbound.resolve(staff["clerk"], row.pk, procedure_code="1.001193", agency_code="H21.23575")
    row = inbound.resolve(sysadmin, row.pk, procedure_code="1.001193")
    assert row.status == "parked" and "G22.99" in row.problem  # the agency is still unknown
    row = inbound.resolve(sysadmin, row.pk, agency_code="H21.23575")
    assert row.status == "received" and row.dossier.code == "H21.23575-270301-QG0001"
    assert row.resolved_by == sysadmin
    with pytest.raises(ServiceError):
        inbound.resolve(sysadmin, row.pk)


def test_a_code_already_used_locally_is_parked(
    portal, staff, agencies, procedure_version, applicant, components
):
    d = receive(staff, agencies, procedure_version, applicant, components)
    body, headers = signed(filing(code=d.code))
    answer = Client().post(INBOUND, body, content_type="application/json", **headers)
    assert answer.json()["status"] == "parked" and d.code in answer.json()["problem"]
    assert Dossier.objects.count() == 1


def test_api_resolve_and_list_need_an_administrator(portal, agencies, procedure_version, sysadmin, staff):
    body, headers = signed(filing(agency="G22.99"))
    Client().post(INBOUND, body, content_type="application/json", **headers)
    row = InboundDossier.objects.get()
    clerk = {"HTTP_AUTHORIZATION": f"Bearer {issue_token(staff['clerk'].username, ['read', 'write']).token}"}
    admin = {"HTTP_AUTHORIZATION": f"Bearer {issue_token(sysadmin.username, ['read', 'write']).token}"}
    url = f"/api/v1/integration/national/inbound/{row.pk}/resolve"
    assert Client().get("/api/v1/integration/national/inbound", **clerk).status_code == 403
    refused = Client().post(url, {"agency_code": "H21.23575"}, content_type="application/json", **clerk)
    assert refused.status_code == 403
    listed = Client().get("/api/v1/integration/national/inbound", **admin).json()
    assert listed["items"][0]["code"] == row.code if "items" in listed else listed
    done = Client().post(url, {"agency_code": "H21.23575"}, content_type="application/json", **admin)
    assert done.status_code == 200 and done.json()["status"] == "received"
    missing = Client().post("/api/v1/integration/national/inbound/999999/retry", **admin)
    assert missing.status_code == 404


# --- reconciliation --------------------------------------------------------------------------------


def test_reconcile_lists_differences_and_resends(
    portal, staff, agencies, procedure_version, applicant, components, sysadmin
):
    first = receive(staff, agencies, procedure_version, applicant, components)
    second = receive(staff, agencies, procedure_version, applicant, components)
    _drain()
    portal.portal.dossiers[first.code]["status"] = 4  # the portal's record went wrong
    del portal.portal.dossiers[second.code]  # the portal lost this one
    with pytest.raises(PermissionDenied):
        reconcile.reconcile(staff["clerk"])
    run = reconcile.reconcile(sysadmin)
    assert {(d["code"], d["kind"]) for d in run.differences} == {
        (first.code, "status"),
        (second.code, "missing"),
    }
    assert run.checked == 2 and run.resent == 2
    _drain()
    assert portal.portal.statuses([first.code, second.code]) == {
        first.code: {"status": 1, "sequence": 2},
        second.code: {"status": 1, "sequence": 2},
    }
    assert reconcile.reconcile(sysadmin).differing == 0
    assert ReconcileRun.objects.count() == 2


def test_reconcile_skips_dossiers_in_flight_and_reports_an_unreachable_portal(
    portal, staff, agencies, procedure_version, applicant, components
):
    receive(staff, agencies, procedure_version, applicant, components)
    run = reconcile.reconcile(None)
    assert run.in_flight == 1 and run.checked == 0
    connect_to("http://127.0.0.1:9")  # nothing listens there
    Delivery.objects.update(status="delivered")
    run = reconcile.reconcile(None)
    assert run.error and run.resent == 0


def test_reconcile_without_connection_is_refused(db):
    with pytest.raises(ServiceError):
        reconcile.reconcile(None)


# --- the catalogue importer's events ---------------------------------------------------------------


def test_catalogue_import_publishes_procedure_changes(db):
    record = {
        "ma_thu_tuc": "1.000999",
        "ten_thu_tuc": "Thủ tục thử nghiệm đồng bộ danh mục",
        "linh_vuc": "Hộ tịch",
    }
    import_records([record], "test")
    event = OutboxEvent.objects.get(event_type="procedure.changed")
    assert event.aggregate_id == "1.000999" and event.payload["change"] == "created"
    import_records([record], "test")  # unchanged: nothing more
    assert OutboxEvent.objects.filter(event_type="procedure.changed").count() == 1
    import_records([record | {"ten_thu_tuc": "Thủ tục thử nghiệm đồng bộ danh mục (sửa đổi)"}], "test")
    changes = list(OutboxEvent.objects.filter(event_type="procedure.changed").order_by("sequence"))
    assert [e.payload["change"] for e in changes] == ["created", "updated"]


def test_the_pages_are_for_administrators(client, staff, sysadmin, portal):
    login_verified(client, staff["clerk"])
    assert client.get("/tich-hop/quoc-gia/").status_code == 403
    assert client.post("/tich-hop/quoc-gia/doi-soat/").status_code in (302, 403)
    assert not ReconcileRun.objects.exists()
    login_verified(client, sysadmin)
    assert client.get("/tich-hop/quoc-gia/").status_code == 200
    assert client.post("/tich-hop/quoc-gia/doi-soat/").status_code == 302
    assert ReconcileRun.objects.count() == 1
