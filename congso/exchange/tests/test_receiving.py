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


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_delivery_recorded_by_a_concurrent_poll_is_answered_duplicate(world, province, justice, hub):
    """Two receivers record the same delivery at once: the second one's insert waits on the inbox's unique
    message id, fails when the first commits, and answers "duplicate" with the first one's row; its own
    work (statuses, registration, audit) is rolled back whole."""
    import threading

    from django.db import connections, transaction

    from congso.core.models import AuditEntry

    _send(world, province, justice, 1)
    [delivery] = hub.pending(justice.code)["deliveries"]
    message_id, envelope = delivery["message_id"], hub.envelope(delivery["delivery_id"])
    inserted, release, failures = threading.Event(), threading.Event(), []

    def first_poll():
        try:
            with transaction.atomic():
                IncomingPacket.objects.create(
                    recipient=justice,
                    message_id=message_id,
                    kind=IncomingPacket.Kind.DOCUMENT,
                    verdict=IncomingPacket.Verdict.ACCEPTED,
                    envelope=envelope,
                )
                inserted.set()
                release.wait(30)
        except Exception as exc:  # noqa: BLE001 — reported by the main thread
            failures.append(exc)
            inserted.set()
        finally:
            connections.close_all()

    def commit_once_the_second_waits():
        with connection.cursor() as cursor:
            for _ in range(3000):
                cursor.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = "
                    "current_database()"
                )
                if cursor.fetchone()[0]:
                    break
                threading.Event().wait(0.01)
        release.set()

    audit_before = AuditEntry.objects.count()
    thread = threading.Thread(target=first_poll)
    thread.start()
    assert inserted.wait(30) and not failures
    watcher = threading.Thread(target=lambda: (commit_once_the_second_waits(), connections.close_all()))
    watcher.start()
    row, result, reason = services.record_delivery(justice, message_id, envelope)
    thread.join(30)
    watcher.join(30)
    assert not failures
    assert (result, reason) == ("duplicate", "duplicate")
    assert IncomingPacket.objects.filter(recipient=justice, message_id=message_id).count() == 1
    assert row.pk == IncomingPacket.objects.get(recipient=justice, message_id=message_id).pk
    # the second receiver's statuses and audit entries (its registration's too) were rolled back with it
    assert not OutgoingPacket.objects.filter(sender=justice).exists()
    assert AuditEntry.objects.count() == audit_before


def test_the_hub_takes_a_batch_of_acknowledgements_and_answers_each():
    hub = Hub()
    ids = _queue(hub, "000.00.12.H21", 3)
    delivery_ids = [d["delivery_id"] for d in hub.pending("000.00.12.H21", limit=3)["deliveries"]]
    status, answer = hub.ack_many(
        {
            "acks": [
                {"delivery_id": delivery_ids[0], "result": "accepted"},
                {
                    "delivery_id": delivery_ids[1],
                    "result": "refused",
                    "reason": "signature",
                    "message": "giả",
                },
                {"delivery_id": 999_999, "result": "accepted"},  # unknown: answered, the others go on
                {"delivery_id": delivery_ids[2], "result": "maybe"},  # invalid result
                {"result": "accepted"},  # no id
            ]
        }
    )
    assert status == 200
    first, second, unknown, invalid, no_id = answer["acks"]
    assert (first["message_id"], first["result"]) == (ids[0], "accepted")
    assert (second["result"], second["reason"], second["message"]) == ("refused", "signature", "giả")
    assert (unknown["delivery_id"], unknown["reason"]) == (999_999, "unknown")
    assert invalid["reason"] == "invalid" and no_id["reason"] == "invalid"
    assert [d["message_id"] for d in hub.queues["000.00.12.H21"]] == [ids[2]]  # only the invalid one waits
    for bad in ({}, {"acks": []}, {"acks": "x"}, {"acks": [{}] * 201}, []):
        assert hub.ack_many(bad)[0] == 400


@pytest.mark.django_db(transaction=True)
def test_a_poll_acknowledges_its_batch_in_one_request(world, province, justice, hub, monkeypatch):
    _send(world, province, justice, 3)
    calls = []
    original = hub.ack_many
    monkeypatch.setattr(hub, "ack_many", lambda data: calls.append(len(data["acks"])) or original(data))
    results = services.receive(justice)
    assert [r[1] for r in results] == ["accepted"] * 3
    assert calls == [3] and hub.queues[justice.code] == []
    assert [a["result"] for a in hub.acks] == ["accepted"] * 3


@pytest.mark.django_db(transaction=True)
def test_a_poll_that_fails_midway_acknowledges_what_it_recorded(world, province, justice, hub, monkeypatch):
    _send(world, province, justice, 3)
    original, seen = services.record_delivery, []

    def fail_on_the_third(agency, message_id, envelope):
        seen.append(message_id)
        if len(seen) == 3:
            raise RuntimeError("máy chủ cơ sở dữ liệu mất kết nối")
        return original(agency, message_id, envelope)

    monkeypatch.setattr(services, "record_delivery", fail_on_the_third)
    with pytest.raises(RuntimeError):
        services.receive(justice)
    assert [a["message_id"] for a in hub.acks] == seen[:2]
    assert [d["message_id"] for d in hub.queues[justice.code]] == [seen[2]]  # handed out again later


def test_the_hub_lists_deliveries_and_hands_each_envelope_over_as_it_was_sent():
    hub = Hub()
    body = "<edXMLEnvelope>Quyết định số 15/QĐ-UBND</edXMLEnvelope>".encode()
    hub._enqueue("000.00.12.H21", str(uuid.uuid4()), "packet", "000.00.00.H21", body)
    [listed] = hub.pending("000.00.12.H21")["deliveries"]
    assert "envelope" not in listed and listed["size"] == len(body)
    statuses, headers = [], {}

    def get(path):
        environ = {"REQUEST_METHOD": "GET", "PATH_INFO": path, "wsgi.input": BytesIO()}
        return b"".join(hub(environ, lambda status, h: (statuses.append(status), headers.update(h))))

    assert get(f"/api/deliveries/{listed['delivery_id']}/envelope") == body
    assert statuses[-1] == "200 OK" and headers["Content-Type"] == "application/xml"
    hub.ack(listed["delivery_id"], {"result": "accepted"})
    assert b"unknown" in get(f"/api/deliveries/{listed['delivery_id']}/envelope")  # acknowledged: gone
    assert statuses[-1] == "404 Not Found"
    assert b"not_found" in get("/api/deliveries/abc/envelope")


@pytest.mark.django_db(transaction=True)
def test_a_delivery_acknowledged_between_listing_and_fetching_is_left_alone(
    world, province, justice, hub, monkeypatch
):
    _send(world, province, justice, 2)
    original, taken = hub.pending, []

    def list_then_lose_the_first(organ, limit=20, lease=None):
        answer = original(organ, limit, lease)
        if answer["deliveries"] and not taken:  # another poll, whose lease had run out, finished it
            taken.append(answer["deliveries"][0])
            hub.ack(taken[0]["delivery_id"], {"result": "accepted"})
        return answer

    monkeypatch.setattr(hub, "pending", list_then_lose_the_first)
    results = services.receive(justice)
    assert len(results) == 1 and results[0][1] == "accepted"  # only the second
    assert not IncomingPacket.objects.filter(message_id=taken[0]["message_id"]).exists()


@pytest.mark.django_db(transaction=True)
def test_a_hub_that_answers_oddly_for_an_envelope_refuses_nothing(world, province, justice, hub, monkeypatch):
    _send(world, province, justice, 2)
    original, asked = hub.envelope, []

    def broken_for_the_second(delivery_id):
        asked.append(delivery_id)
        if len(asked) == 2:
            raise TypeError("hỏng")  # the hub's own fault: it answers 400
        return original(delivery_id)

    monkeypatch.setattr(hub, "envelope", broken_for_the_second)
    with pytest.raises(services.HubUnavailable, match="mã 400"):
        services.receive(justice)
    # the first was recorded and acknowledged; the second was neither refused nor recorded: it comes again
    assert [a["result"] for a in hub.acks] == ["accepted"]
    assert IncomingPacket.objects.filter(recipient=justice).count() == 1
    assert len(hub.queues[justice.code]) == 1


def _outbox_row(agency) -> OutgoingPacket:
    return OutgoingPacket.objects.create(
        message_id=uuid.uuid4(), kind=OutgoingPacket.Kind.STATUS, sender=agency, envelope=b"<edXMLEnvelope/>"
    )


@pytest.fixture
def handed(monkeypatch):
    """The lists of outbox rows handed to the delivery jobs (instead of the test's inline job backend)."""
    jobs = []
    monkeypatch.setattr(services, "enqueue", lambda ids, run_after=None: jobs.append(list(ids)))
    return jobs


@pytest.mark.django_db(transaction=True)
def test_the_rows_a_transaction_queues_go_in_one_delivery_job(justice, handed):
    from django.db import transaction

    with transaction.atomic():
        first = _outbox_row(justice)
        services._queue(first)
        with transaction.atomic():  # a savepoint that commits: its row joins the same job
            second = _outbox_row(justice)
            services._queue(second)
        with pytest.raises(RuntimeError), transaction.atomic():  # one that rolls back
            gone = _outbox_row(justice)
            services._queue(gone)
            raise RuntimeError("bước bị hủy")
    jobs = list(handed)
    assert len(jobs) == 1 and jobs[0][:2] == [first.pk, second.pk]
    # the rolled-back row, if handed over, finds nothing to send
    assert services.deliver_many(jobs[0][2:]) == ["skipped"] * len(jobs[0][2:])
    with transaction.atomic():  # the next transaction starts a job of its own
        third = _outbox_row(justice)
        services._queue(third)
    assert handed[1:] == [[third.pk]]


@pytest.mark.django_db(transaction=True)
def test_a_savepoint_rolled_back_first_does_not_lose_the_rows_queued_after_it(justice, handed):
    from django.db import transaction

    with transaction.atomic():
        with pytest.raises(RuntimeError), transaction.atomic():
            services._queue(_outbox_row(justice))  # its commit callback is dropped with the savepoint
            raise RuntimeError("bước bị hủy")
        kept = _outbox_row(justice)
        services._queue(kept)
    [job] = handed
    assert job[-1] == kept.pk


@pytest.mark.django_db
def test_a_batch_job_sends_each_row_and_one_that_breaks_does_not_stop_the_others(justice, monkeypatch):
    rows = [_outbox_row(justice) for _ in range(3)]
    original = services.deliver
    monkeypatch.setattr(
        services,
        "deliver",
        lambda pk, now=None: (
            (_ for _ in ()).throw(RuntimeError("mất kết nối")) if pk == rows[1].pk else original(pk, now)
        ),
    )
    monkeypatch.setattr(services, "_post", lambda envelope: {"duplicate": False})
    assert services.deliver_many([r.pk for r in rows]) == ["sent", "error", "sent"]
    assert OutgoingPacket.objects.get(pk=rows[1].pk).state == OutgoingPacket.State.QUEUED  # stays due


def test_queued_rows_are_handed_over_in_jobs_of_at_most_a_batch(monkeypatch):
    jobs = []

    class Job:
        enqueue = staticmethod(jobs.append)

    monkeypatch.setattr(services, "deliver_packets", Job)
    services.enqueue(range(45))
    assert [len(ids) for ids in jobs] == [20, 20, 5] and sum(jobs, []) == list(range(45))


def _sigterm_handling(_):
    import signal

    return signal.getsignal(signal.SIGTERM) is signal.SIG_DFL


def test_receiving_workers_stop_on_sigterm_whatever_the_parent_installed():
    """A parent that installed a graceful-stop handler (an outbox worker run in the same process, a
    task worker) must not hand it to the receiving workers: the pool's ``terminate`` sends SIGTERM to a
    worker waiting for its next task, and a handler that only sets a flag left it, and the poll, waiting
    forever."""
    import multiprocessing
    import signal

    previous = signal.signal(signal.SIGTERM, lambda *_: None)
    try:
        with multiprocessing.get_context("fork").Pool(2, initializer=services._default_signals) as pool:
            assert pool.map(_sigterm_handling, range(2)) == [True, True]
    finally:
        signal.signal(signal.SIGTERM, previous)
