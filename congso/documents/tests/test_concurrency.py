"""Under real concurrency (PostgreSQL): 50 concurrent releases get 50 consecutive numbers."""

import threading

import pytest
from django.conf import settings
from django.db import connection

from congso.documents import services
from congso.documents.models import Document, NumberEntry, Register
from congso.documents.testing import build_world

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(settings.DB_VENDOR != "postgresql", reason="row locks need PostgreSQL"),
]

N = 50


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


def test_fifty_concurrent_issues_get_fifty_consecutive_numbers():
    """Văn thư numbers 50 signed documents at once (secret ones: numbering without PDF work, so the
    test measures the series lock, not the signing)."""
    w = build_world()
    clerical, officer = w.users["clerical"], w.users["officer"]
    ids = []
    for i in range(N):
        doc = services.create_draft(
            actor=officer,
            agency=w.agencies["justice"],
            metadata={
                "doc_type": "Công văn",
                "subject": f"Công văn số thứ tự {i}",
                "secrecy": "mat",
                "drafting_unit": "HCTP",
            },
        )
        ids.append(doc.pk)
    Document.objects.filter(pk__in=ids).update(status=Document.Status.SIGNED)
    results, errors = _run_together(N, lambda i: services.issue(ids[i], actor=clerical).symbol)
    assert errors == []
    assert sorted(results) == sorted(f"{n:02d}/STP-HCTP" for n in range(1, N + 1))
    secret = w.registers[(Register.Direction.OUTGOING, True)]
    numbers = sorted(NumberEntry.objects.filter(register=secret).values_list("number", flat=True))
    assert numbers == list(range(1, N + 1))


def test_fifty_concurrent_takes_in_one_register():
    w = build_world()
    register = w.registers[(Register.Direction.OUTGOING, False)]
    results, errors = _run_together(
        N, lambda i: services.take_number(register.pk, actor=w.users["clerical"]).number
    )
    assert errors == []
    assert sorted(results) == list(range(1, N + 1))
