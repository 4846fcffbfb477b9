"""Moving the calendar out of core keeps every row: migrate back to before the move, write rows with
the historical models, migrate forward, and read them through the calendar app's models."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from congso.calendar.models import CalendarException, CalendarRevision, OfficeHours
from congso.directory.models import AdministrativeUnit

BEFORE_MOVE = [("core", "0003_seed_calendar"), ("calendar", None)]
OLD_MODELS = [("core", "0003_seed_calendar"), ("directory", "0002_administrativeunit_replaced_by")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()  # see what is applied now
    return executor.loader


def _latest():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)
def test_rows_survive_the_move_to_the_calendar_app():
    latest = _latest()
    try:
        old = _migrate(BEFORE_MOVE).project_state(OLD_MODELS).apps
        assert "core_calendarexception" in connection.introspection.table_names()
        Unit = old.get_model("directory", "AdministrativeUnit")
        province = Unit.objects.create(
            code="52",
            name="Tỉnh Gia Lai",
            name_folded="tinh gia lai",
            kind="province",
            level=1,
            valid_from=dt.date(2025, 7, 1),
        )
        old.get_model("core", "CalendarException").objects.create(
            unit=province, date=dt.date(2031, 3, 7), kind="day_off", reason="Nghỉ lễ hội của tỉnh"
        )
        old.get_model("core", "OfficeHours").objects.create(
            unit=province,
            morning_start=dt.time(7, 0),
            morning_end=dt.time(11, 0),
            afternoon_start=dt.time(13, 0),
            afternoon_end=dt.time(16, 30),
        )
        old.get_model("core", "CalendarRevision").objects.update_or_create(pk=1, defaults={"revision": 41})

        _migrate(latest)

        tables = connection.introspection.table_names()
        assert "calendar_calendarexception" in tables and "core_calendarexception" not in tables
        province = AdministrativeUnit.objects.get(code="52")
        row = CalendarException.objects.get(unit=province, date=dt.date(2031, 3, 7))
        assert (row.kind, row.reason, row.unit.name) == ("day_off", "Nghỉ lễ hội của tỉnh", "Tỉnh Gia Lai")
        assert province.calendar_exceptions.get() == row
        hours = OfficeHours.objects.get(unit=province)
        assert (hours.morning_start, hours.afternoon_end) == (dt.time(7, 0), dt.time(16, 30))
        assert province.office_hours == hours
        assert CalendarRevision.objects.get(pk=1).revision == 41
    finally:
        _migrate(latest)
