"""The working-day calendar's JSON API (/api/v1/calendar/)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from congso.accounts.models import User
from congso.calendar import engine, services
from congso.calendar.models import CalendarException, OfficeHours
from congso.core.models import AuditEntry
from congso.directory.models import AdministrativeUnit, Agency, Membership, Role
from congso.directory.testing import login_verified

BASE = "/api/v1/calendar"


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


def _official(username, full_name, role, unit):
    agency, _ = Agency.objects.get_or_create(
        code="000.00.31.H21",
        defaults={
            "name": "Trung tâm Phục vụ hành chính công tỉnh Gia Lai",
            "kind": Agency.Kind.SERVICE_CENTRE,
            "unit": unit,
        },
    )
    user = User.objects.create_user(
        username, password="mat-khau-rat-dai-2026", full_name=full_name, kind="official"
    )
    Membership.objects.create(user=user, agency=agency, role=role, valid_from=dt.date(2025, 7, 1))
    return user


@pytest.fixture
def sysadmin(gia_lai):
    return _official("quan.tri.hung", "Trần Văn Hùng", Role.SYSADMIN, gia_lai)


@pytest.fixture
def clerk(gia_lai):
    return _official("mot.cua.mai", "Lê Thị Mai", Role.CLERK, gia_lai)


@pytest.mark.django_db
def test_due_is_public_and_holds_the_tet_2027_example(client):
    response = client.get(f"{BASE}/due", {"received": "2027-02-03 09:00", "amount": "3"})
    assert response.status_code == 200
    body = response.json()
    assert body["due"] == "2027-02-15T17:00:00+07:00"
    assert body["allowance"] == "3 ngày làm việc"
    assert body["paused"] is False
    hours = client.get(f"{BASE}/due", {"received": "03/02/2027 09:00", "amount": "8", "hours": "true"}).json()
    assert hours["due"] == "2027-02-11T09:30:00+07:00"


@pytest.mark.django_db
def test_due_with_pauses(client):
    payload = {
        "received": "2027-02-03T09:00",
        "amount": "3",
        "pauses": [{"start": "2027-02-11T08:00", "end": "2027-02-12T08:00"}],
    }
    body = client.post(f"{BASE}/due", payload, content_type="application/json").json()
    assert body["due"] == "2027-02-16T17:00:00+07:00"
    payload["pauses"] = [{"start": "2027-02-11T08:00", "end": None}]
    body = client.post(f"{BASE}/due", payload, content_type="application/json").json()
    assert body["due"] is None and body["paused"] is True


@pytest.mark.django_db
def test_bad_due_input_gets_a_vietnamese_400(client):
    response = client.get(f"{BASE}/due", {"received": "hôm qua", "amount": "3"})
    assert response.status_code == 400
    assert "Thời điểm không hợp lệ" in response.json()["detail"]
    assert response.json()["code"] == "invalid"  # the API's one error handler, as every other app
    response = client.get(f"{BASE}/due", {"received": "2027-02-03 09:00", "amount": "-1"})
    assert response.status_code == 400 and "không âm" in response.json()["detail"]
    response = client.get(f"{BASE}/due", {"received": "2027-02-03 09:00", "amount": "3", "province": "99"})
    assert response.status_code == 400 and "Không tìm thấy" in response.json()["detail"]


@pytest.mark.django_db
def test_days_and_office_hours(client, gia_lai):
    body = client.get(f"{BASE}/days", {"year": 2027, "province": "52"}).json()
    closed = [d["date"] for d in body["days"] if not d["working"]]
    assert {"2027-02-04", "2027-02-05", "2027-02-08", "2027-02-09", "2027-02-10", "2027-04-16"} <= set(closed)
    assert client.get(f"{BASE}/days", {"year": 99999}).status_code == 400
    hours = client.get(f"{BASE}/office-hours", {"province": "52"}).json()
    assert hours["intervals"] == [["07:30", "11:30"], ["13:30", "17:00"]]
    assert hours["receipt_cutoff"] == "17:00"


@pytest.mark.django_db
def test_changing_the_calendar_needs_login_and_permission(client, clerk, gia_lai):
    payload = {"date": "2027-03-06", "kind": "working_day", "reason": "Làm bù", "province": "52"}
    response = client.post(f"{BASE}/exceptions", payload, content_type="application/json")
    assert response.status_code == 401
    login_verified(client, clerk)
    response = client.post(f"{BASE}/exceptions", payload, content_type="application/json")
    assert response.status_code == 403
    assert "không có quyền" in response.json()["detail"] and response.json()["code"] == "forbidden"
    # A clerk sending bad input still learns nothing but "forbidden".
    response = client.post(
        f"{BASE}/exceptions", payload | {"date": "06/03/2027"}, content_type="application/json"
    )
    assert response.status_code == 403
    assert client.delete(f"{BASE}/exceptions?date=2027-02-04").status_code == 403
    response = client.put(f"{BASE}/office-hours", {"afternoon_end": "16:00"}, content_type="application/json")
    assert response.status_code == 403
    assert not CalendarException.objects.filter(date="2027-03-06").exists()
    assert CalendarException.objects.filter(date="2027-02-04").exists()
    assert not AuditEntry.objects.exists()


@pytest.mark.django_db
def test_sysadmin_declares_and_removes_days(client, sysadmin, gia_lai, pleiku):
    login_verified(client, sysadmin)
    payload = {"date": "2027-03-06", "kind": "working_day", "reason": "Làm bù cho ngày 5/3", "province": "52"}
    response = client.post(f"{BASE}/exceptions", payload, content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json() == {
        "date": "2027-03-06",
        "kind": "working_day",
        "reason": "Làm bù cho ngày 5/3",
        "province": "52",
    }
    assert engine.is_working_day(dt.date(2027, 3, 6), unit=gia_lai)
    due = client.get(f"{BASE}/due", {"received": "2027-03-04 09:00", "amount": "2", "province": "52"}).json()
    assert due["due"] == "2027-03-06T17:00:00+07:00"

    bad = client.post(f"{BASE}/exceptions", payload | {"province": "23575"}, content_type="application/json")
    assert bad.status_code == 400 and "tỉnh" in bad.json()["detail"]
    bad = client.post(f"{BASE}/exceptions", payload | {"date": "6/3"}, content_type="application/json")
    assert bad.status_code == 400 and "Ngày không hợp lệ" in bad.json()["detail"]

    assert client.delete(f"{BASE}/exceptions?date=2027-03-06&province=52").status_code == 204
    assert client.delete(f"{BASE}/exceptions?date=2027-03-06&province=52").status_code == 404
    assert not engine.is_working_day(dt.date(2027, 3, 6), unit=gia_lai)
    actions = list(AuditEntry.objects.order_by("id").values_list("action", flat=True))
    assert actions == ["core.calendar_exception_set", "core.calendar_exception_remove"]


@pytest.mark.django_db
def test_sysadmin_sets_office_hours(client, sysadmin, gia_lai):
    login_verified(client, sysadmin)
    response = client.put(
        f"{BASE}/office-hours",
        {"province": "52", "morning_start": "07:00", "receipt_cutoff": "16:00"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["intervals"] == [["07:00", "11:30"], ["13:30", "17:00"]]
    assert response.json()["receipt_cutoff"] == "16:00"
    bad = client.put(
        f"{BASE}/office-hours", {"province": "52", "morning_end": "6 giờ"}, content_type="application/json"
    )
    assert bad.status_code == 400 and "Giờ không hợp lệ" in bad.json()["detail"]
    bad = client.put(
        f"{BASE}/office-hours", {"province": "52", "morning_end": "06:00"}, content_type="application/json"
    )
    assert bad.status_code == 400 and "Giờ làm việc không hợp lệ" in bad.json()["detail"]
    row = OfficeHours.objects.get(unit=gia_lai)
    assert row.morning_start == dt.time(7, 0) and row.morning_end == dt.time(11, 30)
    assert AuditEntry.objects.filter(action="core.office_hours_set").count() == 1


@pytest.mark.django_db
def test_openapi_lists_the_calendar(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {"/api/v1/calendar/due", "/api/v1/calendar/days", "/api/v1/calendar/exceptions"} <= set(paths)


# --- province administrators edit their own province's calendar ----------------------------------


@pytest.fixture
def province_admins(gia_lai, pleiku):
    """Administrators of Gia Lai's People's Committee, of one of its departments, of a ward's committee,
    and of Hà Nội's committee."""
    ha_noi = AdministrativeUnit.objects.create(
        code="01", name="Thành phố Hà Nội", kind=AdministrativeUnit.Kind.CITY, level=1
    )
    pc = Agency.objects.create(
        code="000.00.00.H21",
        name="Ủy ban nhân dân tỉnh Gia Lai",
        kind=Agency.Kind.PEOPLES_COMMITTEE,
        unit=gia_lai,
    )
    justice = Agency.objects.create(
        code="000.00.12.H21",
        name="Sở Tư pháp tỉnh Gia Lai",
        kind=Agency.Kind.DEPARTMENT,
        unit=gia_lai,
        parent=pc,
    )
    ward = Agency.objects.create(
        code="H21.23575",
        name="Ủy ban nhân dân phường Pleiku",
        kind=Agency.Kind.PEOPLES_COMMITTEE,
        unit=pleiku,
        parent=pc,
    )
    hanoi_root = Agency.objects.create(
        code="000.00.00.H26",
        name="Văn phòng Ủy ban nhân dân thành phố Hà Nội",
        kind=Agency.Kind.OTHER,
        unit=ha_noi,
    )

    def admin(username, agency, **kw):
        user = User.objects.create_user(
            username, password="mat-khau-rat-dai-2026", full_name=username, kind="official"
        )
        Membership.objects.create(
            user=user, agency=agency, role=Role.AGENCY_ADMIN, valid_from=dt.date(2025, 7, 1), **kw
        )
        return user

    return {
        "gia_lai": admin("qt.ubndtinh", pc),
        "department": admin("qt.sotuphap", justice, include_subtree=True),
        "ward": admin("qt.pleiku", ward),
        "ha_noi": admin("qt.hanoi", hanoi_root),  # the root agency of its province's tree
        "expired": admin("qt.cu", pc, valid_to=dt.date(2026, 1, 1)),
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "provinces"),
    [("gia_lai", ["52"]), ("ha_noi", ["01"]), ("department", []), ("ward", []), ("expired", [])],
)
def test_who_may_edit_which_province(province_admins, sysadmin, clerk, who, provinces):
    user = province_admins[who]
    assert [u.code for u in services.manageable_provinces(user)] == provinces
    for code in ("52", "01"):
        assert services.may_manage(user, code) == (code in provinces)
    assert services.may_manage(user, None) is False  # nationwide: system administrators only
    assert services.may_manage(user, "any") == bool(provinces)
    assert [u.code for u in services.manageable_provinces(sysadmin)] == ["01", "52"]
    assert services.may_manage(sysadmin, None) and services.may_manage(sysadmin, "01")
    assert not services.may_manage(clerk, "any")


@pytest.mark.django_db
def test_a_province_administrator_edits_only_their_province(client, province_admins):
    login_verified(client, province_admins["gia_lai"])
    day = {"date": "2027-03-06", "kind": "working_day", "reason": "Làm bù theo Công văn 45/UBND-KGVX"}
    ok = client.post(f"{BASE}/exceptions", day | {"province": "52"}, content_type="application/json")
    assert ok.status_code == 200, ok.content
    assert not engine.is_working_day(dt.date(2027, 3, 6), unit="01")
    assert engine.is_working_day(dt.date(2027, 3, 6), unit="52")
    hours = client.put(
        f"{BASE}/office-hours", {"province": "52", "morning_start": "07:00"}, content_type="application/json"
    )
    assert hours.status_code == 200 and hours.json()["intervals"][0] == ["07:00", "11:30"]
    before = (CalendarException.objects.count(), OfficeHours.objects.count(), AuditEntry.objects.count())
    for method, url, body in (
        ("post", f"{BASE}/exceptions", day | {"province": "01"}),  # another province
        ("post", f"{BASE}/exceptions", day),  # nationwide
        ("put", f"{BASE}/office-hours", {"province": "01", "morning_start": "07:00"}),
        ("put", f"{BASE}/office-hours", {"morning_start": "07:00"}),
    ):
        response = getattr(client, method)(url, body, content_type="application/json")
        assert response.status_code == 403, (url, body, response.content)
    assert client.delete(f"{BASE}/exceptions?date=2027-02-04").status_code == 403  # a nationwide row
    assert (
        CalendarException.objects.count(),
        OfficeHours.objects.count(),
        AuditEntry.objects.count(),
    ) == before
    assert client.delete(f"{BASE}/exceptions?date=2027-03-06&province=52").status_code == 204
    actions = list(AuditEntry.objects.order_by("id").values_list("action", "actor_repr"))
    assert actions == [
        ("core.calendar_exception_set", "qt.ubndtinh"),
        ("core.office_hours_set", "qt.ubndtinh"),
        ("core.calendar_exception_remove", "qt.ubndtinh"),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["department", "ward", "expired"])
def test_other_administrators_may_not_edit_a_province(client, province_admins, who):
    user = province_admins[who]
    with pytest.raises(PermissionDenied):
        services.set_exception(user, dt.date(2027, 3, 5), "day_off", "Nghỉ", unit="52")
    with pytest.raises(PermissionDenied):
        services.set_office_hours(user, unit="52", afternoon_end=dt.time(16, 0))
    login_verified(client, user)
    response = client.post(
        f"{BASE}/exceptions",
        {"date": "2027-03-05", "kind": "day_off", "reason": "Nghỉ", "province": "52"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert not CalendarException.objects.filter(date="2027-03-05").exists()
    assert not AuditEntry.objects.exists()
