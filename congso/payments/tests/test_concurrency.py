"""Races on PostgreSQL: the same notification delivered many times at once is applied exactly once."""

import pytest

from congso.dossiers.models import Dossier, Status
from congso.dossiers.tests.test_concurrency import _require_postgres, _run_in_threads
from congso.payments.models import Payment
from congso.payments.providers import IpnResult

from .test_services import ipn, start

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_concurrent_duplicate_notifications_pay_once(owed, citizen):
    _require_postgres()
    payment = start(owed, citizen).payment
    results, errors = _run_in_threads(8, lambda i: ipn(payment).result)
    assert not errors
    assert sorted(r.value for r in results) == sorted(
        [IpnResult.OK.value] + [IpnResult.ALREADY_CONFIRMED.value] * 7
    )
    d = Dossier.objects.get(pk=owed.pk)
    assert d.status == Status.ACCEPTED
    assert d.timeline.filter(action="record_payment").count() == 1
    assert Payment.objects.get().status == "paid"
