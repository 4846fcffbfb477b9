"""``dossiers.hooks.dossier_changed``: every timeline entry, from receipt on, reaches its subscribers in the
use case's transaction (the scorecard's facts and the integration outbox rely on it)."""

import pytest
import time_machine
from django.db import transaction

from congso.dossiers import hooks, services
from congso.dossiers.models import Channel, Dossier, Status
from congso.dossiers.testing import advance

from .conftest import vn

pytestmark = pytest.mark.django_db


@pytest.fixture
def seen():
    found = []

    def listen(entries):
        # Each entry is saved, and its dossier row can be read in the same transaction.
        found.extend((e.dossier.code, e.action, e.to_status, bool(e.pk)) for e in entries)

    hooks.dossier_changed.subscribe(listen)
    yield found
    hooks.dossier_changed.unsubscribe(listen)


def _receive(staff, agencies, procedure_version, applicant, components):
    return services.receive(
        actor=staff["clerk"],
        agency=agencies["ward"],
        procedure_version=procedure_version,
        channel=Channel.IN_PERSON,
        applicant=applicant,
        uploads=components,
        accept_now=True,
    )


def test_receipt_and_every_later_change_are_published(
    seen, staff, agencies, procedure_version, applicant, components
):
    with time_machine.travel(vn(2027, 2, 3, 9, 0), tick=False):
        dossier = _receive(staff, agencies, procedure_version, applicant, components)
        assert [(code, action) for code, action, *_ in seen] == [
            (dossier.code, "receive"),
            (dossier.code, "accept"),
        ]
        assert seen[-1][2] == Status.ACCEPTED and all(saved for *_, saved in seen)
        advance(dossier.pk, actor=staff["officer"], note="Hồ sơ đủ điều kiện")
    assert len(seen) == 3 and seen[-1][:2] == (dossier.code, "forward")


def test_a_subscriber_that_fails_undoes_the_change(staff, agencies, procedure_version, applicant, components):
    def refuse(entries):
        raise RuntimeError("subscriber failed")

    hooks.dossier_changed.subscribe(refuse)
    try:
        with pytest.raises(RuntimeError), transaction.atomic():
            _receive(staff, agencies, procedure_version, applicant, components)
    finally:
        hooks.dossier_changed.unsubscribe(refuse)
    assert not Dossier.objects.exists()
