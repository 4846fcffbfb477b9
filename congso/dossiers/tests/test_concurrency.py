"""Races on PostgreSQL: dossier codes never collide, and two officials cannot both act at once."""

import threading

import pytest
from django.db import connection

from congso.core.errors import ServiceError
from congso.dossiers import services
from congso.dossiers.models import Channel, Dossier, Status
from congso.dossiers.testing import advance

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _require_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("row-lock races are tested on PostgreSQL")


def _run_in_threads(n, target):
    barrier = threading.Barrier(n)
    results, errors = [], []

    def worker(i):
        try:
            barrier.wait()
            results.append(target(i))
        except Exception as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results, errors


def test_fifty_concurrent_receipts_get_fifty_consecutive_codes(staff, agencies, procedure_version, applicant):
    _require_postgres()

    def receive(i):
        return services.receive(
            actor=staff["clerk"],
            agency=agencies["ward"],
            procedure_version=procedure_version,
            channel=Channel.IN_PERSON,
            applicant=applicant,
            accept_now=True,
        ).code

    codes, errors = _run_in_threads(50, receive)
    assert not errors
    sequences = sorted(int(code.rsplit("-", 1)[1]) for code in codes)
    assert sequences == list(range(1, 51))
    assert Dossier.objects.count() == 50


def test_two_officials_acting_at_once_cannot_both_succeed(staff, agencies, procedure_version, applicant):
    _require_postgres()
    d = services.receive(
        actor=staff["clerk"],
        agency=agencies["ward"],
        procedure_version=procedure_version,
        channel=Channel.IN_PERSON,
        applicant=applicant,
        accept_now=True,
    )
    version = d.version

    def act(i):
        if i % 2:
            return advance(d.pk, actor=staff["officer"], expected_version=version).status
        return services.request_supplement(
            d.pk, actor=staff["officer"], reason="Thiếu giấy tờ", expected_version=version
        ).status

    results, errors = _run_in_threads(6, act)
    assert len(results) == 1 and len(errors) == 5
    assert all(isinstance(e, ServiceError) for e in errors)
    d.refresh_from_db()
    assert d.version == version + 1 and d.status in (Status.PROCESSING, Status.SUPPLEMENT)
    assert d.timeline.count() == 3  # receive, accept, and exactly one action
