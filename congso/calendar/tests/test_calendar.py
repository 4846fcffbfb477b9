"""The working-day calendar: holidays, Tết 2027, exceptions, office hours, pauses, statuses, command."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command

from congso.accounts.models import User
from congso.calendar import engine, services
from congso.calendar.engine import DeadlineStatus
from congso.calendar.models import CalendarException, CalendarRevision, OfficeHours
from congso.core.models import AuditEntry
from congso.directory.models import AdministrativeUnit, Agency, Membership, Role
from congso.directory.testing import login_verified

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(y, m, d, hh=0, mm=0):
    return dt.datetime(y, m, d, hh, mm, tzinfo=VN)


@pytest.fixture
def gia_lai(db):
    return AdministrativeUnit.objects.create(
        code="52", name="Tỉnh Gia Lai", kind=AdministrativeUnit.Kind.PROVINCE, level=1
    )


@pytest.fixture
def pleiku(gia_lai):
    return AdministrativeUnit.objects.create(
        code="23575", name="Phường Pleiku", kind=AdministrativeUnit.Kind.WARD, level=3, parent=gia_lai
    )


@pytest.fixture
def ha_noi(db):
    return AdministrativeUnit.objects.create(
        code="01", name="Thành phố Hà Nội", kind=AdministrativeUnit.Kind.CITY, level=1
    )


@pytest.fixture
def province_centre(gia_lai):
    return Agency.objects.create(
        code="000.00.31.H21",
        name="Trung tâm Phục vụ hành chính công tỉnh Gia Lai",
        kind=Agency.Kind.SERVICE_CENTRE,
        unit=gia_lai,
    )


@pytest.fixture
def sysadmin(province_centre):
    user = User.objects.create_user(
        "quan.tri.hung", password="mat-khau-rat-dai-2026", full_name="Trần Văn Hùng", kind="official"
    )
    Membership.objects.create(
        user=user, agency=province_centre, role=Role.SYSADMIN, valid_from=dt.date(2025, 7, 1)
    )
    return user


@pytest.fixture
def clerk(province_centre):
    user = User.objects.create_user(
        "mot.cua.mai", password="mat-khau-rat-dai-2026", full_name="Lê Thị Mai", kind="official"
    )
    Membership.objects.create(
        user=user, agency=province_centre, role=Role.CLERK, valid_from=dt.date(2025, 7, 1)
    )
    return user


# --- Tết 2027 and the package's holidays ---------------------------------------------------------


@pytest.mark.django_db
def test_tet_2027_example_three_working_days_fall_due_on_15_february():
    # Received Wednesday 3 Feb 2027, 09:00, during office hours. Offices close 4–10 Feb for Tết
    # Đinh Mùi; day 1 = Thu 11 Feb, day 2 = Fri 12 Feb, day 3 = Mon 15 Feb; due at its close.
    due = engine.due_at(at(2027, 2, 3, 9), engine.days(3))
    assert due == at(2027, 2, 15, 17)


@pytest.mark.django_db
def test_tet_2027_closure_days():
    closed = [dt.date(2027, 2, d) for d in range(4, 11)]
    assert not any(engine.is_working_day(day) for day in closed)
    assert engine.is_working_day(dt.date(2027, 2, 3))
    assert engine.is_working_day(dt.date(2027, 2, 11))
    assert engine.is_working_day(dt.date(2027, 2, 12))
    assert not engine.is_working_day(dt.date(2027, 2, 13))  # Saturday


@pytest.mark.django_db
def test_tet_2027_closure_is_seeded_as_editable_nationwide_rows():
    rows = CalendarException.objects.filter(unit__isnull=True, date__range=("2027-02-04", "2027-02-10"))
    assert sorted(r.date.day for r in rows) == [4, 5, 6, 7, 8, 9, 10]
    assert all(r.kind == CalendarException.Kind.DAY_OFF and "Đinh Mùi" in r.reason for r in rows)
    assert OfficeHours.objects.filter(unit__isnull=True).count() == 1


@pytest.mark.django_db
def test_hung_kings_day_and_national_day_are_days_off():
    assert not engine.is_working_day(dt.date(2027, 4, 16))  # Giỗ Tổ Hùng Vương, 10/3 âm lịch
    assert not engine.is_working_day(dt.date(2027, 9, 2))
    assert not engine.is_working_day(dt.date(2027, 9, 3))


@pytest.mark.django_db
def test_deadline_crosses_new_year_holiday():
    # Wed 30 Dec 2026 + 3 days: Thu 31 Dec, (Fri 1 Jan off), Mon 4 Jan, Tue 5 Jan.
    assert engine.due_at(at(2026, 12, 30, 10), engine.days(3)) == at(2027, 1, 5, 17)


@pytest.mark.django_db
def test_aware_moment_in_another_zone_is_read_as_vietnam_time():
    received = dt.datetime(2027, 2, 3, 2, 0, tzinfo=dt.UTC)  # 09:00 in Vietnam
    assert engine.due_at(received, engine.days(3)) == at(2027, 2, 15, 17)
    naive = dt.datetime(2027, 2, 3, 9, 0)
    assert engine.due_at(naive, engine.days(3)) == at(2027, 2, 15, 17)


@pytest.mark.django_db
def test_zero_days_is_due_at_close_of_the_receipt_day():
    assert engine.due_at(at(2027, 3, 2, 9), engine.days(0)) == at(2027, 3, 2, 17)


# --- exceptions: make-up Saturdays, extra days off ---------------------------------------------


@pytest.mark.django_db
def test_make_up_saturday_for_one_province(sysadmin, gia_lai, ha_noi):
    saturday = dt.date(2027, 3, 6)
    services.set_exception(sysadmin, saturday, "working_day", "Làm bù cho ngày nghỉ 5/3/2027", unit=gia_lai)
    assert engine.is_working_day(saturday, unit=gia_lai)
    assert not engine.is_working_day(saturday, unit=ha_noi)
    assert not engine.is_working_day(saturday)
    # Thu 4 Mar 09:00 + 2 days: Fri 5, Sat 6 in Gia Lai; Fri 5, Mon 8 in Hà Nội.
    assert engine.due_at(at(2027, 3, 4, 9), engine.days(2), unit=gia_lai) == at(2027, 3, 6, 17)
    assert engine.due_at(at(2027, 3, 4, 9), engine.days(2), unit=ha_noi) == at(2027, 3, 8, 17)


@pytest.mark.django_db
def test_province_day_off_versus_nationwide_day_off(sysadmin, gia_lai, ha_noi, pleiku):
    friday = dt.date(2027, 3, 5)
    services.set_exception(sysadmin, friday, "day_off", "UBND tỉnh cho nghỉ bù", unit=gia_lai)
    assert not engine.is_working_day(friday, unit=gia_lai)
    assert not engine.is_working_day(friday, unit=pleiku)  # a ward follows its province
    assert not engine.is_working_day(friday, unit="23575")
    assert engine.is_working_day(friday, unit=ha_noi)
    assert engine.is_working_day(friday)

    monday = dt.date(2027, 3, 8)
    services.set_exception(sysadmin, monday, "day_off", "Chính phủ cho nghỉ", unit=None)
    assert not engine.is_working_day(monday)
    assert not engine.is_working_day(monday, unit=gia_lai)
    assert not engine.is_working_day(monday, unit=ha_noi)


@pytest.mark.django_db
def test_province_row_overrides_nationwide_row(sysadmin, gia_lai, ha_noi):
    # The province keeps working on a day the government closes nationwide (e.g. an election duty).
    services.set_exception(
        sysadmin, dt.date(2027, 2, 10), "working_day", "Trực Tết theo Quyết định của UBND tỉnh", unit=gia_lai
    )
    assert engine.is_working_day(dt.date(2027, 2, 10), unit=gia_lai)
    assert not engine.is_working_day(dt.date(2027, 2, 10), unit=ha_noi)
    assert engine.due_at(at(2027, 2, 3, 9), engine.days(3), unit=gia_lai) == at(2027, 2, 12, 17)
    assert engine.due_at(at(2027, 2, 3, 9), engine.days(3), unit=ha_noi) == at(2027, 2, 15, 17)


@pytest.mark.django_db
def test_edit_and_removal_recompute_the_cached_calendar(sysadmin):
    day = dt.date(2027, 2, 11)
    assert engine.is_working_day(day)  # computed and cached
    services.set_exception(sysadmin, day, "day_off", "Chính phủ cho nghỉ thêm sau Tết")
    assert not engine.is_working_day(day)
    assert engine.due_at(at(2027, 2, 3, 9), engine.days(3)) == at(2027, 2, 16, 17)
    services.set_exception(sysadmin, day, "working_day", "Huỷ quyết định nghỉ thêm")
    assert engine.is_working_day(day)
    assert services.remove_exception(sysadmin, day) is True
    assert services.remove_exception(sysadmin, day) is False
    assert engine.is_working_day(day)


@pytest.mark.django_db
def test_orm_edit_made_elsewhere_reaches_this_process_through_the_revision(settings):
    settings.CONGSO_CALENDAR_REFRESH_SECONDS = 0
    day = dt.date(2027, 2, 11)
    assert engine.is_working_day(day)
    # Another worker inserts a row and bumps the revision (bulk_create sends no signal here).
    CalendarException.objects.bulk_create(
        [CalendarException(date=day, kind="day_off", reason="Chính phủ cho nghỉ thêm sau Tết")]
    )
    assert engine.is_working_day(day)  # revision unchanged: cache still used
    CalendarRevision.objects.filter(pk=1).update(revision=999)
    assert not engine.is_working_day(day)


@pytest.mark.django_db
def test_plain_orm_save_invalidates_too():
    day = dt.date(2027, 3, 1)
    assert engine.is_working_day(day)
    CalendarException.objects.create(date=day, kind="day_off", reason="Nghỉ theo thông báo")
    assert not engine.is_working_day(day)


# --- receipt after hours, working hours, office hours per province ---------------------------------


@pytest.mark.django_db
def test_after_hours_receipt_counts_from_next_working_day():
    # Wed 3 Mar 2027 17:30 → treated as received Thu 4 Mar 07:30; 1 day → Fri 5 Mar close.
    assert engine.effective_start(at(2027, 3, 3, 17, 30)) == at(2027, 3, 4, 7, 30)
    assert engine.due_at(at(2027, 3, 3, 17, 30), engine.days(1)) == at(2027, 3, 5, 17)
    # At 16:59 the same day it still counts as received on Wednesday.
    assert engine.due_at(at(2027, 3, 3, 16, 59), engine.days(1)) == at(2027, 3, 4, 17)
    # Before opening on a working day counts as that day.
    assert engine.due_at(at(2027, 3, 3, 6, 45), engine.days(1)) == at(2027, 3, 4, 17)
    # Received on Saturday: Monday is the receipt day.
    assert engine.due_at(at(2027, 3, 6, 10), engine.days(1)) == at(2027, 3, 9, 17)
    # Received during Tết: the receipt day is Thu 11 Feb.
    assert engine.due_at(at(2027, 2, 8, 9), engine.days(1)) == at(2027, 2, 12, 17)


@pytest.mark.django_db
def test_after_hours_rule_count_next_day_is_configurable(settings):
    settings.CONGSO_CALENDAR_AFTER_HOURS_RULE = "count_next_day"
    assert engine.due_at(at(2027, 3, 3, 17, 30), engine.days(1)) == at(2027, 3, 4, 17)
    assert engine.due_at(at(2027, 3, 6, 10), engine.days(2)) == at(2027, 3, 9, 17)
    # During office hours nothing changes.
    assert engine.due_at(at(2027, 2, 3, 9), engine.days(3)) == at(2027, 2, 15, 17)
    settings.CONGSO_CALENDAR_AFTER_HOURS_RULE = "ngay_mai"
    with pytest.raises(engine.CalendarError):
        engine.due_at(at(2027, 3, 3, 17, 30), engine.days(1))


@pytest.mark.django_db
def test_working_hours_deadline_counts_office_hours_only():
    # 09:00 Wed 3 Feb: 6 h left that day; then Tết; 2 more hours on Thu 11 Feb → 09:30.
    assert engine.due_at(at(2027, 2, 3, 9), engine.hours(8)) == at(2027, 2, 11, 9, 30)
    # 4 h from 10:00: 1.5 h before lunch, 2.5 h after → 16:00.
    assert engine.due_at(at(2027, 3, 2, 10), engine.hours(4)) == at(2027, 3, 2, 16)
    # Received in the lunch break: the clock starts at 13:30.
    assert engine.effective_start(at(2027, 3, 2, 12, 15)) == at(2027, 3, 2, 13, 30)
    assert engine.due_at(at(2027, 3, 2, 12, 15), engine.hours(2)) == at(2027, 3, 2, 15, 30)
    # Exactly one day's worth ends at the close, not the next opening.
    assert engine.due_at(at(2027, 3, 2, 7, 30), engine.hours("7.5")) == at(2027, 3, 2, 17)
    # After closing on Friday: from Monday's opening.
    assert engine.due_at(at(2027, 3, 5, 17, 45), engine.hours(1)) == at(2027, 3, 8, 8, 30)
    # Half an hour works too.
    assert engine.due_at(at(2027, 3, 2, 11, 15), engine.hours("0.5")) == at(2027, 3, 2, 13, 45)


@pytest.mark.django_db
def test_office_hours_per_province(sysadmin, gia_lai, ha_noi):
    services.set_office_hours(
        sysadmin,
        unit=gia_lai,
        morning_start=dt.time(7, 0),
        morning_end=dt.time(11, 30),
        afternoon_start=dt.time(13, 30),
        afternoon_end=dt.time(17, 0),
        receipt_cutoff=dt.time(16, 0),
    )
    assert engine.due_at(at(2027, 3, 2, 9), engine.days(1), unit=gia_lai) == at(2027, 3, 3, 17)
    # In Gia Lai a dossier received at 16:15 counts from the next day (cut-off 16:00).
    assert engine.due_at(at(2027, 3, 2, 16, 15), engine.days(1), unit=gia_lai) == at(2027, 3, 4, 17)
    assert engine.due_at(at(2027, 3, 2, 16, 15), engine.days(1), unit=ha_noi) == at(2027, 3, 3, 17)
    # Hours: Gia Lai opens at 07:00.
    assert engine.due_at(at(2027, 3, 2, 17, 30), engine.hours(1), unit=gia_lai) == at(2027, 3, 3, 8)
    assert engine.due_at(at(2027, 3, 2, 17, 30), engine.hours(1), unit=ha_noi) == at(2027, 3, 3, 8, 30)


@pytest.mark.django_db
def test_changing_nationwide_office_hours(sysadmin):
    services.set_office_hours(sysadmin, unit=None, afternoon_end=dt.time(16, 30))
    assert engine.due_at(at(2027, 3, 2, 9), engine.days(1)) == at(2027, 3, 3, 16, 30)


@pytest.mark.django_db
def test_new_province_hours_start_from_the_nationwide_hours(sysadmin, gia_lai):
    services.set_office_hours(sysadmin, unit=None, afternoon_end=dt.time(16, 30))
    services.set_office_hours(sysadmin, unit=gia_lai, morning_start=dt.time(7, 0))
    row = OfficeHours.objects.get(unit=gia_lai)
    assert (row.morning_start, row.afternoon_end) == (dt.time(7, 0), dt.time(16, 30))


@pytest.mark.django_db
def test_continuous_office_day(sysadmin, gia_lai):
    services.set_office_hours(
        sysadmin,
        unit=gia_lai,
        morning_start=dt.time(8, 0),
        morning_end=dt.time(12, 0),
        afternoon_start=dt.time(12, 0),
        afternoon_end=dt.time(16, 0),
    )
    assert engine.due_at(at(2027, 3, 2, 11), engine.hours(2), unit=gia_lai) == at(2027, 3, 2, 13)


@pytest.mark.django_db
def test_invalid_office_hours_are_refused_and_change_nothing(sysadmin, gia_lai):
    with pytest.raises(engine.CalendarError, match="Giờ làm việc không hợp lệ"):
        services.set_office_hours(
            sysadmin, unit=gia_lai, morning_start=dt.time(12, 0), morning_end=dt.time(11, 0)
        )
    with pytest.raises(engine.CalendarError, match="Trường không hợp lệ"):
        services.set_office_hours(sysadmin, unit=gia_lai, saturday=True)
    assert not OfficeHours.objects.filter(unit=gia_lai).exists()
    assert not AuditEntry.objects.filter(action="core.office_hours_set").exists()


# --- pauses (supplement requests) ----------------------------------------------------------------


@pytest.mark.django_db
def test_supplement_pause_moves_the_due_by_the_office_time_paused():
    received = at(2027, 2, 3, 9)
    # Paused Thu 11 Feb 08:00 → Fri 12 Feb 08:00: 7 h + 0.5 h = one full office day.
    pauses = [(at(2027, 2, 11, 8), at(2027, 2, 12, 8))]
    assert engine.due_at(received, engine.days(3), pauses=pauses) == at(2027, 2, 16, 17)
    # A pause lasting over a weekend only costs its office time: Fri 16:00 → Mon 09:00 = 1 h + 1.5 h.
    pauses = [(at(2027, 2, 12, 16), at(2027, 2, 15, 9))]
    assert engine.due_at(received, engine.days(3), pauses=pauses) == at(2027, 2, 16, 10)


@pytest.mark.django_db
def test_open_pause_stops_the_clock_and_pause_after_due_changes_nothing():
    received = at(2027, 2, 3, 9)
    assert engine.due_at(received, engine.days(3), pauses=[(at(2027, 2, 11, 10), None)]) is None
    late = [(at(2027, 2, 16, 9), None)]
    assert engine.due_at(received, engine.days(3), pauses=late) == at(2027, 2, 15, 17)
    # Overlapping pauses are merged, not counted twice.
    twice = [(at(2027, 2, 11, 7, 30), at(2027, 2, 11, 17)), (at(2027, 2, 11, 13, 30), at(2027, 2, 11, 17))]
    assert engine.due_at(received, engine.days(3), pauses=twice) == at(2027, 2, 16, 17)
    with pytest.raises(engine.CalendarError):
        engine.due_at(received, engine.days(3), pauses=[(at(2027, 2, 12, 9), at(2027, 2, 11, 9))])


@pytest.mark.django_db
def test_elapsed_and_remaining_with_a_pause():
    # Monday opening; 2 days → due Wed 3 Mar 17:00: budget 3 × 7.5 h = 22.5 h of office time.
    received = at(2027, 3, 1, 7, 30)
    allowance = engine.days(2)
    pauses = [(at(2027, 3, 1, 13, 30), at(2027, 3, 2, 7, 30))]  # afternoon of Monday paused
    now = at(2027, 3, 2, 9, 30)
    assert engine.elapsed(received, now, pauses=pauses) == dt.timedelta(hours=6)  # 4 h + 2 h
    assert engine.remaining(received, allowance, now, pauses=pauses) == dt.timedelta(hours=16, minutes=30)
    # An open pause freezes elapsed time.
    open_pause = [(at(2027, 3, 1, 13, 30), None)]
    assert engine.elapsed(received, at(2027, 3, 5, 9), pauses=open_pause) == dt.timedelta(hours=4)
    # Overdue: remaining turns negative.
    assert engine.remaining(received, allowance, at(2027, 3, 4, 8, 30)) == -dt.timedelta(hours=1)
    assert engine.elapsed(received, at(2027, 2, 26, 9)) == dt.timedelta(0)


@pytest.mark.django_db
def test_working_time_between():
    assert engine.working_time_between(at(2027, 2, 3, 16), at(2027, 2, 11, 8)) == dt.timedelta(
        hours=1, minutes=30
    )
    assert engine.working_time_between(at(2027, 2, 11, 8), at(2027, 2, 3, 16)) == -dt.timedelta(
        hours=1, minutes=30
    )


# --- statuses --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_status_on_time_due_soon_overdue():
    due = engine.due_at(at(2027, 2, 3, 9), engine.days(3))  # Mon 15 Feb 17:00
    assert engine.status_at(due, at(2027, 2, 12, 9)) == DeadlineStatus.ON_TIME  # 15.5 h left
    assert engine.status_at(due, at(2027, 2, 12, 17)) == DeadlineStatus.DUE_SOON  # 7.5 h left = 1 day
    assert engine.status_at(due, at(2027, 2, 15, 16, 59)) == DeadlineStatus.DUE_SOON
    assert engine.status_at(due, at(2027, 2, 15, 17)) == DeadlineStatus.DUE_SOON  # due is inclusive
    assert engine.status_at(due, at(2027, 2, 15, 17, 1)) == DeadlineStatus.OVERDUE
    assert engine.status_at(None, at(2027, 3, 1, 9)) == DeadlineStatus.ON_TIME  # clock stopped


@pytest.mark.django_db
def test_status_threshold_is_configurable(settings):
    due = at(2027, 3, 5, 17)  # Friday close
    now = at(2027, 3, 4, 9)  # 13.5 h of office time left
    assert engine.status_at(due, now) == DeadlineStatus.ON_TIME
    assert engine.status_at(due, now, due_soon_threshold=2) == DeadlineStatus.DUE_SOON
    assert engine.status_at(due, now, due_soon_threshold=engine.hours(14)) == DeadlineStatus.DUE_SOON
    assert engine.status_at(due, now, due_soon_threshold=dt.timedelta(hours=13)) == DeadlineStatus.ON_TIME
    settings.CONGSO_CALENDAR_DUE_SOON_DAYS = 2
    assert engine.status_at(due, now) == DeadlineStatus.DUE_SOON
    assert DeadlineStatus.OVERDUE.label == "Quá hạn"


def test_allowance_validation():
    with pytest.raises(engine.CalendarError, match="số nguyên"):
        engine.days("1.5")
    with pytest.raises(engine.CalendarError, match="không âm"):
        engine.hours(-2)
    with pytest.raises(engine.CalendarError):
        engine.days("ba")
    assert str(engine.days(3)) == "3 ngày làm việc"
    assert engine.days("3.0") == engine.days(3)
    assert str(engine.hours("7.50")) == "7.5 giờ làm việc"
    assert str(engine.hours("10")) == "10 giờ làm việc"


# --- administration: permission, audit, bad input ---------------------------------------------------


@pytest.mark.django_db
def test_clerk_may_not_change_the_calendar(clerk, gia_lai):
    before = CalendarException.objects.count()
    with pytest.raises(PermissionDenied):
        services.set_exception(clerk, dt.date(2027, 3, 5), "day_off", "Nghỉ", unit=gia_lai)
    with pytest.raises(PermissionDenied):
        services.remove_exception(clerk, dt.date(2027, 2, 4))
    with pytest.raises(PermissionDenied):
        services.set_office_hours(clerk, unit=gia_lai, afternoon_end=dt.time(16, 0))
    with pytest.raises(PermissionDenied):
        services.set_exception(None, dt.date(2027, 3, 5), "day_off", "Nghỉ")
    assert CalendarException.objects.count() == before
    assert engine.is_working_day(dt.date(2027, 3, 5), unit=gia_lai)
    assert not AuditEntry.objects.exists()


@pytest.mark.django_db
def test_expired_sysadmin_membership_is_refused(sysadmin):
    sysadmin.memberships.update(valid_to=dt.date(2026, 1, 1))
    with pytest.raises(PermissionDenied):
        services.set_exception(sysadmin, dt.date(2027, 3, 5), "day_off", "Nghỉ")


@pytest.mark.django_db
def test_changes_are_audited(sysadmin, gia_lai):
    services.set_exception(
        sysadmin, dt.date(2027, 3, 6), "working_day", "Làm bù theo Công văn 123/UBND", unit=gia_lai
    )
    services.remove_exception(sysadmin, dt.date(2027, 2, 4))
    entries = list(AuditEntry.objects.order_by("id"))
    assert [e.action for e in entries] == ["core.calendar_exception_set", "core.calendar_exception_remove"]
    # the same object type as when the calendar lived in core: one search finds the whole history
    assert {e.object_type for e in entries} == {"core.calendarexception"}
    assert entries[0].data["unit"] == "52"
    assert entries[0].actor_repr == "quan.tri.hung"
    assert entries[1].data["date"] == "2027-02-04"


@pytest.mark.django_db
def test_bad_exception_input_changes_nothing(sysadmin, pleiku):
    before = CalendarException.objects.count()
    with pytest.raises(engine.CalendarError, match="lý do"):
        services.set_exception(sysadmin, dt.date(2027, 3, 5), "day_off", "  ")
    with pytest.raises(engine.CalendarError, match="Loại ngày"):
        services.set_exception(sysadmin, dt.date(2027, 3, 5), "holiday", "Nghỉ")
    with pytest.raises(engine.CalendarError, match="tỉnh"):
        services.set_exception(sysadmin, dt.date(2027, 3, 5), "day_off", "Nghỉ", unit=pleiku)
    with pytest.raises(engine.CalendarError, match="Ngày không hợp lệ"):
        services.set_exception(sysadmin, "2027-03-05", "day_off", "Nghỉ")
    with pytest.raises(engine.CalendarError, match="Không tìm thấy"):
        engine.is_working_day(dt.date(2027, 3, 5), unit="99")
    assert CalendarException.objects.count() == before
    assert not AuditEntry.objects.exists()


@pytest.mark.django_db
def test_admin_pages_go_through_the_services(client, gia_lai):
    admin_user = User.objects.create_superuser(
        "quan.tri.he.thong", password="mat-khau-rat-dai-2026", full_name="Phạm Quốc Bảo"
    )
    login_verified(client, admin_user)
    assert client.get("/quan-tri-he-thong/calendar/calendarexception/").status_code == 200
    assert client.get("/quan-tri-he-thong/calendar/officehours/").status_code == 200
    response = client.post(
        "/quan-tri-he-thong/calendar/calendarexception/add/",
        {"unit": gia_lai.pk, "date": "2027-03-06", "kind": "working_day", "reason": "Làm bù ngày 5/3"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert engine.is_working_day(dt.date(2027, 3, 6), unit=gia_lai)
    assert AuditEntry.objects.filter(action="core.calendar_exception_set").count() == 1
    row = CalendarException.objects.get(unit=gia_lai, date="2027-03-06")
    assert client.get(f"/quan-tri-he-thong/calendar/calendarexception/{row.pk}/change/").status_code == 200
    assert client.get("/quan-tri-he-thong/calendar/calendarexception/add/").status_code == 200
    # A second row for the same province and day is refused by the form, in Vietnamese.
    response = client.post(
        "/quan-tri-he-thong/calendar/calendarexception/add/",
        {"unit": gia_lai.pk, "date": "2027-03-06", "kind": "day_off", "reason": "Trùng ngày"},
    )
    assert response.status_code == 200
    assert "Ngày này đã được khai báo cho tỉnh này." in response.content.decode()
    response = client.post(
        "/quan-tri-he-thong/calendar/officehours/add/",
        {
            "unit": gia_lai.pk,
            "morning_start": "07:00",
            "morning_end": "11:30",
            "afternoon_start": "13:30",
            "afternoon_end": "17:00",
            "receipt_cutoff": "16:00",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert engine.get_calendar(gia_lai).hours.cutoff == dt.time(16, 0)
    assert AuditEntry.objects.get(action="core.office_hours_set").object_type == "core.officehours"
    response = client.post(f"/quan-tri-he-thong/calendar/calendarexception/{row.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not engine.is_working_day(dt.date(2027, 3, 6), unit=gia_lai)
    assert AuditEntry.objects.filter(action="core.calendar_exception_remove").count() == 1


# --- the command ----------------------------------------------------------------------------------


def _run(capsys, *args):
    call_command("calendar", *args)
    return capsys.readouterr().out


@pytest.mark.django_db
def test_command_due_tet_2027(capsys):
    out = _run(capsys, "due", "2027-02-03 09:00", "3")
    assert "Hạn giải quyết: 17:00 thứ Hai 15/02/2027" in out
    assert "due: 2027-02-15T17:00:00+07:00" in out


@pytest.mark.django_db
def test_command_hours_province_and_pause(capsys, sysadmin, gia_lai):
    out = _run(capsys, "due", "03/02/2027 09:00", "8", "--hours")
    assert "due: 2027-02-11T09:30:00+07:00" in out
    services.set_exception(sysadmin, dt.date(2027, 2, 12), "day_off", "UBND tỉnh cho nghỉ thêm", unit=gia_lai)
    out = _run(capsys, "due", "2027-02-03 09:00", "3", "--province", "52")
    assert "due: 2027-02-16T17:00:00+07:00" in out
    out = _run(capsys, "due", "2027-02-03 09:00", "3", "--pause", "2027-02-11 08:00", "2027-02-12 08:00")
    assert "due: 2027-02-16T17:00:00+07:00" in out
    out = _run(capsys, "due", "2027-02-03 09:00", "3", "--pause", "2027-02-11 08:00", "-")
    assert "due: paused" in out


@pytest.mark.django_db
def test_command_after_hours_receipt(capsys):
    out = _run(capsys, "due", "2027-03-03 17:30", "1")
    assert "Bắt đầu tính: 07:30 thứ Năm 04/03/2027" in out
    assert "due: 2027-03-05T17:00:00+07:00" in out


@pytest.mark.django_db
def test_command_bad_input(capsys):
    with pytest.raises(CommandError, match="Thời điểm không hợp lệ"):
        call_command("calendar", "due", "ngày mai", "3")
    with pytest.raises(CommandError, match="số nguyên"):
        call_command("calendar", "due", "2027-02-03 09:00", "2.5")
    with pytest.raises(CommandError, match="Không tìm thấy"):
        call_command("calendar", "due", "2027-02-03 09:00", "3", "--province", "99")


@pytest.mark.django_db
def test_command_days_lists_the_year(capsys, sysadmin, gia_lai):
    services.set_exception(sysadmin, dt.date(2027, 3, 6), "working_day", "Làm bù cho ngày 5/3", unit=gia_lai)
    out = _run(capsys, "days", "2027", "--province", "52")
    assert "2027-02-04 thứ Năm" in out
    assert "2027-04-16 thứ Sáu   nghỉ" in out
    assert "2027-03-06 thứ Bảy   làm việc  Làm bù cho ngày 5/3" in out
    assert "2027-02-06" not in out  # a Saturday inside the closure changes nothing


# --- cross-check of the fast paths against a plain day-by-day walk ---------------------------------


def _walk_intervals(cal, start):
    """Office intervals from ``start`` onwards, one working day after another."""
    day = start.date()
    while True:
        for a, b in cal.intervals(day):
            if b > start:
                yield max(a, start), b
        day += dt.timedelta(days=1)


def _reference_office_time(cal, start, end):
    total = dt.timedelta(0)
    for a, b in _walk_intervals(cal, start):
        if a >= end:
            return total
        total += min(b, end) - a


def _reference_due_days(cal, received, n):
    day = received.date()
    if not cal.is_working_day(day) or received.time() >= dt.time(17, 0):
        day += dt.timedelta(days=1)
        while not cal.is_working_day(day):
            day += dt.timedelta(days=1)
    while n:
        day += dt.timedelta(days=1)
        if cal.is_working_day(day):
            n -= 1
    return dt.datetime.combine(day, dt.time(17, 0), tzinfo=VN)


def _reference_due_hours(cal, received, minutes):
    left = dt.timedelta(minutes=minutes)
    for a, b in _walk_intervals(cal, cal.effective_start(received)):
        if b - a >= left:
            return a + left
        left -= b - a


@pytest.mark.django_db
def test_fast_paths_agree_with_a_day_by_day_walk(sysadmin, gia_lai):
    import random

    services.set_exception(sysadmin, dt.date(2027, 2, 20), "working_day", "Làm bù sau Tết", unit=gia_lai)
    services.set_exception(sysadmin, dt.date(2027, 1, 4), "day_off", "Nghỉ bù Tết Dương lịch", unit=gia_lai)
    cal = engine.get_calendar(gia_lai)
    rng = random.Random(20270203)
    base = at(2026, 12, 20)
    for _ in range(200):
        received = base + dt.timedelta(minutes=rng.randrange(0, 80 * 24 * 60))
        n = rng.randrange(0, 25)
        assert cal.due_at(received, engine.days(n)) == _reference_due_days(cal, received, n), (received, n)
        minutes = rng.randrange(0, 60 * 60)
        got = cal.due_at(received, engine.hours(dt.timedelta(minutes=minutes).total_seconds() / 3600))
        assert got == _reference_due_hours(cal, received, minutes), (received, minutes)
        other = base + dt.timedelta(minutes=rng.randrange(0, 80 * 24 * 60))
        start, end = min(received, other), max(received, other)
        assert cal.working_time_between(start, end) == _reference_office_time(cal, start, end), (start, end)
