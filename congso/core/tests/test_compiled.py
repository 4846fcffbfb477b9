"""CompiledQuery: the ORM's SQL compiled once, run again with new values — same rows as the ORM."""

import datetime as dt

import pytest
from django.db.models import Q

from congso.core.compiled import CompiledQuery, fields_of
from congso.core.models import CalendarException
from congso.directory.models import AdministrativeUnit

Kind = CalendarException.Kind


@pytest.fixture
def provinces(db):
    gia_lai = AdministrativeUnit.objects.create(code="52", name="Tỉnh Gia Lai", kind="province", level=1)
    dak_lak = AdministrativeUnit.objects.create(code="66", name="Tỉnh Đắk Lắk", kind="province", level=1)
    rows = [
        (None, dt.date(2031, 2, 4), Kind.DAY_OFF, "Nghỉ Tết Nguyên đán Tân Hợi"),
        (None, dt.date(2031, 2, 20), Kind.WORKING_DAY, "Làm bù ngày 8/2/2031"),
        (gia_lai, dt.date(2031, 3, 10), Kind.DAY_OFF, "Lễ hội văn hóa cồng chiêng Gia Lai"),
        (dak_lak, dt.date(2031, 3, 10), Kind.DAY_OFF, "Lễ hội cà phê Buôn Ma Thuột"),
        (dak_lak, dt.date(2031, 3, 13), Kind.WORKING_DAY, "Làm bù ngày 10/3/2031"),
    ]
    for unit, day, kind, reason in rows:
        CalendarException.objects.create(unit=unit, date=day, kind=kind, reason=reason)
    return gia_lai, dak_lak


def build(unit_id, since, until, kinds):
    return (
        CalendarException.objects.filter(Q(unit_id=unit_id) | Q(unit__isnull=True))
        .filter(date__gte=since, date__lte=until, kind__in=kinds)
        .order_by("date", "pk")
        .values_list("date", "kind", "reason")
    )


def test_rows_equal_the_orm_for_every_shape_and_value(provinces):
    gia_lai, dak_lak = provinces
    query = CompiledQuery(build, model=CalendarException)
    cases = [
        (gia_lai.pk, dt.date(2031, 1, 1), dt.date(2031, 12, 31), [Kind.DAY_OFF]),
        (dak_lak.pk, dt.date(2031, 1, 1), dt.date(2031, 12, 31), [Kind.DAY_OFF, Kind.WORKING_DAY]),
        (dak_lak.pk, dt.date(2031, 3, 1), dt.date(2031, 3, 31), [Kind.WORKING_DAY]),
        (gia_lai.pk, dt.date(2031, 2, 5), dt.date(2031, 2, 19), [Kind.DAY_OFF]),  # nothing
        (gia_lai.pk, dt.date(2031, 1, 1), dt.date(2031, 12, 31), []),  # an empty list: no rows
    ]
    for args in cases * 2:  # the second round runs the SQL compiled in the first
        assert query.rows(*args) == list(build(*args)), args
    # one plan per shape (the length of the list argument), not per call
    assert len(query._plans) == 3


def test_dates_come_back_converted_and_a_value_used_twice_is_bound_twice(provinces):
    gia_lai, _dak_lak = provinces
    query = CompiledQuery(
        lambda day: (
            CalendarException.objects.filter(Q(date=day) | Q(date__gt=day, unit__isnull=True))
            .order_by("date")
            .values_list("date", "unit_id")
        ),
        model=CalendarException,
    )
    rows = query.rows(dt.date(2031, 2, 20))
    assert rows == [(dt.date(2031, 2, 20), None)]
    assert isinstance(rows[0][0], dt.date)
    assert query.rows(dt.date(2031, 3, 10)) == [
        (dt.date(2031, 3, 10), gia_lai.pk),
        (dt.date(2031, 3, 10), _dak_lak.pk),
    ]


def test_instances_are_model_objects(provinces):
    gia_lai, _dak_lak = provinces
    query = CompiledQuery(
        lambda unit_id: CalendarException.objects.filter(unit_id=unit_id).values_list(
            *fields_of(CalendarException)
        ),
        model=CalendarException,
    )
    (found,) = query.instances(gia_lai.pk)
    assert found == CalendarException.objects.get(unit=gia_lai)
    assert found.reason == "Lễ hội văn hóa cồng chiêng Gia Lai" and found.date == dt.date(2031, 3, 10)
    assert found.unit == gia_lai  # a real instance: relations load as usual
    assert query.instances(-1) == []


def test_unsupported_arguments_are_refused(db):
    query = CompiledQuery(lambda flag: CalendarException.objects.filter(unit__isnull=flag).values_list("pk"))
    with pytest.raises(TypeError):
        query.rows(True)


def test_from_row_builds_the_instance_and_its_related_object(provinces):
    from congso.core.compiled import from_row

    gia_lai, _dak_lak = provinces
    query = CompiledQuery(
        lambda since: (
            CalendarException.objects.filter(date__gte=since)
            .order_by("date", "unit_id")
            .values_list(*fields_of(CalendarException), *fields_of(AdministrativeUnit, "unit__"))
        ),
        model=CalendarException,
    )
    rows = query.rows(dt.date(2031, 2, 20))
    built = [from_row(CalendarException, row, [("unit", AdministrativeUnit)]) for row in rows]
    assert [(e.date, e.unit_id) for e in built] == list(
        CalendarException.objects.filter(date__gte=dt.date(2031, 2, 20))
        .order_by("date", "unit_id")
        .values_list("date", "unit_id")
    )
    nationwide = built[0]
    assert nationwide.unit_id is None and nationwide.unit is None
    with_unit = next(e for e in built if e.unit_id == gia_lai.pk)
    assert with_unit.unit.name == "Tỉnh Gia Lai"  # loaded from the row: no query
    assert "unit" in with_unit._state.fields_cache


# --- compiled inserts -----------------------------------------------------------------------------


def _audit_entry(n: int, **kw):
    from django.utils import timezone

    from congso.core.models import AuditEntry

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
    from congso.core.compiled import insert
    from congso.core.models import AuditEntry

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


def test_insert_runs_pre_save_and_takes_keys_of_objects_saved_after_assignment(db):
    from congso.core.compiled import insert
    from congso.notifications.models import Notification

    province = AdministrativeUnit(code="52", name="Tỉnh Gia Lai", kind="province", level=1)
    day_off = CalendarException(unit=province, date=dt.date(2031, 2, 4), kind=Kind.DAY_OFF, reason="Tết")
    province.save()  # after the assignment: the row takes the key now set on the object, as save() does
    insert([day_off])
    assert CalendarException.objects.get(pk=day_off.pk).unit_id == province.pk

    notice = Notification(channel="sms", address="0905123456", event="received", body="Hồ sơ đã tiếp nhận")
    insert([notice])
    stored = Notification.objects.get(pk=notice.pk)
    assert stored.created_at is not None and stored.created_at == notice.created_at  # auto_now_add
    assert stored.status == "queued" and stored.attempts == 0  # field defaults


def test_insert_with_given_keys_and_mixed_keys_refused(db):
    from congso.core.compiled import insert
    from congso.core.models import AuditEntry

    insert([_audit_entry(1, pk=9001), _audit_entry(2, pk=9002)])
    assert set(AuditEntry.objects.values_list("pk", flat=True)) == {9001, 9002}
    with pytest.raises(ValueError):
        insert([_audit_entry(3, pk=9003), _audit_entry(4)])
    assert AuditEntry.objects.count() == 2


def test_an_expression_value_falls_back_to_the_orm(db):
    from django.db.models.functions import Now
    from django.utils import timezone

    from congso.core.compiled import insert
    from congso.core.models import AuditEntry

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
    from congso.core.compiled import check_insertable, insert
    from congso.core.models import AuditEntry

    check_insertable(AuditEntry)  # plain Model.save: allowed (and inserted above)

    def save(self, *args, **kwargs):
        self.object_repr = self.object_repr.upper()
        super(AuditEntry, self).save(*args, **kwargs)

    monkeypatch.setattr(AuditEntry, "save", save, raising=False)
    for objs in ([_audit_entry(1)], [_audit_entry(2), _audit_entry(3)]):
        with pytest.raises(TypeError, match=r"core\.AuditEntry overrides save\(\)"):
            insert(objs)
    assert not AuditEntry.objects.exists()
