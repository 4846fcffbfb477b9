"""Local offerings: who may manage them, what the law allows, and the effective terms other apps use."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from congso.catalog import services
from congso.catalog.models import Offering, Procedure
from congso.core.errors import ServiceError
from congso.core.models import AuditEntry
from congso.core.permissions import can
from congso.directory.models import Role
from congso.directory.testing import login_verified

pytestmark = pytest.mark.django_db


@pytest.fixture
def birth(imported):
    return services.get_procedure("1.001193")  # commune level, online channel, fee set by the council


def test_agency_admin_manages_own_agency_only(pleiku_admin, agencies):
    assert can(pleiku_admin, "catalog.manage_offerings", agencies["pleiku"])
    assert not can(pleiku_admin, "catalog.manage_offerings", agencies["iagrai"])
    assert not can(pleiku_admin, "catalog.manage_offerings", agencies["province_pc"])


def test_subtree_membership_reaches_child_agencies(make_official, agencies):
    province_admin = make_official(
        "le.thi.hoa", Role.AGENCY_ADMIN, agencies["province_pc"], include_subtree=True
    )
    narrow_admin = make_official("pham.van.tuan", Role.AGENCY_ADMIN, agencies["province_pc"])
    assert can(province_admin, "catalog.manage_offerings", agencies["iagrai"])
    assert not can(narrow_admin, "catalog.manage_offerings", agencies["iagrai"])
    assert can(narrow_admin, "catalog.manage_offerings", agencies["province_pc"])


def test_other_roles_and_citizens_cannot_manage(make_official, agencies, django_user_model):
    clerk = make_official("vo.thi.lan", Role.CLERK, agencies["pleiku"])
    citizen = django_user_model.objects.create_user(username="nguyen.van.an", password="MatKhau@2026!")
    from django.contrib.auth.models import AnonymousUser

    for user in (clerk, citizen, AnonymousUser()):
        assert not can(user, "catalog.manage_offerings", agencies["pleiku"])


def test_system_admin_manages_everywhere(make_official, agencies, django_user_model):
    sysadmin = make_official("hoang.quoc.bao", Role.SYSADMIN, agencies["province_pc"])
    root = django_user_model.objects.create_superuser(username="quantri", password="MatKhau@2026!")
    for user in (sysadmin, root):
        assert can(user, "catalog.manage_offerings", agencies["iagrai"])
        assert can(user, "catalog.import")


def test_expired_membership_gives_nothing(make_official, agencies):
    import datetime

    user = make_official("dang.van.son", Role.AGENCY_ADMIN, agencies["pleiku"])
    user.memberships.update(valid_to=datetime.date(2025, 6, 30), valid_from=datetime.date(2024, 1, 1))
    assert not can(user, "catalog.manage_offerings", agencies["pleiku"])


def test_offering_with_local_settings_and_effective_terms(pleiku_admin, agencies, imported):
    birth = services.get_procedure("1.000080")  # fee decided by the provincial People's Council
    assert birth.content["fee_set_locally"]
    offering = services.save_offering(
        pleiku_admin,
        agencies["pleiku"],
        birth,
        {
            "online_open": True,
            "local_time_value": "5",
            "local_time_unit": "working_days",  # the record gives "7" without a unit (ADR 0143)
            "local_fee_amount": "0",
            "counters": "Quầy số 2, Trung tâm Phục vụ hành chính công phường Pleiku",
        },
    )
    assert offering.online_open
    terms = services.effective_terms(birth, agencies["pleiku"])
    assert terms.offered and terms.online_open
    assert terms.version_id == birth.current_version_id
    assert terms.counters.startswith("Quầy số 2")
    online = terms.channel("online")
    assert online.available
    assert (online.fee_kind, online.fee_is_local) == ("free", True)
    entry = AuditEntry.objects.filter(action="catalog.offering.create").latest("id")
    assert entry.data["procedure"] == "1.000080"

    other = services.effective_terms(birth, agencies["iagrai"])
    assert not other.offered and not other.channel("online").available


def test_local_time_must_be_shorter(pleiku_admin, agencies, imported):
    permit = services.get_procedure("1.001294")  # 7 working days

    Procedure.objects.filter(pk=permit.pk).update(levels="|province|commune|")
    permit.refresh_from_db()
    with pytest.raises(ServiceError) as exc:
        services.save_offering(
            pleiku_admin,
            agencies["pleiku"],
            permit,
            {"local_time_value": "10", "local_time_unit": "working_days"},
        )
    assert "local_time_value" in exc.value.errors
    assert not Offering.objects.exists()
    services.save_offering(
        pleiku_admin, agencies["pleiku"], permit, {"local_time_value": "5", "local_time_unit": "working_days"}
    )
    terms = services.effective_terms(permit, agencies["pleiku"])
    assert (terms.channel("in_person").time_value, terms.channel("in_person").time_is_local) == (5, True)


def test_fee_set_nationally_cannot_be_changed(pleiku_admin, agencies, imported):
    permit = services.get_procedure("1.001294")
    Procedure.objects.filter(pk=permit.pk).update(levels="|commune|")
    permit.refresh_from_db()
    with pytest.raises(ServiceError) as exc:
        services.save_offering(
            pleiku_admin, agencies["pleiku"], permit, {"local_fee_in_person": Decimal("1000")}
        )
    assert "Hội đồng nhân dân" in exc.value.errors["local_fee_in_person"][0]


def test_online_filing_needs_an_online_channel_and_the_right_level(
    pleiku_admin, agencies, imported, make_official
):
    info_only = services.get_procedure("1.004059")  # only in person
    with pytest.raises(ServiceError) as exc:
        services.save_offering(pleiku_admin, agencies["pleiku"], info_only, {"online_open": True})
    messages = str(exc.value)
    assert "trực tuyến" in messages or "không thực hiện" in messages
    justice_admin = make_official("bui.thi.thu", Role.AGENCY_ADMIN, agencies["justice"])
    with pytest.raises(ServiceError, match="cấp tỉnh"):
        services.save_offering(justice_admin, agencies["justice"], services.get_procedure("1.001193"), {})


def test_forbidden_change_writes_nothing(make_official, agencies, birth):
    clerk = make_official("vo.thi.lan", Role.CLERK, agencies["pleiku"])
    with pytest.raises(PermissionDenied):
        services.save_offering(clerk, agencies["pleiku"], birth, {"online_open": True})
    assert not Offering.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="catalog.offering").exists()


def test_withdraw(pleiku_admin, agencies, birth):
    services.save_offering(
        pleiku_admin, agencies["pleiku"], birth, {"online_open": True, "local_time_unit": "same_day"}
    )
    services.withdraw_offering(pleiku_admin, agencies["pleiku"], birth)
    assert not services.effective_terms(birth, agencies["pleiku"]).offered
    with pytest.raises(ServiceError):
        services.withdraw_offering(pleiku_admin, agencies["pleiku"], birth)


def test_manage_pages(client, pleiku_admin, agencies, birth):
    assert client.get("/thu-tuc/quan-ly/").status_code == 302  # log in first
    login_verified(client, pleiku_admin)
    page = client.get("/thu-tuc/quan-ly/")
    assert page.status_code == 200 and "Ủy ban nhân dân phường Pleiku" in page.content.decode()
    assert client.get("/thu-tuc/quan-ly/H21.23764/").status_code == 403
    page = client.get("/thu-tuc/quan-ly/H21.23575/?q=khai+sinh")
    assert "1.001193" in page.content.decode()
    response = client.post("/thu-tuc/quan-ly/H21.23575/", {"code": "9.999999"})
    assert "Không có thủ tục nào mang mã này" in response.content.decode()
    url = "/thu-tuc/quan-ly/H21.23575/1.001193/"
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"is_active": "on", "online_open": "on", "counters": "Quầy số 2", "local_time_unit": "same_day"}
    )
    assert response.status_code == 302
    assert Offering.objects.get(agency=agencies["pleiku"]).counters == "Quầy số 2"
    response = client.post(url, {"is_active": "on", "local_time_value": "abc"})
    assert response.status_code == 200 and "Có lỗi cần sửa" in response.content.decode()
    assert client.post("/thu-tuc/quan-ly/H21.23764/1.001193/", {"is_active": "on"}).status_code == 403
