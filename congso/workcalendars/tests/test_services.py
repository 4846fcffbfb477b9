"""Drafting, submitting, approving, returning and amending a week; entry rules; who may do what."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from congso.core.errors import Conflict, InvalidFields, ServiceError
from congso.core.models import AuditEntry
from congso.notifications.models import Notice
from congso.workcalendars import selectors, services
from congso.workcalendars.models import Calendar, Entry, Status, Version, Week
from congso.workcalendars.testing import entry_data, next_monday

pytestmark = pytest.mark.django_db


def drafted(world, **extra):
    clerical = world.users["province_clerical"]
    version = services.open_week(world.calendars["leader"].pk, next_monday(), by=clerical)
    entry = services.add_entry(version.pk, entry_data(next_monday(), **extra), by=clerical)
    return version, entry


def test_draft_submit_approve_publishes_with_audit(world):
    clerical, leader = world.users["province_clerical"], world.users["province_leader"]
    version, entry = drafted(world)
    assert version.status == Status.DRAFT and version.number == 1
    assert selectors.public_week(world.calendars["leader"], next_monday())["items"] == []  # draft: not public
    services.submit(version.pk, by=clerical)
    assert (
        selectors.public_week(world.calendars["leader"], next_monday())["items"] == []
    )  # submitted: not yet
    services.approve(version.pk, by=leader)
    week = Week.objects.get()
    assert week.published_id == version.pk and week.published_at is not None
    data = selectors.public_week(world.calendars["leader"], next_monday())
    assert [i["content"] for i in data["items"]] == [entry.content]
    actions = list(
        AuditEntry.objects.filter(action__startswith="workcalendars.")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == [
        "workcalendars.open_week",
        "workcalendars.add_entry",
        "workcalendars.submit",
        "workcalendars.approve",
    ]


def test_return_needs_a_reason_then_edit_and_resubmit(world):
    clerical, leader = world.users["province_clerical"], world.users["province_leader"]
    version, _entry = drafted(world)
    services.submit(version.pk, by=clerical)
    with pytest.raises(ServiceError, match="lý do"):
        services.return_(version.pk, by=leader, reason="  ")
    services.return_(version.pk, by=leader, reason="Bổ sung thành phần dự họp giao ban.")
    version.refresh_from_db()
    assert version.status == Status.RETURNED and version.return_reason.startswith("Bổ sung")
    services.add_entry(
        version.pk, entry_data(next_monday() + dt.timedelta(days=1), content="Tiếp công dân"), by=clerical
    )
    services.submit(version.pk, by=clerical)
    services.approve(version.pk, by=leader)
    assert Version.objects.get().status == Status.APPROVED


def test_amend_keeps_the_published_version_until_reapproved(world):
    clerical, leader = world.users["province_clerical"], world.users["province_leader"]
    version, entry = drafted(world, attendees=[world.users["deputy_leader"].pk])
    services.submit(version.pk, by=clerical)
    services.approve(version.pk, by=leader)
    new = services.amend(version.pk, by=clerical, note="Thay đổi địa điểm họp")
    assert new.number == 2 and new.status == Status.DRAFT
    copied = new.entries.get()
    assert copied.uid == entry.uid and list(copied.attendees.all()) == [world.users["deputy_leader"]]
    services.update_entry(copied.pk, entry_data(next_monday(), place="Hội trường tầng 3"), by=clerical)
    public = selectors.public_week(world.calendars["leader"], next_monday())
    assert public["items"][0]["place"] == "Phòng họp số 1, trụ sở UBND tỉnh"  # still version 1
    with pytest.raises(Conflict):
        services.amend(version.pk, by=clerical)  # not the working version any more
    services.submit(new.pk, by=clerical)
    services.approve(new.pk, by=leader)
    version.refresh_from_db()
    assert version.status == Status.SUPERSEDED
    public = selectors.public_week(world.calendars["leader"], next_monday())
    assert public["items"][0]["place"] == "Hội trường tầng 3" and public["version"].number == 2


def test_entry_rules(world):
    clerical = world.users["province_clerical"]
    version = services.open_week(world.calendars["leader"].pk, next_monday(), by=clerical)
    monday = next_monday()
    cases = [
        (entry_data(monday, "10:00", "09:00"), "end_time"),
        (entry_data(monday, "", "09:00"), "start_time"),
        (entry_data(monday, "8h", "09:00"), "start_time"),
        (entry_data(monday + dt.timedelta(days=7)), "day"),
        (entry_data(monday, content="  "), "content"),
        ({**entry_data(monday), "part": "night"}, "part"),
        (entry_data(monday, attendees=[world.users["citizen"].pk]), "attendees"),
        (entry_data(monday, attendees="1,x"), "attendees"),
    ]
    for data, field in cases:
        with pytest.raises(InvalidFields) as exc:
            services.add_entry(version.pk, data, by=clerical)
        assert field in exc.value.errors, (data, exc.value.errors)
    assert not Entry.objects.exists()
    morning = services.add_entry(
        version.pk,
        {"day": monday.isoformat(), "part": "morning", "content": "Kiểm tra công trình"},
        by=clerical,
    )
    assert timezone.localtime(morning.starts_at).time() == dt.time(7, 30) and morning.start_time is None


def test_entries_in_the_past_and_past_weeks_refused(world):
    clerical = world.users["province_clerical"]
    this_monday = selectors.monday(timezone.localdate())
    with pytest.raises(ServiceError, match="tuần đã qua"):
        services.open_week(world.calendars["leader"].pk, this_monday - dt.timedelta(days=7), by=clerical)
    version = services.open_week(world.calendars["leader"].pk, this_monday, by=clerical)
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    if yesterday >= this_monday:
        with pytest.raises(InvalidFields, match="đã diễn ra"):
            services.add_entry(version.pk, entry_data(yesterday), by=clerical)
    now = timezone.localtime()
    if now.hour >= 1:
        with pytest.raises(InvalidFields, match="đã diễn ra"):
            services.add_entry(version.pk, entry_data(now.date(), "00:00", "00:30"), by=clerical)
    assert not Entry.objects.exists()


def test_who_may_draft_and_approve(world):
    version, entry = drafted(world)
    cal = world.calendars["leader"]
    for key in ("other_clerical", "citizen", "clerk", "leader"):  # another agency's văn thư, citizen, others
        with pytest.raises(PermissionDenied):
            services.add_entry(version.pk, entry_data(next_monday()), by=world.users[key])
        with pytest.raises(PermissionDenied):
            services.open_week(cal.pk, next_monday() + dt.timedelta(days=7), by=world.users[key])
    with pytest.raises(PermissionDenied):
        services.submit(version.pk, by=world.users["province_leader"])  # a leader does not draft
    services.submit(version.pk, by=world.users["province_clerical"])
    for key in ("province_clerical", "other_clerical", "citizen", "leader"):  # lanhdao.tuphap: another agency
        with pytest.raises(PermissionDenied):
            services.approve(version.pk, by=world.users[key])
    with pytest.raises(Conflict):
        services.update_entry(entry.pk, entry_data(next_monday()), by=world.users["province_clerical"])
    with pytest.raises(Conflict):
        services.add_entry(version.pk, entry_data(next_monday()), by=world.users["province_clerical"])
    assert Entry.objects.count() == 1 and Version.objects.get().status == Status.SUBMITTED


def test_create_calendar(world):
    clerical = world.users["other_clerical"]
    construction = world.agencies["construction"]
    cal = services.create_calendar(agency=construction, by=clerical)
    assert cal.kind == Calendar.Kind.UNIT
    with pytest.raises(Conflict):
        services.create_calendar(agency=construction, by=clerical)
    with pytest.raises(PermissionDenied):
        services.create_calendar(agency=world.agencies["province_pc"], by=clerical)
    with pytest.raises(ServiceError, match="không phải lãnh đạo"):
        services.create_calendar(agency=construction, leader=world.users["province_leader"], by=clerical)
    deputy = services.create_calendar(
        agency=world.agencies["province_pc"],
        leader=world.users["deputy_leader"],
        by=world.users["province_clerical"],
    )
    assert deputy.position == "Phó Chủ tịch UBND tỉnh"


def test_delete_entry_and_staff_lists(world):
    version, entry = drafted(world)
    services.delete_entry(entry.pk, by=world.users["province_clerical"])
    assert not Entry.objects.exists()
    assert AuditEntry.objects.filter(action="workcalendars.delete_entry").exists()
    assert set(selectors.staff_calendars(world.users["province_clerical"])) == set(world.calendars.values())
    assert list(selectors.staff_calendars(world.users["other_clerical"])) == []
    assert list(selectors.staff_calendars(world.users["citizen"])) == []
    services.submit(version.pk, by=world.users["province_clerical"])
    assert selectors.waiting_for_approval(world.users["province_leader"]) == 1


def test_notices_to_the_leaders_and_back_to_the_secretary(world):
    clerical, leader = world.users["province_clerical"], world.users["province_leader"]
    version, _entry = drafted(world)
    services.submit(version.pk, by=clerical)
    to_leaders = set(
        Notice.objects.filter(event="workcalendars.submitted").values_list("recipient__username", flat=True)
    )
    assert to_leaders == {"lanhdao.tinh", "lanhdao2.tinh"}
    services.return_(version.pk, by=leader, reason="Bổ sung thành phần")
    services.submit(version.pk, by=clerical)
    services.approve(version.pk, by=leader)
    back = list(Notice.objects.filter(recipient=clerical).order_by("pk").values_list("event", flat=True))
    assert back == ["workcalendars.returned", "workcalendars.approved"]
    assert Notice.objects.filter(recipient=clerical).first().url.startswith("/lich-cong-tac/soan/")
