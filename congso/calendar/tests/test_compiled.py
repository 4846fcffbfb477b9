"""CompiledQuery (congso/core/compiled.py) on the calendar's rows: a nullable foreign key to a unit, dates,
choices — the ORM's SQL compiled once, run again with new values, same rows as the ORM. (Moved from
core's tests, which use core's own models only.)"""

import datetime as dt

import pytest
from django.db.models import Q

from congso.calendar.models import CalendarException
from congso.core.compiled import CompiledQuery, fields_of, from_row, insert
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


def test_insert_takes_keys_of_objects_saved_after_assignment(db):
    province = AdministrativeUnit(code="52", name="Tỉnh Gia Lai", kind="province", level=1)
    day_off = CalendarException(unit=province, date=dt.date(2031, 2, 4), kind=Kind.DAY_OFF, reason="Tết")
    province.save()  # after the assignment: the row takes the key now set on the object, as save() does
    insert([day_off])
    assert CalendarException.objects.get(pk=day_off.pk).unit_id == province.pk
