"""Issue 14 / ADR 0143: time limits are read (also in words), resolved or flagged, and a procedure whose
limit the record states without a unit is not offered until the agency sets its local limit."""

import pytest

from congso.catalog import limits, services
from congso.catalog.models import Offering
from congso.catalog.parser import parse_channels, parse_time
from congso.core.errors import ServiceError
from congso.core.models import AuditEntry
from congso.directory.testing import login_verified

pytestmark = pytest.mark.django_db


@pytest.fixture
def birth(imported):
    proc = services.get_procedure("1.001193")
    # the national record as published: "Trực tuyến1Miễn phíDịch vụ bưu chính1Miễn phíTrực tiếp1Miễn phí"
    assert {row["time"]["unit"] for row in proc.content["channels"]} == {""}
    return proc


@pytest.mark.parametrize(
    "text,expected",
    [
        ("5 ngày làm việc", {"value": 5, "unit": "working_days"}),
        ("4 Giờ", {"value": 4, "unit": "hours"}),
        ("Trả ngay", {"value": 0, "unit": "immediate"}),
        ("trong ngày", {"value": 0, "unit": "same_day"}),
        ("Ngay trong ngày làm việc", {"value": 0, "unit": "same_day"}),
        ("Trong ngày (nếu nộp trước 15 giờ)", {"value": 0, "unit": "same_day"}),
        ("1", {"value": 1, "unit": ""}),
        ("Ngay sau khi nhận đủ hồ sơ", None),
        ("", None),
    ],
)
def test_times_as_people_write_them(text, expected):
    assert parse_time(text) == expected


def test_limits_in_words_in_the_channel_table():
    rows = parse_channels(
        "Hình thức nộpThời gianPhí, lệ phíMô tảTrực tuyếnTrong ngàyMiễn phí"
        "Trực tiếpTrả ngay8,000 VNĐDịch vụ bưu chính1Miễn phí"
    )
    assert [(r["channel"], r["time"]) for r in rows] == [
        ("online", {"value": 0, "unit": "same_day"}),
        ("in_person", {"value": 0, "unit": "immediate"}),
        ("post", {"value": 1, "unit": ""}),
    ]
    assert rows[1]["fee"]["amount"] == "8000"


def test_resolution():
    assert str(limits.resolve(3, "working_days")) == "3 ngày làm việc"
    assert str(limits.resolve(None, "same_day")) == "Trong ngày làm việc"
    assert str(limits.resolve(0, "immediate")) == "Trả ngay"
    assert limits.resolve(1, "") is None and limits.resolve(None, "") is None
    assert limits.resolve(0, "working_days") is None and limits.resolve(2, "fortnights") is None


def test_a_unitless_limit_is_not_offered_until_the_local_limit_is_set(pleiku_admin, agencies, birth):
    with pytest.raises(ServiceError) as exc:
        services.save_offering(pleiku_admin, agencies["pleiku"], birth, {"online_open": True})
    assert "chưa xác định được thời hạn giải quyết" in exc.value.errors["local_time_unit"][0]
    assert not Offering.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="catalog.offering").exists()
    # longer than the record's number is refused; "trong ngày" is accepted without a number
    with pytest.raises(ServiceError) as exc:
        services.save_offering(
            pleiku_admin,
            agencies["pleiku"],
            birth,
            {"local_time_value": "3", "local_time_unit": "working_days"},
        )
    assert "local_time_value" in exc.value.errors
    offering = services.save_offering(
        pleiku_admin, agencies["pleiku"], birth, {"online_open": True, "local_time_unit": "same_day"}
    )
    assert (offering.local_time_value, offering.local_time_unit) == (0, "same_day")
    terms = services.effective_terms(birth, agencies["pleiku"])
    assert not terms.limit_unresolved and str(terms.time_limit("online")) == "Trong ngày làm việc"
    entry = AuditEntry.objects.get(action="catalog.offering.create")
    assert entry.data["after"]["local_time_unit"] == "same_day"


def test_offerings_already_stored_without_a_limit_are_flagged(client, pleiku_admin, agencies, birth):
    Offering.objects.create(agency=agencies["pleiku"], procedure=birth, online_open=True)
    assert [o.procedure.code for o in services.unresolved_offerings(agencies["pleiku"])] == ["1.001193"]
    login_verified(client, pleiku_admin)
    page = client.get("/thu-tuc/quan-ly/H21.23575/").content.decode()
    assert "1 thủ tục chưa có thời hạn giải quyết rõ ràng" in page and "1.001193" in page
    detail = client.get("/thu-tuc/quan-ly/H21.23575/1.001193/").content.decode()
    assert 'id="time-limit-unresolved"' in detail
    api = client.get("/api/v1/offerings", {"agency": "H21.23575", "unresolved": "true"}).json()
    assert [(o["procedure"], o["time_limit_unresolved"], o["time_limit"]) for o in api] == [
        ("1.001193", True, "")
    ]
    response = client.post(
        "/thu-tuc/quan-ly/H21.23575/1.001193/",
        {"is_active": "on", "online_open": "on", "local_time_unit": "same_day"},
    )
    assert response.status_code == 302
    assert services.unresolved_offerings(agencies["pleiku"]) == []
    assert client.get("/api/v1/offerings", {"agency": "H21.23575", "unresolved": "true"}).json() == []
    (listed,) = client.get("/api/v1/offerings", {"agency": "H21.23575"}).json()
    assert listed["time_limit"] == "Trong ngày làm việc" and listed["time_limit_unresolved"] is False
    page = client.get("/thu-tuc/quan-ly/H21.23575/").content.decode()
    assert "chưa có thời hạn giải quyết rõ ràng" not in page


def test_another_agencys_admin_sees_no_flags(client, pleiku_admin, agencies, birth):
    Offering.objects.create(agency=agencies["iagrai"], procedure=birth)
    login_verified(client, pleiku_admin)
    assert client.get("/api/v1/offerings", {"agency": "H21.23764", "unresolved": "true"}).status_code == 403
    assert client.get("/thu-tuc/quan-ly/H21.23764/").status_code == 403
