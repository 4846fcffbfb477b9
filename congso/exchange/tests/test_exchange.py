"""Two agencies exchange through a live local hub, including the faults: hub down, duplicate delivery,
forged signature, malformed XML, unknown sender; status messages travel back; recall of a document."""

import datetime as dt
import uuid

import pytest
import requests

from congso.core.models import AuditEntry
from congso.exchange import edxml, hooks, services, testing, xmlsig
from congso.exchange.models import IncomingPacket, OutgoingPacket

pytestmark = pytest.mark.django_db(transaction=True)

S = OutgoingPacket.State


@pytest.fixture
def heard():
    """What the documents app would hear through the hooks."""
    events = {"packets": [], "statuses": []}

    def on_packet(*, incoming, packet):
        events["packets"].append((incoming.pk, packet))

    def on_status(*, incoming, status, outgoing):
        events["statuses"].append((status.status_code, outgoing.pk if outgoing else None))

    hooks.packet_received.subscribe(on_packet)
    hooks.status_received.subscribe(on_status)
    yield events
    hooks.packet_received.unsubscribe(on_packet)
    hooks.status_received.unsubscribe(on_status)


def send(world, province, justice, pdf=None, **fields):
    packet = testing.sample_packet(province, justice, pdf=pdf, **fields)
    return services.send_packet(sender=province, packet=packet, actor=world.users["sysadmin"])


def test_two_agencies_exchange_and_statuses_travel_back(world, province, justice, hub, signed_pdf, heard):
    row = send(world, province, justice, pdf=signed_pdf)
    row.refresh_from_db()  # delivered by the job the commit enqueued
    assert row.state == S.SENT and row.recipients == [justice.code] and row.attempts == 1

    [(incoming, result, reason)] = services.receive(justice)
    assert (result, reason) == ("accepted", "")
    assert incoming.verdict == IncomingPacket.Verdict.ACCEPTED
    assert incoming.code == "15/QĐ-UBND" and incoming.priority == 1
    assert incoming.verification["attachments"]["cid:1"]["ok"] is True  # the PDF's PAdES seal
    assert incoming.signer == province.name
    assert [pk for pk, _ in heard["packets"]] == [incoming.pk]
    contents = services.packet_of(incoming)
    assert contents.attachments[0].data == signed_pdf
    assert hub.acks[-1]["result"] == "accepted"

    # The receiver confirmed arrival (01) on its own; then văn thư reports "assigned" and "done".
    clerical = world.users["clerical"]
    services.report_status(incoming, "04", actor=clerical, description="Giao phòng PBGDPL chủ trì")
    services.report_status(incoming, "06", actor=clerical)
    statuses = OutgoingPacket.objects.filter(sender=justice, kind="status").order_by("pk")
    assert [(s.status_code, s.state) for s in statuses] == [("01", S.SENT), ("04", S.SENT), ("06", S.SENT)]

    results = services.receive(province)
    assert [r for _, r, _ in results] == ["accepted"] * 3
    assert [code for code, _ in heard["statuses"]] == ["01", "04", "06"]
    row.refresh_from_db()
    assert row.delivery == {justice.code: "06"}  # the sender sees "hoàn thành"
    assert AuditEntry.objects.filter(action="exchange.status_received").count() == 3


def test_forbidden_to_send_or_report_for_another_agency(world, province, justice, hub):
    from django.core.exceptions import PermissionDenied

    packet = testing.sample_packet(province, justice)
    with pytest.raises(PermissionDenied):
        services.send_packet(
            sender=province, packet=packet, actor=world.users["clerical"]
        )  # văn thư of justice
    send(world, province, justice)
    [(incoming, _, _)] = services.receive(justice)
    with pytest.raises(PermissionDenied):
        services.report_status(incoming, "06", actor=world.users["other_admin"])
    assert not OutgoingPacket.objects.filter(kind="status", status_code="06").exists()


def test_hub_down_then_retried_with_backoff_and_delivered_once(world, province, justice, hub):
    hub.faults["down"] = True
    row = send(world, province, justice)
    failed = OutgoingPacket.objects.get(pk=row.pk)
    assert failed.state == S.FAILED and failed.attempts == 1
    assert "503" in failed.last_error
    assert dt.timedelta(seconds=25) < failed.next_attempt_at - failed.claimed_at < dt.timedelta(seconds=35)
    assert services.deliver(row.pk) is None  # not due yet: nobody sends it twice
    with pytest.raises(services.HubUnavailable):
        services.receive(justice)

    hub.faults["down"] = False
    later = failed.next_attempt_at + dt.timedelta(seconds=1)
    assert services.retry_due(inline=True, now=later) == 1
    row.refresh_from_db()
    assert row.state == S.SENT and row.attempts == 2
    # A second failure doubles the wait.
    assert services.backoff(2) == 2 * services.backoff(1)
    assert [r for _, r, _ in services.receive(justice)] == ["accepted"]


def test_hub_unreachable_and_given_up(world, province, justice, settings):
    settings.CONGSO_EXCHANGE_HUB_URL = "http://127.0.0.1:9"  # nothing listens there
    settings.CONGSO_EXCHANGE_MAX_ATTEMPTS = 2
    row = send(world, province, justice)
    row.refresh_from_db()
    assert row.state == S.FAILED and "Connection" in row.last_error
    OutgoingPacket.objects.filter(pk=row.pk).update(next_attempt_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    assert services.deliver(row.pk).state == S.GIVEN_UP
    assert services.retry_due(inline=True) == 0  # given up: only a person sends it again
    services.resend(row.pk, actor=world.users["sysadmin"])
    row.refresh_from_db()
    assert row.state == S.FAILED and row.attempts == 1  # tried again at once, and failed again


def test_sender_retry_after_a_lost_answer_is_delivered_once(world, province, justice, hub):
    row = send(world, province, justice)
    # The answer was lost: the job posts the same packet again.
    OutgoingPacket.objects.filter(pk=row.pk).update(state=S.QUEUED)
    assert services.deliver(row.pk).state == S.SENT
    answer = requests.post(hub_url(hub) + "/api/packets", data=bytes(row.envelope), timeout=5).json()
    assert answer["duplicate"] is True
    assert [r for _, r, _ in services.receive(justice)] == ["accepted"]
    assert IncomingPacket.objects.filter(recipient=justice).count() == 1


def hub_url(hub):
    from django.conf import settings

    return settings.CONGSO_EXCHANGE_HUB_URL


def test_duplicate_delivery_is_recorded_once(world, province, justice, hub, heard):
    send(world, province, justice)
    hub.faults["duplicate"] = 1
    results = services.receive(justice)
    assert [r for _, r, _ in results] == ["accepted", "duplicate"]
    assert IncomingPacket.objects.filter(recipient=justice, kind="document").count() == 1
    incoming = IncomingPacket.objects.get(recipient=justice, kind="document")
    assert incoming.deliveries == 2
    assert len(heard["packets"]) == 1  # the documents app registers it once
    assert [a["result"] for a in hub.acks] == ["accepted", "duplicate"]
    assert OutgoingPacket.objects.filter(sender=justice, status_code="01").count() == 1
    assert services.receive(justice) == []  # nothing left at the hub


def test_forged_signature_refused_and_the_hub_and_sender_told_why(world, province, justice, hub, heard):
    hub.faults["forge"] = 1
    row = send(world, province, justice)
    [(incoming, result, reason)] = services.receive(justice)
    assert (result, reason) == ("refused", "signature")
    assert incoming.verdict == IncomingPacket.Verdict.REFUSED
    assert "chữ ký" in incoming.refusal.lower()
    assert heard["packets"] == []
    ack = hub.acks[-1]
    assert ack["result"] == "refused" and ack["reason"] == "signature" and ack["message"]
    # The sender hears it too: a status 02 with the reason.
    notice = OutgoingPacket.objects.get(sender=justice, kind="status")
    assert notice.status_code == "02" and notice.state == S.SENT
    services.receive(province)
    row.refresh_from_db()
    assert row.delivery == {justice.code: "02"} and "chữ ký" in row.refusal.lower()


def test_a_tampered_pdf_signature_is_refused(world, province, justice, hub, signed_pdf):
    tampered = signed_pdf.replace(b"/MediaBox", b"/MediaBoX", 1) if b"/MediaBox" in signed_pdf else signed_pdf
    assert tampered != signed_pdf
    send(world, province, justice, pdf=tampered)  # sealed as XML after the PDF was altered
    [(incoming, result, reason)] = services.receive(justice)
    assert (result, reason) == ("refused", "attachment_signature")


def test_certificate_of_another_agency_is_refused(world, province, justice, hub):
    packet = testing.sample_packet(province, justice)
    packet.trace = [edxml.TraceHeader(province.code, dt.datetime(2026, 12, 4, 9, 0, tzinfo=dt.UTC))]
    envelope = xmlsig.sign(edxml.build_packet(packet), testing.seal_for(world.agencies["construction"]))
    requests.post(hub_url(hub) + "/api/packets", data=envelope, timeout=5).raise_for_status()
    [(incoming, result, reason)] = services.receive(justice)
    assert (result, reason) == ("refused", "signature")
    assert "không thuộc cơ quan gửi" in incoming.refusal


def test_unknown_sender_refused(world, province, justice, hub):
    packet = testing.sample_packet(province, justice)
    packet.sender = edxml.Organ("000.00.99.H99", "Cơ quan không có trong danh bạ")
    envelope = xmlsig.sign(edxml.build_packet(packet), testing.seal_for(province))
    requests.post(hub_url(hub) + "/api/packets", data=envelope, timeout=5).raise_for_status()
    [(incoming, result, reason)] = services.receive(justice)
    assert (result, reason) == ("refused", "unknown_sender")
    assert hub.acks[-1]["reason"] == "unknown_sender"
    assert not OutgoingPacket.objects.filter(sender=justice).exists()  # nobody to tell


def test_malformed_xml_and_attacks_refused_by_the_hub_and_the_receiver(world, justice, hub):
    from pathlib import Path

    data = Path(__file__).parent / "data"
    for name, reason in (("billion_laughs.xml", "xml_attack"), ("malformed.xml", "malformed")):
        answer = requests.post(hub_url(hub) + "/api/packets", data=(data / name).read_bytes(), timeout=5)
        assert answer.status_code == 400 and answer.json()["reason"] == reason
        # Had a hub passed it on, the receiver refuses it as well, and records it once.
        message_id = str(uuid.uuid4())
        row, result, why = services.record_delivery(justice, message_id, (data / name).read_bytes())
        assert (result, why) == ("refused", reason)
        assert services.record_delivery(justice, message_id, b"")[1] == "duplicate"
    assert hub.messages == {}


def test_unsigned_packet_refused(world, province, justice):
    raw = edxml.to_bytes(edxml.build_packet(testing.sample_packet(province, justice)))
    row, result, reason = services.record_delivery(justice, str(uuid.uuid4()), raw)
    assert (result, reason) == ("refused", "signature")


def test_packet_for_another_organ_refused(world, province, justice, hub):
    row = send(world, province, justice)
    _, result, reason = services.record_delivery(
        world.agencies["construction"], str(row.message_id), bytes(row.envelope)
    )
    assert (result, reason) == ("refused", "not_addressed")


def test_recall_and_update_of_a_sent_document(world, province, justice, hub, heard):
    first = send(world, province, justice)
    [(original, _, _)] = services.receive(justice)
    contents = services.packet_of(original)
    reference = edxml.ResponseFor(
        contents.sender.organ_id, contents.code, contents.promulgation_date, contents.document_id
    )
    recall = send(
        world,
        province,
        justice,
        business=edxml.Business.RECALL,
        business_reason="Ban hành nhầm",
        response_for=[reference],
    )
    update = send(
        world,
        province,
        justice,
        business=edxml.Business.UPDATE,
        business_reason="Sửa trích yếu",
        response_for=[reference],
        subject="Về việc kiện toàn Hội đồng phối hợp PBGDPL tỉnh Gia Lai (thay thế)",
    )
    assert {recall.business, update.business} == {edxml.Business.RECALL, edxml.Business.UPDATE}
    received = services.receive(justice)
    assert [p.business for p, _, _ in received] == [edxml.Business.RECALL, edxml.Business.UPDATE]
    assert [packet.response_for[0].document_id for _, packet in heard["packets"][1:]] == [
        contents.document_id
    ] * 2
    services.report_status(received[0][0], "15", actor=world.users["clerical"], description="Đồng ý thu hồi")
    services.receive(province)
    first.refresh_from_db()
    assert first.delivery[justice.code] == "15"


def test_a_delayed_status_does_not_overwrite_a_later_one(world, province, justice, hub, heard):
    row = send(world, province, justice)
    [(incoming, _, _)] = services.receive(justice)
    packet = services.packet_of(incoming)
    reference = edxml.ResponseFor(
        packet.sender.organ_id, packet.code, packet.promulgation_date, packet.document_id
    )
    seal = testing.seal_for(justice)
    at = dt.datetime(2026, 12, 8, 9, 0, tzinfo=edxml.VN_TZ)
    for code, when in (("06", at), ("05", at - dt.timedelta(hours=2))):  # the 05 was held up by retries
        status = edxml.Status(services.organ_for(justice), reference, code, timestamp=when)
        envelope = xmlsig.sign(edxml.build_status(status), seal)
        requests.post(hub_url(hub) + "/api/packets", data=envelope, timeout=5).raise_for_status()
    services.receive(province)
    row.refresh_from_db()
    assert row.delivery == {justice.code: "06"}
    assert [code for code, _ in heard["statuses"]][-2:] == ["06", "05"]  # both heard, in arrival order
