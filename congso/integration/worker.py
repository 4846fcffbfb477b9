"""The outbox's delivery workers (ADR 0154): ``congso integration worker``.

A worker repeats: *claim* a batch of deliveries, *send* them, *record* the outcome.

- Claim: the due, unleased, pending deliveries that are the head of their stream (no earlier delivery of
  the same subscriber and aggregate is still undelivered), read with ``FOR UPDATE SKIP LOCKED`` on
  PostgreSQL so two workers never wait for or take the same rows; then the pending deliveries that follow
  each head in its stream. All get a lease (a token and an expiry) by a compare-and-set UPDATE, which is
  also the whole guard on SQLite (no row locks there; one writer at a time). Later deliveries of a stream
  are never leased while an earlier one is undelivered, so a stream is sent in order by one worker.
- Send: streams in parallel (a small thread pool), each stream's deliveries in order, stopping at its
  first failure. No database work in the threads.
- Record, in one transaction: delivered rows, failed ones with their next attempt after an exponential
  backoff with jitter (dead after ``CONGSO_OUTBOX_MAX_ATTEMPTS``), the leases of the unsent released, and
  every attempt logged.

A worker killed at any point (kill -9) loses nothing: its leases expire after
``CONGSO_OUTBOX_LEASE_SECONDS`` and another worker takes the rows again; a delivery sent but not yet
recorded is sent again (at least once; receivers rely on the idempotency key).
"""

from __future__ import annotations

import logging
import os
import random
import signal
import socket
import threading
import uuid
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

from . import webhooks
from .models import Attempt, Delivery
from .national import adapter as national

log = logging.getLogger(__name__)
S = Delivery.Status


def _setting(name: str, default):
    return type(default)(getattr(settings, name, default))


def max_attempts() -> int:
    return _setting("CONGSO_OUTBOX_MAX_ATTEMPTS", 10)


def backoff(attempts: int) -> float:
    """Seconds before the next try after ``attempts`` failures: exponential, capped, with "equal jitter"
    (half fixed, half random) so receivers that come back are not hit by every worker at once."""
    base = _setting("CONGSO_OUTBOX_RETRY_SECONDS", 10.0)
    cap = _setting("CONGSO_OUTBOX_RETRY_MAX_SECONDS", 3600.0)
    delay = min(cap, base * 2 ** max(0, attempts - 1))
    return delay / 2 + random.uniform(0, delay / 2)  # noqa: S311 — jitter, not a secret


def _free(now) -> Q:
    return Q(leased_until__isnull=True) | Q(leased_until__lt=now)


def heads(now):
    """Pending, due, unleased deliveries with no earlier undelivered one in their stream."""
    earlier = Delivery.objects.filter(
        subscriber_id=OuterRef("subscriber_id"), stream=OuterRef("stream"), sequence__lt=OuterRef("sequence")
    ).exclude(status=S.DELIVERED)
    return (
        Delivery.objects.filter(status=S.PENDING, next_attempt_at__lte=now)
        .filter(_free(now))
        .filter(~Exists(earlier))
        .order_by("next_attempt_at", "id")
    )


def claim(limit: int = 200, *, follow: int = 50, lease_seconds: float | None = None) -> list[Delivery]:
    """Lease up to ``limit`` stream heads and up to ``follow`` following deliveries of each; returns
    them with their event and subscriber, ordered by stream then sequence."""
    lease_seconds = lease_seconds or _setting("CONGSO_OUTBOX_LEASE_SECONDS", 60.0)
    token = uuid.uuid4()
    now = timezone.now()
    until = now + timezone.timedelta(seconds=lease_seconds)
    skip_locked = connection.features.has_select_for_update_skip_locked
    with transaction.atomic():
        candidates = heads(now)
        if skip_locked:
            candidates = candidates.select_for_update(skip_locked=True, of=("self",))
        ids = list(candidates.values_list("id", "subscriber_id", "stream", "sequence")[:limit])
        if not ids:
            return []
        Delivery.objects.filter(id__in=[i[0] for i in ids], status=S.PENDING).filter(_free(now)).update(
            lease_token=token, leased_until=until
        )
        mine = set(Delivery.objects.filter(lease_token=token).values_list("id", flat=True))
        taken = {(sub, stream): seq for pk, sub, stream, seq in ids if pk in mine}
        if taken and follow:
            _lease_followers(taken, token, now, until, follow)
    return list(
        Delivery.objects.filter(lease_token=token)
        .select_related("event", "subscriber")
        .order_by("subscriber_id", "stream", "sequence")
    )


def _lease_followers(taken: dict, token, now, until, follow: int) -> None:
    """Lease, after each taken head, the pending due deliveries that come next in its stream, up to the
    first one that is not (dead, not yet due or leased): those wait for a later round."""
    rows = (
        Delivery.objects.filter(stream__in={stream for _, stream in taken})
        .exclude(status=S.DELIVERED)
        .exclude(lease_token=token)
        .order_by("subscriber_id", "stream", "sequence")
        .values_list("id", "subscriber_id", "stream", "sequence", "status", "next_attempt_at", "leased_until")
    )
    chosen, stopped, counts = [], set(), {}
    for pk, sub, stream, seq, status, due, leased in rows:
        key = (sub, stream)
        if key not in taken or key in stopped or seq < taken[key]:
            continue
        if (
            status != S.PENDING
            or due > now
            or (leased is not None and leased >= now)
            or counts.get(key, 0) >= follow
        ):
            stopped.add(key)
            continue
        counts[key] = counts.get(key, 0) + 1
        chosen.append(pk)
    if chosen:
        Delivery.objects.filter(id__in=chosen, status=S.PENDING).filter(_free(now)).update(
            lease_token=token, leased_until=until
        )


def sender(subscriber):
    """The function that sends to this subscriber: the national portal's adapter, or a webhook."""
    return national.send if subscriber.kind == subscriber.Kind.NATIONAL else webhooks.send


@dataclass
class Sent:
    delivery: Delivery
    outcome: webhooks.Outcome
    at: object


def _send_stream(deliveries: list[Delivery]) -> tuple[list[Sent], list[Delivery]]:
    """Send one stream's leased deliveries in order; stop at the first failure. (sent, not attempted)"""
    sent = []
    for i, d in enumerate(deliveries):
        at = timezone.now()
        outcome = sender(d.subscriber)(d.subscriber, d.event, d.uuid)
        sent.append(Sent(d, outcome, at))
        if not outcome.ok:
            return sent, deliveries[i + 1 :]
    return sent, []


def record(sent: list[Sent], unsent: list[Delivery], worker: str) -> None:
    """Write the outcomes of one round in one transaction (only rows this worker still holds)."""
    now = timezone.now()
    limit = max_attempts()
    with transaction.atomic():
        ok = [s.delivery.pk for s in sent if s.outcome.ok]
        tokens = {s.delivery.lease_token for s in sent} | {d.lease_token for d in unsent}
        held = Q(lease_token__in=tokens - {None})
        if None in tokens:  # sent without a lease (the test button): nobody else holds it
            held |= Q(lease_token__isnull=True)
        if ok:
            Delivery.objects.filter(held, id__in=ok).update(
                status=S.DELIVERED,
                delivered_at=now,
                attempts=F("attempts") + 1,
                leased_until=None,
                lease_token=None,
                last_error="",
            )
        for s in sent:
            if s.outcome.ok:
                continue
            d = s.delivery
            attempts = d.attempts + 1
            changes = {
                "attempts": attempts,
                "leased_until": None,
                "lease_token": None,
                "last_error": s.outcome.error,
            }
            if attempts >= limit:
                changes |= {"status": S.DEAD, "dead_at": now}
            else:
                changes["next_attempt_at"] = now + timezone.timedelta(seconds=backoff(attempts))
            Delivery.objects.filter(pk=d.pk).filter(
                Q(lease_token=d.lease_token) if d.lease_token else Q(lease_token__isnull=True)
            ).update(**changes)
        if unsent:
            Delivery.objects.filter(held, id__in=[d.pk for d in unsent]).update(
                leased_until=None, lease_token=None
            )
        Attempt.objects.bulk_create(
            [
                Attempt(
                    delivery_id=s.delivery.pk,
                    at=s.at,
                    status_code=s.outcome.status_code,
                    ok=s.outcome.ok,
                    error=s.outcome.error,
                    duration_ms=s.outcome.duration_ms,
                    worker=worker[:80],
                )
                for s in sent
            ]
        )


def run_once(worker: str = "", *, limit: int = 200, threads: int = 4, pool=None) -> int:
    """One round: claim, send, record. Returns how many deliveries were attempted."""
    worker = worker or default_name()
    leased = claim(limit)
    if not leased:
        return 0
    streams: OrderedDict = OrderedDict()
    for d in leased:
        streams.setdefault((d.subscriber_id, d.stream), []).append(d)
    sent, unsent = [], []
    if pool is not None and threads > 1 and len(streams) > 1:
        results = list(pool.map(_send_stream, streams.values()))
    else:
        results = [_send_stream(ds) for ds in streams.values()]
    for s, u in results:
        sent += s
        unsent += u
    record(sent, unsent, worker)
    return len(sent)


def default_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def run(
    *, worker: str = "", limit: int = 200, threads: int = 4, idle: float = 0.5, burst: bool = False, stop=None
) -> int:
    """Deliver until stopped (SIGTERM/SIGINT finish the round) or, with ``burst``, until nothing is due."""
    worker = worker or default_name()
    stop = stop or threading.Event()
    previous = {}
    if threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGTERM, signal.SIGINT):
            previous[sig] = signal.signal(sig, lambda *_: stop.set())
    try:
        return _deliver_until(stop, worker=worker, limit=limit, threads=threads, idle=idle, burst=burst)
    finally:
        # the process's own handling comes back: a caller that goes on (a test, a command that forks
        # workers afterwards) is stopped by SIGTERM again rather than setting a flag nobody reads
        for sig, handler in previous.items():
            if handler is not None:  # None: a handler not set from Python, which cannot be set back
                signal.signal(sig, handler)


def _deliver_until(stop, *, worker: str, limit: int, threads: int, idle: float, burst: bool) -> int:
    total = 0
    with ThreadPoolExecutor(max_workers=max(1, threads), thread_name_prefix="outbox") as pool:
        while not stop.is_set():
            if not connection.in_atomic_block:  # (a test's transaction: keep its connection)
                close_old_connections()
            try:
                n = run_once(worker, limit=limit, threads=threads, pool=pool)
            except Exception:  # a database hiccup must not end the worker; the leases expire
                log.exception("outbox round failed")
                n = 0
                stop.wait(idle)
            total += n
            if n == 0:
                if burst:
                    break
                stop.wait(idle)
    return total
