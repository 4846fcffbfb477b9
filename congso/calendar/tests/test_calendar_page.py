"""The calendar page for administrators (/lich-lam-viec/): list and edit a province's extra days off,
make-up working days and office hours through the calendar's service functions."""

import datetime as dt

import pytest

from congso.calendar.models import CalendarException, OfficeHours
from congso.core.models import AuditEntry
from congso.directory.models import Role
from congso.directory.testing import login_verified

from .test_calendar_api import _official, gia_lai, pleiku  # noqa: F401 — fixtures

URL = "/lich-lam-viec/"
pytestmark = pytest.mark.django_db


@pytest.fixture
def sysadmin(gia_lai):  # noqa: F811
    return _official("quan.tri.hung", "Trần Văn Hùng", Role.SYSADMIN, gia_lai)


@pytest.fixture
def clerk(gia_lai):  # noqa: F811
    return _official("mot.cua.mai", "Lê Thị Mai", Role.CLERK, gia_lai)


def test_sysadmin_declares_and_removes_a_provincial_day_off(client, sysadmin, gia_lai):  # noqa: F811
    login_verified(client, sysadmin)
    page = client.get(URL, {"tinh": "52", "nam": "2027"}).content.decode()
    assert "Tỉnh Gia Lai" in page and "Cả nước (mặc định)" in page
    assert "Tết" in page  # the package's holidays are listed for reference
    response = client.post(
        URL,
        {
            "op": "exception",
            "tinh": "52",
            "nam": "2027",
            "date": "2027-03-12",
            "kind": "day_off",
            "reason": "Nghỉ lễ hội văn hóa cồng chiêng theo Quyết định 12/QĐ-UBND",
        },
        follow=True,
    )
    assert "Đã lưu ngày 12/03/2027." in response.content.decode()
    row = CalendarException.objects.get(unit=gia_lai)
    assert row.unit == gia_lai and row.kind == "day_off"
    assert "Nghỉ lễ hội văn hóa cồng chiêng" in response.content.decode()
    assert AuditEntry.objects.filter(action="core.calendar_exception_set").count() == 1
    response = client.post(
        URL, {"op": "remove", "tinh": "52", "nam": "2027", "date": "2027-03-12"}, follow=True
    )
    assert "Đã xoá ngày 12/03/2027." in response.content.decode()
    assert not CalendarException.objects.filter(unit__isnull=False).exists()
    assert AuditEntry.objects.filter(action="core.calendar_exception_remove").count() == 1


def test_make_up_saturday_and_office_hours(client, sysadmin, gia_lai):  # noqa: F811
    login_verified(client, sysadmin)
    client.post(
        URL,
        {
            "op": "exception",
            "tinh": "52",
            "date": "2027-02-20",
            "kind": "working_day",
            "reason": "Làm bù ngày 12/02",
        },
    )
    assert CalendarException.objects.get(date=dt.date(2027, 2, 20)).kind == "working_day"
    response = client.post(
        URL,
        {
            "op": "hours",
            "tinh": "52",
            "morning_start": "07:00",
            "morning_end": "11:30",
            "afternoon_start": "13:30",
            "afternoon_end": "17:00",
            "receipt_cutoff": "16:00",
        },
        follow=True,
    )
    assert "Đã lưu giờ làm việc." in response.content.decode()
    hours = OfficeHours.objects.get(unit=gia_lai)
    assert hours.morning_start == dt.time(7, 0) and hours.receipt_cutoff == dt.time(16, 0)
    assert "07:00–11:30" in response.content.decode()


def test_bad_input_is_explained_and_nothing_is_written(client, sysadmin, gia_lai):  # noqa: F811
    login_verified(client, sysadmin)
    no_reason = client.post(
        URL, {"op": "exception", "tinh": "52", "date": "2027-03-12", "kind": "day_off", "reason": " "}
    )
    assert no_reason.status_code == 200 and "Có lỗi cần sửa" in no_reason.content.decode()
    upside_down = client.post(
        URL,
        {
            "op": "hours",
            "tinh": "52",
            "morning_start": "11:00",
            "morning_end": "08:00",
            "afternoon_start": "13:30",
            "afternoon_end": "17:00",
        },
    )
    assert upside_down.status_code == 200 and "Có lỗi cần sửa" in upside_down.content.decode()
    bad_date = client.post(URL, {"op": "remove", "tinh": "52", "date": "hom-qua"}, follow=True)
    assert "Ngày không hợp lệ." in bad_date.content.decode()
    assert (
        not CalendarException.objects.filter(unit__isnull=False).exists()
        and not OfficeHours.objects.filter(unit=gia_lai).exists()
    )
    assert not AuditEntry.objects.filter(action__startswith="core.calendar").exists()
    assert not AuditEntry.objects.filter(action="core.office_hours_set").exists()


def test_officials_without_the_permission_are_refused(client, clerk, gia_lai):  # noqa: F811
    login_verified(client, clerk)
    assert client.get(URL).status_code == 403
    response = client.post(
        URL, {"op": "exception", "tinh": "52", "date": "2027-03-12", "kind": "day_off", "reason": "Thử"}
    )
    assert response.status_code == 403
    assert not CalendarException.objects.filter(unit__isnull=False).exists()
    client.logout()
    assert client.get(URL).status_code == 302  # to the sign-in page


def test_account_menu_links_the_calendar_only_for_those_who_may_change_it(client, sysadmin, clerk):
    login_verified(client, sysadmin)
    assert f'href="{URL}"' in client.get("/").content.decode()
    client.logout()
    login_verified(client, clerk)
    assert f'href="{URL}"' not in client.get("/").content.decode()
    client.logout()
    assert f'href="{URL}"' not in client.get("/").content.decode()


MENU_LINK = '<li><a href="/lich-lam-viec/">Lịch làm việc</a></li>'


def test_the_account_menu_links_the_page_for_those_who_may_edit_a_calendar(client, sysadmin, clerk):
    login_verified(client, sysadmin)
    assert MENU_LINK in client.get("/").content.decode()
    login_verified(client, clerk)
    assert MENU_LINK not in client.get("/").content.decode()
