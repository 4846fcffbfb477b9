"""Receiving side by side (ADR 0186): the hub leases what it hands out, so several receiving processes
of one agency take different deliveries; `congso exchange poll --workers N` drains what waits; a status
answers a received document from the inbox row's own columns."""

import uuid
from io import BytesIO, StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from congso.exchange import edxml, services, testing
from congso.exchange.hub import Hub
from congso.exchange.models import IncomingPacket, OutgoingPacket

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="forked processes share the database only on PostgreSQL"
)


def _queue(hub: Hub, organ: str, count: int) -> list[str]:
    ids = [str(uuid.uuid4()) for _ in range(count)]
    for message_id in ids:
        hub._enqueue(organ, message_id, "packet", "000.00.00.H21", b"<edXMLEnvelope/>")
    return ids


def _ids(answer: dict) -> list[str]:
    return [d["message_id"] for d in answer["deliveries"]]


def test_a_leased_delivery_goes_to_one_poller_until_its_lease_ends(monkeypatch):
    hub = Hub()
    ids = _queue(hub, "000.00.12.H21", 5)
    now = [1000.0]
    monkeypatch.setattr("congso.exchange.hub.time.monotonic", lambda: now[0])
    first = _ids(hub.pending("000.00.12.H21", limit=3, lease=60))
    second = _ids(hub.pending("000.00.12.H21", limit=3, lease=60))
    assert first == ids[:3] and second == ids[3:]  # side by side: different deliveries
    assert _ids(hub.pending("000.00.12.H21", limit=3, lease=60)) == []  # all held
    hub.ack(hub.queues["000.00.12.H21"][0]["delivery_id"], {"result": "accepted"})
    now[0] += 61  # the second poller died without acknowledging: its deliveries come again
    assert _ids(hub.pending("000.00.12.H21", limit=10, lease=60)) == ids[1:]
    # a poll without a lease (an older receiver) still sees everything not acknowledged
    assert _ids(hub.pending("000.00.12.H21", limit=10)) == ids[1:]
    assert "leased_until" not in hub.pending("000.00.12.H21", limit=1)["deliveries"][0]


def test_a_bad_lease_is_refused_and_a_huge_one_is_capped(monkeypatch):
    hub = Hub()
    _queue(hub, "000.00.12.H21", 1)
    monkeypatch.setattr("congso.exchange.hub.time.monotonic", lambda: 0.0)
    hub.pending("000.00.12.H21", lease=10**9)
    assert hub.queues["000.00.12.H21"][0]["leased_until"] == 3600.0
    statuses = []
    body = hub(
        {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": "/api/organs/000.00.12.H21/pending",
            "QUERY_STRING": "lease=abc",
            "wsgi.input": BytesIO(),
        },
        lambda status, headers: statuses.append(status),
    )
    assert statuses == ["400 Bad Request"] and b"invalid" in body[0]


def _send(world, province, justice, count: int) -> None:
    for i in range(count):
        packet = testing.sample_packet(province, justice, number=str(700 + i))
        services.send_packet(sender=province, packet=packet, actor=world.users["sysadmin"])


@pytest.mark.django_db(transaction=True)
def test_poll_drains_what_waits_in_one_process(world, province, justice, hub):
    _send(world, province, justice, 12)  # more than one poll's batch (10)
    out = StringIO()
    call_command("exchange", "poll", "--workers", "1", stdout=out)
    assert IncomingPacket.objects.filter(recipient=justice, verdict="accepted").count() == 12
    # the province, polled in the same rounds, took the twelve "01 arrived" statuses sent back
    assert IncomingPacket.objects.filter(recipient=province, kind="status").count() == 12
    assert "(received 24)" in out.getvalue()
    assert hub.queues[justice.code] == [] and hub.queues[province.code] == []


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_two_processes_receive_side_by_side_and_record_each_packet_once(world, province, justice, hub):
    _send(world, province, justice, 14)
    hub.faults["duplicate"] = 2  # the hub hands two deliveries out twice as well
    handled = services.receive_in_processes(2)
    rows = IncomingPacket.objects.filter(recipient=justice, kind=IncomingPacket.Kind.DOCUMENT)
    assert rows.count() == 14 and set(rows.values_list("verdict", flat=True)) == {"accepted"}
    # 14 packets and 2 twins, each acknowledged once, and the 14 "01 arrived" statuses the province took
    assert handled == 30
    assert sorted(a["result"] for a in hub.acks).count("duplicate") == 2
    assert hub.queues[justice.code] == []
    # each received document is confirmed once ("01 arrived"), whichever process took it
    assert OutgoingPacket.objects.filter(sender=justice, status_code="01").count() == 14


def test_workers_must_not_be_negative(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--workers"):
        call_command("exchange", "poll", "--workers", "-1", stdout=StringIO())


@pytest.mark.django_db(transaction=True)
def test_a_status_answers_from_the_row_and_parses_the_envelope_only_when_it_must(
    world, province, justice, hub, monkeypatch
):
    _send(world, province, justice, 1)
    [(row, result, _reason)] = services.receive(justice)
    assert result == "accepted"
    parsed = []
    original = services.packet_of
    monkeypatch.setattr(
        services, "packet_of", lambda incoming: parsed.append(incoming.pk) or original(incoming)
    )
    answer = services._response_for(row)
    assert parsed == []  # from the row's columns
    assert answer.organ_id == province.code and answer.document_id == row.document_id
    assert answer.promulgation_date is not None and answer.code == row.code
    truncated = IncomingPacket(
        pk=row.pk, document_id=row.document_id[:20], code=row.code, envelope=row.envelope
    )
    truncated.sender_organ_id = row.sender_organ_id
    again = services._response_for(truncated)  # a DocumentId cut to the column's length: the envelope says
    assert parsed == [row.pk] and again == answer
    assert isinstance(again, edxml.ResponseFor)
