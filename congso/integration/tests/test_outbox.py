"""Events are written in the transaction of their cause, numbered per aggregate, fanned out to the
subscribers that want them — and vanish with a rolled-back change."""

import pytest
from django.db import transaction

from congso.catalog import services as catalog
from congso.dossiers import services as dossiers
from congso.integration import outbox
from congso.integration.models import Delivery, OutboxEvent
from congso.integration.publishers import national_status

from .helpers import receive, subscriber

pytestmark = pytest.mark.django_db


def test_dossier_changes_become_numbered_events(staff, agencies, procedure_version, applicant, components):
    all_events = subscriber("https://lgsp.gialai.gov.vn/hooks")
    only_results = subscriber(
        "https://kho.gialai.gov.vn/hooks", ["dossier.result_issued"], name="Kho dữ liệu"
    )
    d = receive(staff, agencies, procedure_version, applicant, components)
    dossiers.accept(d.pk, actor=staff["clerk"])

    events = list(
        OutboxEvent.objects.filter(aggregate_type="dossier", aggregate_id=d.code).order_by("sequence")
    )
    assert [e.sequence for e in events] == list(range(1, len(events) + 1))
    assert events[0].event_type == "dossier.received"
    assert events[0].payload["dossier"] == d.code
    assert events[0].payload["receiving_agency"] == agencies["ward"].code
    changed = [e for e in events if e.event_type == "dossier.status_changed"]
    assert changed and changed[-1].payload["to_status"] == 2 and changed[-1].payload["national_status"] == 2
    assert len({e.idempotency_key for e in events}) == len(events)
    # fan-out: every event to the subscriber of everything, none to the results-only one
    assert Delivery.objects.filter(subscriber=all_events).count() == len(events)
    assert not Delivery.objects.filter(subscriber=only_results).exists()
    assert set(Delivery.objects.values_list("stream", flat=True)) == {f"dossier:{d.code}"}


def test_a_rolled_back_change_leaves_no_event(staff, agencies, procedure_version, applicant, components):
    subscriber("https://lgsp.gialai.gov.vn/hooks")
    d = receive(staff, agencies, procedure_version, applicant, components)
    before = OutboxEvent.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        dossiers.accept(d.pk, actor=staff["clerk"])
        assert OutboxEvent.objects.count() > before  # written inside the change's transaction
        raise RuntimeError("the caller's transaction fails after the change")
    assert OutboxEvent.objects.count() == before
    assert Delivery.objects.count() == before


def test_not_accepted_is_11_for_the_national_portal():
    assert national_status(3) == 11
    assert national_status(4) == 4
    assert national_status(None) is None


def test_inactive_subscribers_get_nothing(db):
    subscriber("https://lgsp.gialai.gov.vn/hooks", active=False)
    outbox.publish("procedure.changed", "procedure", "1.001193", {"procedure": "1.001193"})
    assert not Delivery.objects.exists()


def test_procedure_change_is_published(sysadmin, procedure_version):
    subscriber("https://lgsp.gialai.gov.vn/hooks", ["procedure.changed"])
    catalog.set_online_level(sysadmin, procedure_version.procedure, "full")
    catalog.withdraw_procedure(sysadmin, procedure_version.procedure, "Bãi bỏ theo quyết định của UBND tỉnh")
    events = list(OutboxEvent.objects.filter(aggregate_type="procedure").order_by("sequence"))
    assert [(e.sequence, e.payload["change"]) for e in events] == [(1, "online_level"), (2, "withdraw")]
    assert events[1].payload["is_active"] is False
    assert Delivery.objects.count() == 2


def test_sequences_are_per_aggregate(db):
    a1 = outbox.publish("procedure.changed", "procedure", "A", {})
    b1 = outbox.publish("procedure.changed", "procedure", "B", {})
    a2 = outbox.publish("procedure.changed", "procedure", "A", {})
    assert (a1.sequence, b1.sequence, a2.sequence) == (1, 1, 2)
