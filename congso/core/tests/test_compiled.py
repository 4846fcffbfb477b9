"""CompiledQuery and compiled inserts on core's own models. The same on the calendar's rows (a nullable
foreign key, dates, choices): congso/calendar/tests/test_compiled.py."""

import datetime as dt

import pytest
from django.db.models.functions import Now
from django.utils import timezone

from congso.core.compiled import CompiledQuery, check_insertable, insert
from congso.core.models import AuditEntry


def test_unsupported_arguments_are_refused(db):
    query = CompiledQuery(lambda flag: AuditEntry.objects.filter(actor_id__isnull=flag).values_list("pk"))
    with pytest.raises(TypeError):
        query.rows(True)


# --- compiled inserts -----------------------------------------------------------------------------


def _audit_entry(n: int, **kw):
    return AuditEntry(
        shard=9,
        seq=n,
        occurred_at=timezone.now(),
        actor_repr="motcua.pleiku",
        action="dossier.receive",
        object_type="dossiers.dossier",
        object_id=str(n),
        object_repr=f"H21.23575-261202-{n:04d}",
        data={"kênh": 1, "ghi chú": 'Tiếp nhận tại quầy — "bản sao"', "tệp": [1, 2]},
        ip="203.113.131.7",
        prev_hash="0" * 64,
        hash=f"{n:064d}",
        **kw,
    )


def _stored(model, pk):
    row = model.objects.filter(pk=pk).values().get()
    row.pop("id")
    return row


def test_insert_stores_what_the_orm_stores_and_sets_the_keys(db):
    by_orm = _audit_entry(1)
    by_orm.save(force_insert=True)
    compiled = _audit_entry(2)
    compiled.occurred_at = by_orm.occurred_at
    (same,) = insert([compiled])
    assert same is compiled and compiled.pk and not compiled._state.adding and compiled._state.db == "default"
    expected = _stored(AuditEntry, by_orm.pk) | {"seq": 2, "object_id": "2", "hash": f"{2:064d}"}
    expected["object_repr"] = "H21.23575-261202-0002"
    assert _stored(AuditEntry, compiled.pk) == expected

    several = insert([_audit_entry(n) for n in range(3, 8)])
    assert [e.seq for e in AuditEntry.objects.filter(pk__in=[e.pk for e in several]).order_by("pk")] == [
        3,
        4,
        5,
        6,
        7,
    ]
    assert len({e.pk for e in several}) == 5


def test_insert_with_given_keys_and_mixed_keys_refused(db):
    insert([_audit_entry(1, pk=9001), _audit_entry(2, pk=9002)])
    assert set(AuditEntry.objects.values_list("pk", flat=True)) == {9001, 9002}
    with pytest.raises(ValueError):
        insert([_audit_entry(3, pk=9003), _audit_entry(4)])
    assert AuditEntry.objects.count() == 2


def test_an_expression_value_falls_back_to_the_orm(db):
    before = timezone.now()
    entry = _audit_entry(1)
    entry.occurred_at = Now()
    insert([entry])
    assert entry.pk and not entry._state.adding
    stored = AuditEntry.objects.get(pk=entry.pk)
    # the database's clock, evaluated by the ORM's INSERT (SQLite's keeps milliseconds only)
    assert before - dt.timedelta(seconds=1) <= stored.occurred_at <= timezone.now() + dt.timedelta(seconds=1)
    assert stored.object_repr == "H21.23575-261202-0001" and stored.seq == 1


def test_insert_refuses_a_model_that_overrides_save(db, monkeypatch):
    """A compiled insert skips save(): a model whose save() does work of its own is refused, before
    any SQL (its single-row fallback would run save(), its bulk one would not; neither is allowed)."""
    check_insertable(AuditEntry)  # plain Model.save: allowed (and inserted above)

    def save(self, *args, **kwargs):
        self.object_repr = self.object_repr.upper()
        super(AuditEntry, self).save(*args, **kwargs)

    monkeypatch.setattr(AuditEntry, "save", save, raising=False)
    for objs in ([_audit_entry(1)], [_audit_entry(2), _audit_entry(3)]):
        with pytest.raises(TypeError, match=r"core\.AuditEntry overrides save\(\)"):
            insert(objs)
    assert not AuditEntry.objects.exists()
