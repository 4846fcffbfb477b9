"""Documents through the local exchange hub (issue 18): a released decision travels as a signed edXML
packet, becomes an incoming document at the receiving agency, and the statuses travel back."""

import pytest

from congso.core.errors import ServiceError
from congso.core.statemachine import TransitionError
from congso.directory.testing import login_verified
from congso.documents import exchange_seam, selectors, services
from congso.documents.models import Document, DocumentType, Recipient
from congso.documents.testing import pdf_bytes
from congso.exchange import services as exchange_services
from congso.exchange import testing as exchange_testing
from congso.exchange.models import IncomingPacket, OutgoingPacket
from congso.signing.verify import verify_pdf

pytestmark = pytest.mark.django_db(transaction=True)

S = Document.Status

META = {
    "doc_type": "QĐ",
    "subject": "Quyết định ban hành Quy chế công tác văn thư của Sở Tư pháp",
    "pages": 1,
    "recipients_text": "Sở Xây dựng\nLưu: VT",
}


def issued(world):
    u = world.users
    doc = services.create_draft(
        actor=u["officer"], agency=world.agencies["justice"], metadata=META, upload=pdf_bytes()
    )
    services.submit(doc, actor=u["officer"])
    services.approve(doc, actor=u["head_civil"])
    services.approve(doc, actor=u["leader"])
    services.sign(doc, actor=u["leader"])
    return services.issue(doc, actor=u["clerical"])


def send(world, construction, doc):
    return services.release(
        doc,
        actor=world.users["clerical"],
        external=[{"organ_id": construction.code, "name": construction.name}],
    )


def statuses(recipient):
    recipient.refresh_from_db()
    return recipient.status_code


def test_release_sends_the_packet_and_the_statuses_come_back(world, keys, construction, hub):
    u = world.users
    justice = world.agencies["justice"]
    doc = send(world, construction, issued(world))
    r = doc.recipients.get()
    assert r.packet is not None and r.packet.state == OutgoingPacket.State.SENT  # delivered on commit
    assert r.state == Recipient.State.WAITING and list(selectors.waiting_to_send()) == [r]
    row = OutgoingPacket.objects.get(pk=r.packet_id)
    assert row.code == "01/QĐ-STP" and row.recipients == [construction.code]

    [(incoming_packet, result, _)] = exchange_services.receive(construction)
    assert result == "accepted"
    incoming = Document.objects.get(direction="in", agency=construction)
    assert incoming.source == Document.Source.EXCHANGE and incoming.status == S.REGISTERED
    assert incoming.symbol == "01/QĐ-STP" and incoming.doc_type.name == "Quyết định"
    assert incoming.issuing_organ == justice.name and incoming.signer_name == "Nguyễn Quang Vinh"
    assert incoming.exchange_packet == incoming_packet and incoming.arrival_number == 1
    with incoming.file.open("rb") as fh:
        received = fh.read()
    report = verify_pdf(received)
    assert report.ok and len(report.signatures) == 3
    sigs = incoming.external_metadata["signatures"]
    assert sigs[0]["kind"] == "edxml" and sigs[1]["kind"] == "pdf" and sigs[1]["valid"] is True
    assert [d.pk for d in selectors.inbox(u["cx_clerical"])] == [incoming.pk]  # văn thư sees it
    incoming_packet.refresh_from_db()
    assert incoming_packet.local_status == "03"

    exchange_services.receive(justice)  # 01 arrived, 03 registered
    assert statuses(r) == "03" and r.state == Recipient.State.SENT
    services.route(incoming, actor=u["cx_clerical"])
    services.assign(incoming, actor=u["cx_leader"], lead=u["cx_officer"], working_days=5)
    services.add_opinion(incoming, actor=u["cx_officer"], text="Đang phổ biến đến các phòng.")
    services.add_opinion(incoming, actor=u["cx_officer"], text="Đã phổ biến xong hai phòng.")
    exchange_services.receive(justice)
    assert statuses(r) == "05"
    services.finish(incoming, actor=u["cx_officer"], result="Đã phổ biến Quy chế đến các phòng.")
    exchange_services.receive(justice)
    assert statuses(r) == "06"
    codes = list(
        OutgoingPacket.objects.filter(sender=construction, kind="status")
        .order_by("pk")
        .values_list("status_code", flat=True)
    )
    assert codes == ["01", "03", "04", "05", "06"]  # each once, in order
    doc.refresh_from_db()
    assert "Hoàn thành" in " ".join(doc.notes.values_list("text", flat=True))


def test_a_duplicate_document_never_registers_twice(world, keys, construction, hub):
    doc = send(world, construction, issued(world))
    exchange_services.receive(construction)
    incoming = Document.objects.get(direction="in", agency=construction)
    # The same document delivered again under a new message id (a sender's retry of its own): the
    # exchange records the packet, the documents app does not register it a second time.
    row = OutgoingPacket.objects.get(pk=doc.recipients.get().packet_id)
    packet = exchange_services.packet_of(IncomingPacket.objects.get(pk=incoming.exchange_packet_id))
    packet.message_id = "6f1d3c52-2b7e-4c1a-9a57-2d1f0a3b9c11"
    packet.trace = []
    exchange_services.send_packet(
        sender=world.agencies["justice"], packet=packet, actor=world.users["clerical"]
    )
    results = exchange_services.receive(construction)
    assert [r for _, r, _ in results] == ["accepted"]
    assert Document.objects.filter(direction="in", agency=construction).count() == 1
    assert row.state == OutgoingPacket.State.SENT


def test_refusal_travels_back_with_its_reason(world, keys, construction, hub):
    u = world.users
    doc = send(world, construction, issued(world))
    exchange_services.receive(construction)
    incoming = Document.objects.get(direction="in", agency=construction)
    with pytest.raises(ServiceError):
        services.refuse(incoming, actor=u["cx_clerical"], reason="   ")
    services.refuse(incoming, actor=u["cx_clerical"], reason="Không thuộc thẩm quyền của Sở Xây dựng.")
    incoming.refresh_from_db()
    assert incoming.status == S.REFUSED and incoming.refusal.startswith("Không thuộc")
    with pytest.raises(TransitionError):
        services.route(incoming, actor=u["cx_clerical"])
    exchange_services.receive(world.agencies["justice"])
    r = doc.recipients.get()
    assert statuses(r) == "02"
    assert "Không thuộc thẩm quyền" in " ".join(doc.notes.values_list("text", flat=True))


def test_metadata_from_a_packet_header(world, construction):
    province = world.agencies["province_pc"]
    packet = exchange_testing.sample_packet(province, construction, code_notation="UBND-VP", type_name="")
    data = exchange_seam.metadata_from(packet)
    assert data["symbol"] == "15/UBND-VP" and data["urgency"] == 1 and data["signer_authority"] == "TM."
    assert data["doc_type"] == DocumentType.objects.get(name="Công văn")


def test_a_packet_for_an_agency_without_register_stays_in_the_exchange_inbox(world, keys, hub):
    province = world.agencies["province_pc"]  # no registers in the documents app
    exchange_testing.seal_for(province)
    doc = services.release(
        issued(world),
        actor=world.users["clerical"],
        external=[{"organ_id": province.code, "name": province.name}],
    )
    [(row, result, _)] = exchange_services.receive(province)
    assert result == "accepted" and row.local_status == "01"  # arrival confirmed, kept for văn thư
    assert not Document.objects.filter(direction="in", agency=province).exists()
    assert doc.recipients.get().packet.state == OutgoingPacket.State.SENT


def test_a_late_status_never_moves_the_recipient_back():
    forward = exchange_seam._moves_forward
    assert forward("", "01") and forward("01", "03") and forward("04", "06")
    assert not forward("04", "03") and not forward("06", "01") and not forward("05", "05")
    assert forward("04", "02") and not forward("02", "06") and not forward("02", "02")
    assert not forward("03", "15")  # recall answers stay with the exchange


def test_api_refuses_a_received_document_and_rejects_an_empty_reason(world, keys, construction, hub, client):
    send(world, construction, issued(world))
    exchange_services.receive(construction)
    incoming = Document.objects.get(direction="in", agency=construction)
    url = f"/api/v1/documents/{incoming.pk}/actions"
    login_verified(client, world.users["cx_clerical"])
    answer = client.post(url, {"action": "refuse", "reason": ""}, content_type="application/json")
    assert answer.status_code == 400
    incoming.refresh_from_db()
    assert incoming.status == S.REGISTERED
    answer = client.post(
        url, {"action": "refuse", "reason": "Gửi nhầm cơ quan."}, content_type="application/json"
    )
    assert answer.status_code == 200 and answer.json()["status"] == "refused"
    assert IncomingPacket.objects.get(pk=incoming.exchange_packet_id).local_status == "02"


def _generic_plan(queryset) -> str:
    """PostgreSQL's generic plan of ``queryset`` as a prepared statement (its values unknown), as psycopg
    runs a query from its fifth time on; sequential scans off, so a tiny test table still shows which
    index the planner can use."""
    import re

    from django.db import connection, transaction

    sql, params = queryset.query.sql_with_params()
    numbers = iter(range(1, len(params) + 1))
    sql = re.sub(r"%s", lambda _m: f"${next(numbers)}", sql)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL plan_cache_mode = force_generic_plan")
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"PREPARE by_exchange_id AS {sql}")
        try:
            # a generic plan does not depend on the values: constants of the parameters' types
            values = ", ".join("1" if isinstance(p, int) else "'x'" for p in params)
            cursor.execute(f"EXPLAIN EXECUTE by_exchange_id({values})")
            return "\n".join(row[0] for row in cursor.fetchall())
        finally:
            cursor.execute("DEALLOCATE by_exchange_id")


@pytest.mark.django_db
def test_a_received_document_is_found_by_its_edxml_id_through_the_unique_index(world):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's plans")
    justice = world.agencies["justice"]
    found = exchange_seam._REGISTERED.build(justice.pk, "000.00.00.H21,2026/12/04,15/QĐ-UBND")
    assert "documents_exchange_once" in _generic_plan(found)
    # the same query without the index's condition in literal SQL cannot use it: every packet read all of
    # the agency's documents
    plain = Document.objects.filter(agency_id=justice.pk, exchange_id="x").order_by().values_list("pk")[:1]
    assert "documents_exchange_once" not in _generic_plan(plain)
