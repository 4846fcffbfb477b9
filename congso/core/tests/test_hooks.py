"""Extension points between layers (ADR 0090): events, providers, registries and their system check."""

import pytest
from django.db import transaction

from congso.core import audit, checks, hooks
from congso.core.hooks import Event, HookNotProvided, Provider, Registry
from congso.core.models import AuditEntry


@pytest.fixture
def scratch():
    created = []

    def make(cls, name, doc="Thử nghiệm."):
        hook = cls(name, doc)
        created.append(name)
        return hook

    yield make
    for name in created:
        hooks._ALL.pop(name, None)


def test_event_calls_every_subscriber_in_order(scratch):
    event = scratch(Event, "test.happened")
    seen = []

    def first(**kw):
        seen.append(("first", kw))

    def second(**kw):
        seen.append(("second", kw))

    event.subscribe(first)
    event.subscribe(second)
    event.subscribe(first)  # ready() may run twice: no double call
    event.fire(code="H12.01-261206-0001")
    assert seen == [("first", {"code": "H12.01-261206-0001"}), ("second", {"code": "H12.01-261206-0001"})]


def test_event_without_subscribers_is_a_no_op(scratch):
    scratch(Event, "test.quiet").fire(x=1)


@pytest.mark.django_db(transaction=True)
def test_a_failing_subscriber_rolls_back_the_change_that_fired_it(scratch):
    event = scratch(Event, "test.fails")

    def boom(**kw):
        raise RuntimeError("subscriber failed")

    event.subscribe(boom)
    before = AuditEntry.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        audit.record("test.changed", object_type="test", object_id="1", data={"x": 1})
        event.fire()
    assert AuditEntry.objects.count() == before


def test_a_duplicate_name_is_refused(scratch):
    scratch(Event, "test.twice")
    with pytest.raises(ValueError):
        Event("test.twice", "again")


def test_provider_is_loud_when_missing_and_refuses_a_second_implementation(scratch):
    provider = scratch(Provider, "test.url")
    with pytest.raises(HookNotProvided, match="test.url"):
        provider("H12")

    def url(code):
        return f"/ho-so/{code}/"

    def other(code):
        return "/elsewhere/"

    provider.provide(url)
    provider.provide(url)  # the same implementation again is fine
    assert provider("H12") == "/ho-so/H12/"
    with pytest.raises(ValueError, match="already provided"):
        provider.provide(other)


def test_missing_provider_fails_the_system_check(scratch):
    provider = scratch(Provider, "test.needed")
    errors = [e for e in checks.check_providers() if "test.needed" in e.msg]
    assert [e.id for e in errors] == ["congso.E010"]
    provider.provide(lambda: None)
    assert not [e for e in checks.check_providers() if "test.needed" in e.msg]


def test_installed_apps_provide_every_provider():
    assert checks.check_providers() == []


def test_registry_keeps_order_and_refuses_another_item_under_a_key(scratch):
    registry = scratch(Registry, "test.tiles")
    registry.register("ho_so", {"label": "Hồ sơ"})
    registry.register("phan_anh", {"label": "Phản ánh"})
    registry.register("ho_so", {"label": "Hồ sơ"})  # equal: no-op
    assert [k for k, _ in registry.items()] == ["ho_so", "phan_anh"]
    assert len(registry) == 2 and "ho_so" in registry
    with pytest.raises(ValueError, match="already registered"):
        registry.register("ho_so", {"label": "Khác"})
