"""Workers deliver in order per aggregate, at least once, signed; retry with backoff; dead-letter after
the last attempt; a dead letter holds its stream back until an administrator replays it."""

import json

import pytest
from django.test import Client
from django.utils import timezone

from congso.api import api
from congso.core.models import AuditEntry
from congso.integration import outbox, services, webhooks, worker
from congso.integration.models import Attempt, Delivery

from .helpers import subscriber

pytestmark = pytest.mark.django_db
S = Delivery.Status


def publish_many(n, aggregate="H21.23575-270301-0001"):
    return [
        outbox.publish("dossier.status_changed", "dossier", aggregate, {"dossier": aggregate, "step": i})
        for i in range(n)
    ]


def make_due():
    Delivery.objects.filter(status=S.PENDING).update(next_attempt_at=timezone.now())


def test_delivers_in_order_signed_with_the_documented_scheme(receiver):
    sub = subscriber(receiver.url)
    publish_many(5)
    outbox.publish(
        "dossier.received", "dossier", "H21.23575-270301-0002", {"dossier": "H21.23575-270301-0002"}
    )
    assert worker.run(burst=True, threads=2) == 6
    assert Delivery.objects.filter(status=S.DELIVERED).count() == 6
    steps = [b["data"]["step"] for b in receiver.bodies() if b["aggregate"]["id"].endswith("0001")]
    assert steps == [0, 1, 2, 3, 4]
    # the snippet published in the API description verifies a real delivery, and refuses a forged one
    description = api.get_openapi_schema()["paths"]["/api/v1/integration/subscribers"]["post"]["description"]
    namespace = {}
    exec(webhooks.verification_snippet(), namespace)  # noqa: S102 — exactly the documented code
    assert webhooks.verification_snippet() in description
    first = receiver.requests[0]
    assert namespace["verify"](sub.secret, first["headers"], first["body"])
    assert not namespace["verify"]("another-secret-of-16+", first["headers"], first["body"])
    assert not namespace["verify"](sub.secret, first["headers"], first["body"] + b" ")
    body = first["json"]
    assert first["headers"]["Congso-Idempotency-Key"] == body["id"]
    assert first["headers"]["Congso-Delivery-Id"] == body["delivery_id"]
    assert Attempt.objects.filter(ok=True, status_code=200).count() == 6


def test_failure_backs_off_and_holds_the_stream(receiver):
    subscriber(receiver.url)
    publish_many(3)
    receiver.answers = [503]
    assert worker.run_once() == 1  # the first fails; the two after it are not sent out of order
    first = Delivery.objects.get(sequence=1)
    assert first.status == S.PENDING and first.attempts == 1 and "HTTP 503" in first.last_error
    assert first.next_attempt_at > timezone.now()  # backoff
    assert worker.run_once() == 0  # nothing due: the stream waits for its head
    make_due()
    assert worker.run_once() == 3
    assert [b["data"]["step"] for b in receiver.bodies()] == [0, 0, 1, 2]  # at least once, in order


def test_backoff_grows_with_jitter(settings):
    settings.CONGSO_OUTBOX_RETRY_SECONDS = 10
    settings.CONGSO_OUTBOX_RETRY_MAX_SECONDS = 100
    for attempts, low, high in [(1, 5, 10), (2, 10, 20), (3, 20, 40), (10, 50, 100)]:
        delays = {worker.backoff(attempts) for _ in range(50)}
        assert all(low <= d <= high for d in delays)
        assert len(delays) > 1  # jitter


def test_dead_letter_then_replay(receiver, settings, sysadmin):
    settings.CONGSO_OUTBOX_MAX_ATTEMPTS = 2
    subscriber(receiver.url)
    publish_many(2)
    receiver.default = 500
    worker.run_once()
    make_due()
    worker.run_once()
    dead = Delivery.objects.get(sequence=1)
    assert dead.status == S.DEAD and dead.attempts == 2
    make_due()
    assert worker.run_once() == 0  # the later event waits behind the dead letter
    assert Delivery.objects.get(sequence=2).status == S.PENDING
    receiver.default = 204
    services.replay(sysadmin, dead.pk)
    assert AuditEntry.objects.filter(action="integration.delivery.replay").exists()
    assert worker.run(burst=True) == 2
    assert set(Delivery.objects.values_list("status", flat=True)) == {S.DELIVERED}


def test_bulk_replay(receiver, settings, sysadmin):
    settings.CONGSO_OUTBOX_MAX_ATTEMPTS = 1
    subscriber(receiver.url)
    for n in range(3):
        publish_many(1, aggregate=f"H21.23575-270301-000{n}")
    receiver.default = 500
    worker.run_once()
    assert Delivery.objects.filter(status=S.DEAD).count() == 3
    receiver.default = 200
    assert services.replay_all(sysadmin) == 3
    worker.run(burst=True)
    assert Delivery.objects.filter(status=S.DELIVERED).count() == 3


def test_replay_refuses_a_live_delivery(receiver, sysadmin):
    subscriber(receiver.url)
    publish_many(1)
    with pytest.raises(services.ServiceError):
        services.replay(sysadmin, Delivery.objects.get().pk)


def test_an_expired_lease_is_taken_again(receiver):
    subscriber(receiver.url)
    publish_many(2)
    lost = worker.claim(10, lease_seconds=60)  # a worker takes them, then dies before sending
    assert len(lost) == 2
    assert worker.claim(10) == []  # held
    Delivery.objects.update(leased_until=timezone.now() - timezone.timedelta(seconds=1))
    assert worker.run(burst=True) == 2
    assert [b["data"]["step"] for b in receiver.bodies()] == [0, 1]


def test_two_claims_never_share_a_delivery(receiver):
    subscriber(receiver.url)
    for n in range(10):
        publish_many(3, aggregate=f"H21.23575-270301-{n:04d}")
    first = worker.claim(4)
    second = worker.claim(100)
    assert {d.pk for d in first}.isdisjoint({d.pk for d in second})
    assert len(first) == 12 and len(second) == 18  # heads plus their followers


def test_the_test_button_sends_a_ping(receiver, sysadmin):
    sub = subscriber(receiver.url, ["dossier.result_issued"])
    attempt = services.send_test(sysadmin, sub.pk)
    assert attempt.ok and attempt.status_code == 200
    assert receiver.bodies()[0]["type"] == "integration.ping"
    assert sub.deliveries.get().status == S.DELIVERED
    receiver.default = 404
    attempt = services.send_test(sysadmin, sub.pk)
    assert not attempt.ok and "HTTP 404" in attempt.error
    failed = sub.deliveries.get(status=S.PENDING)  # retried later like any delivery
    assert failed.attempts == 1 and failed.next_attempt_at > timezone.now()


def test_subscriber_api_for_the_sysadmin(receiver, sysadmin, staff):
    from congso.directory.testing import login_verified

    client = Client()
    login_verified(client, sysadmin)
    created = client.post(
        "/api/v1/integration/subscribers",
        json.dumps(
            {"name": "Cổng dữ liệu tỉnh", "url": receiver.url, "event_types": ["dossier.status_changed"]}
        ),
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    assert len(created.json()["secret"]) >= 32
    bad = client.post(
        "/api/v1/integration/subscribers",
        json.dumps({"name": "", "url": "ftp://x", "event_types": ["khong.co"]}),
        content_type="application/json",
    )
    assert bad.status_code == 400
    assert {"name", "url", "event_types"} <= set(bad.json()["errors"])
    tested = client.post(f"/api/v1/integration/subscribers/{created.json()['id']}/test")
    assert tested.status_code == 200 and tested.json()["ok"] is True
    clerk = Client()
    login_verified(clerk, staff["clerk"])
    assert clerk.get("/api/v1/integration/health").status_code == 403


@pytest.mark.django_db
def test_a_worker_gives_the_process_its_signal_handling_back(monkeypatch):
    """``run`` stops gracefully on SIGTERM while it runs, and afterwards SIGTERM ends the process again:
    a caller that goes on (a test, a command forking workers) must not inherit a flag nobody reads."""
    import signal

    before = signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)
    seen, original = [], worker.run_once

    def look(*args, **kwargs):
        seen.append(signal.getsignal(signal.SIGTERM))
        return original(*args, **kwargs)

    monkeypatch.setattr(worker, "run_once", look)
    worker.run(burst=True, threads=1)
    assert seen and seen[0] not in before  # its own handler while it ran
    assert (signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)) == before
