"""Under real concurrency (PostgreSQL): numbers never collide, two clerks never get the same ticket."""

import threading

import pytest
from django.conf import settings
from django.db import connection

from .. import services as svc
from ..models import Counter, Ticket

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(settings.DB_VENDOR != "postgresql", reason="row locks need PostgreSQL"),
]


def _run_together(n, work):
    barrier = threading.Barrier(n)
    results, errors = [], []
    lock = threading.Lock()

    def runner(i):
        try:
            barrier.wait()
            value = work(i)
            with lock:
                results.append(value)
        except Exception as exc:  # noqa: BLE001 — reported by the assertion below
            with lock:
                errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=runner, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


def test_thirty_concurrent_takes_get_thirty_consecutive_numbers(services):
    service_id = services["A"].pk
    results, errors = _run_together(30, lambda i: svc.take_ticket(service_id).number)
    assert errors == []
    assert sorted(results) == list(range(1, 31))
    codes = sorted(Ticket.objects.filter(service_id=service_id).values_list("code", flat=True))
    assert codes == [f"A{n:03d}" for n in range(1, 31)]


def test_concurrent_calls_never_share_a_ticket(services, centre, clerk, second_clerk):
    counters = []
    for number in range(1, 9):
        counter = Counter.objects.create(centre=centre, number=number)
        counter.services.set([services["A"]])
        counters.append(counter)
    for _ in range(8):
        svc.take_ticket(services["A"].pk)
    clerks = [clerk, second_clerk]

    def call(i):
        return svc.call_next(clerks[i % 2], counters[i].pk).pk

    results, errors = _run_together(8, call)
    assert errors == []
    assert len(results) == 8 and len(set(results)) == 8
    assert Ticket.objects.filter(state=Ticket.State.CALLED).count() == 8
    assert {t.counter_id for t in Ticket.objects.all()} == {c.pk for c in counters}


def test_more_clerks_than_tickets(services, centre, clerk, second_clerk):
    counters = []
    for number in range(1, 7):
        counter = Counter.objects.create(centre=centre, number=number)
        counter.services.set([services["A"]])
        counters.append(counter)
    for _ in range(3):
        svc.take_ticket(services["A"].pk)

    def call(i):
        try:
            return svc.call_next([clerk, second_clerk][i % 2], counters[i].pk).pk
        except svc.QueueError as exc:
            return exc.code

    results, errors = _run_together(6, call)
    assert errors == []
    called = [r for r in results if isinstance(r, int)]
    assert len(called) == 3 and len(set(called)) == 3
    assert results.count("queue_empty") == 3
