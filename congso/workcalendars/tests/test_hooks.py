"""The interface other apps build on: ``hooks.calendar_sources`` and ``selectors.busy``."""

import datetime as dt

import pytest
from django.utils import timezone

from congso.workcalendars import selectors, services
from congso.workcalendars.hooks import calendar_sources
from congso.workcalendars.testing import entry_data, next_monday
from congso.workcalendars.types import Entry


@pytest.fixture
def meeting_source(world):
    leader = world.users["province_leader"]
    monday = next_monday()
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(monday, dt.time(9, 0), tzinfo=tz)
    calls = []

    def source(user_ids, unit_ids, start_, end_):
        calls.append((set(user_ids), set(unit_ids)))
        return [
            Entry(
                leader.pk,
                None,
                start,
                start + dt.timedelta(hours=2),
                "Phiên họp thường kỳ",
                "Phòng họp A",
                "/hop/1/",
                "meetings",
                public=True,
                uid="meeting-1",
            ),
            Entry(
                None,
                world.agencies["construction"].pk,
                start,
                start + dt.timedelta(hours=1),
                "Họp sở",
                "",
                "",
                "meetings",
            ),
        ]

    calendar_sources.register("test_meetings", source)
    yield source, calls, start
    calendar_sources.unregister("test_meetings")


def test_busy_merges_own_entries_and_sources(world, meeting_source):
    _source, calls, start = meeting_source
    leader = world.users["province_leader"]
    version = services.open_week(
        world.calendars["leader"].pk, next_monday(), by=world.users["province_clerical"]
    )
    services.add_entry(
        version.pk, entry_data(next_monday(), "08:00", "10:00"), by=world.users["province_clerical"]
    )
    found = selectors.busy({leader.pk}, start - dt.timedelta(hours=3), start + dt.timedelta(hours=3))
    assert [(e.source, e.title) for e in found] == [
        ("workcalendars", "Họp giao ban Ủy ban nhân dân tỉnh"),
        ("meetings", "Phiên họp thường kỳ"),
    ]
    assert all(e.user_id == leader.pk for e in found)
    assert calls and leader.pk in calls[0][0]
    # nothing outside the interval, nobody else's entries
    assert selectors.busy({leader.pk}, start + dt.timedelta(hours=3), start + dt.timedelta(hours=4)) == []
    assert selectors.busy({world.users["deputy_leader"].pk}, start, start + dt.timedelta(hours=1)) == []


def test_attending_leader_is_busy_and_conflict_is_flagged(world, meeting_source):
    deputy = world.users["deputy_leader"]
    clerical = world.users["province_clerical"]
    version = services.open_week(world.calendars["unit"].pk, next_monday(), by=clerical)
    row = services.add_entry(
        version.pk,
        entry_data(next_monday(), "10:00", "11:00", attendees=[deputy.pk, world.users["province_leader"].pk]),
        by=clerical,
    )
    assert [e.user_id for e in selectors.busy({deputy.pk}, *selectors.week_bounds(next_monday()))] == [
        deputy.pk
    ]
    found = selectors.conflicts(version)
    # lanhdao.tinh attends, and the meeting 09:00–11:00 overlaps: a warning, the entry stays
    assert [c.title for c in found[row.pk]] == ["Phiên họp thường kỳ"]


def test_public_week_keeps_only_public_source_entries(world, meeting_source):
    data = selectors.public_week(world.calendars["leader"], next_monday())
    assert [i["content"] for i in data["items"]] == ["Phiên họp thường kỳ"]
    assert data["items"][0]["url"] == ""  # no staff link on the public page
    unit = selectors.public_week(world.calendars["unit"], next_monday())
    assert unit["items"] == []
