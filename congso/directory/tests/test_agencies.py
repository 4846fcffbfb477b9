"""Agencies, electronic identifier codes, roles and the scoping API."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.utils import timezone

from congso.core.errors import ServiceError
from congso.core.models import AuditEntry
from congso.directory import services
from congso.directory.models import Agency, Membership, Role
from congso.directory.scope import agencies_for, has_role, is_sysadmin, roles_at
from congso.directory.testing import PASSWORD, login_verified

pytestmark = pytest.mark.django_db


def test_agency_admin_creates_a_division_under_their_department(world):
    admin = world.users["agency_admin"]
    division = services.create_agency(
        admin,
        code="000.12.02.h21",
        name="Phòng Bổ trợ tư pháp",
        kind="division",
        unit_code="52",
        parent=world.agencies["justice"],
    )
    assert division.code == "000.12.02.H21"  # normalised to upper case
    assert division.path.startswith(world.agencies["justice"].path)
    entry = AuditEntry.objects.get(action="directory.agency_created")
    assert entry.actor_id == admin.pk and entry.data["code"] == "000.12.02.H21"
    assert has_role(admin, Role.AGENCY_ADMIN, division)  # sub-tree reaches the new division


@pytest.mark.parametrize(
    "code, message",
    [
        ("000-12-02-H21", "chỉ gồm chữ số, chữ in hoa A–Z và dấu chấm"),
        ("0" * 36, "tối đa 35 ký tự"),
        ("Sở Tư pháp", "chỉ gồm chữ số"),
        ("000.00.15.H21", "đã được dùng cho cơ quan khác"),  # Sở Xây dựng's code
    ],
)
def test_bad_or_duplicate_code_is_refused_and_changes_nothing(world, code, message):
    before = (Agency.objects.count(), AuditEntry.objects.count())
    with pytest.raises(ServiceError) as exc:
        services.create_agency(
            world.users["sysadmin"],
            code=code,
            name="Phòng Công chứng",
            kind="division",
            unit_code="52",
            parent=world.agencies["justice"],
        )
    assert message in exc.value.errors["code"][0]
    assert (Agency.objects.count(), AuditEntry.objects.count()) == before


def test_unknown_unit_is_refused(world):
    with pytest.raises(ServiceError) as exc:
        services.create_agency(
            world.users["sysadmin"],
            code="H21.99999",
            name="UBND xã Không Có",
            kind="peoples_committee",
            unit_code="99999",
        )
    assert "Không tìm thấy đơn vị hành chính" in exc.value.errors["unit"][0]
    assert not Agency.objects.filter(code="H21.99999").exists()


def test_agency_admin_cannot_touch_another_department(world):
    with pytest.raises(PermissionDenied):
        services.update_agency(world.users["agency_admin"], world.agencies["construction"], name="Sở khác")
    with pytest.raises(PermissionDenied):
        services.create_agency(
            world.users["agency_admin"],
            code="000.15.01.H21",
            name="Phòng Quy hoạch",
            kind="division",
            unit_code="52",
            parent=world.agencies["construction"],
        )
    with pytest.raises(PermissionDenied):  # top level is for system administrators only
        services.create_agency(
            world.users["agency_admin"],
            code="000.00.99.H21",
            name="Sở mới",
            kind="department",
            unit_code="52",
        )


def test_update_is_audited_with_the_change(world):
    services.update_agency(world.users["agency_admin"], world.agencies["justice"], phone="0269 3824 567")
    entry = AuditEntry.objects.get(action="directory.agency_updated")
    assert entry.data == {"phone": ["", "0269 3824 567"]}


def test_scope_api(world):
    clerk, leader, admin = world.users["clerk"], world.users["leader"], world.users["agency_admin"]
    civil = world.agencies["justice_civil"]
    assert has_role(leader, Role.LEADER, civil)  # include_subtree from Sở Tư pháp
    assert not has_role(leader, Role.LEADER, world.agencies["construction"])
    assert not has_role(clerk, Role.CLERK, world.agencies["pleiku_centre"])
    assert set(agencies_for(leader, Role.LEADER)) == {world.agencies["justice"], civil}
    assert list(agencies_for(clerk)) == [world.agencies["province_centre"]]
    assert roles_at(admin, civil) == {Role.AGENCY_ADMIN}
    assert is_sysadmin(world.users["sysadmin"]) and not is_sysadmin(admin)
    # a system administrator holds no other role implicitly
    assert not has_role(world.users["sysadmin"], Role.CLERK, world.agencies["province_centre"])


def test_ended_membership_no_longer_counts(world):
    clerk = world.users["clerk"]
    membership = Membership.objects.get(user=clerk)
    services.end_role(world.users["sysadmin"], membership)
    assert not has_role(clerk, Role.CLERK, world.agencies["province_centre"])
    membership.refresh_from_db()
    assert membership.valid_to == timezone.localdate() or membership.valid_to is not None
    assert AuditEntry.objects.filter(action="directory.role_ended").exists()


def test_only_sysadmin_grants_sysadmin(world):
    with pytest.raises(PermissionDenied):
        services.grant_role(
            world.users["agency_admin"],
            user=world.users["officer"],
            agency=world.agencies["justice"],
            role=Role.SYSADMIN,
        )
    services.grant_role(
        world.users["agency_admin"],
        user=world.users["officer"],
        agency=world.agencies["justice"],
        role=Role.LEADER,
        position="Phó Trưởng phòng",
    )
    assert has_role(world.users["officer"], Role.LEADER, world.agencies["justice"])


def test_roles_only_for_official_accounts(world):
    User = get_user_model()
    citizen = User.objects.create_user(
        "congdan.an", password=PASSWORD, full_name="Nguyễn Văn An", kind=User.Kind.CITIZEN
    )
    with pytest.raises(ServiceError) as exc:
        services.grant_role(
            world.users["sysadmin"],
            user=citizen,
            agency=world.agencies["justice"],
            role=Role.CLERK,
        )
    assert "cán bộ, công chức" in exc.value.message


def test_create_official_sends_password_link(world, mailoutbox):
    client = Client()
    login_verified(client, world.users["agency_admin"])
    response = client.post(
        f"/co-quan/quan-ly/{world.agencies['justice'].code}/can-bo-moi/",
        {
            "username": "tran.van.khoa",
            "full_name": "Trần Văn Khoa",
            "email": "khoa@gialai.gov.vn",
            "role": Role.OFFICER,
            "position": "Chuyên viên",
        },
    )
    assert response.status_code == 302
    assert len(mailoutbox) == 1 and "dat-lai-mat-khau" in mailoutbox[0].body
    assert has_role(
        Membership.objects.get(user__username="tran.van.khoa").user, Role.OFFICER, world.agencies["justice"]
    )


def test_roles_at_follows_validity_and_subtrees_like_has_role(world):
    """roles_at runs compiled SQL (congso.core.compiled); it must answer exactly as the ORM rule does."""
    leader, clerk = world.users["leader"], world.users["clerk"]
    today = timezone.localdate()
    justice, civil = world.agencies["justice"], world.agencies["justice_civil"]
    Membership.objects.create(
        user=clerk,
        agency=civil,
        role=Role.OFFICER,
        valid_from=today - datetime.timedelta(days=30),
        valid_to=today,  # ended today: no longer valid
    )
    Membership.objects.create(
        user=clerk, agency=justice, role=Role.CLERICAL, valid_from=today + datetime.timedelta(days=1)
    )  # not yet valid
    Membership.objects.create(user=clerk, agency=justice, role=Role.LEADER)  # valid, no sub-tree
    for user in (leader, clerk, world.users["agency_admin"], world.users["sysadmin"]):
        for agency in [a for a in world.agencies.values() if isinstance(a, Agency)]:
            expected = {role for role in Role.values if has_role(user, role, agency)}
            assert roles_at(user, agency) == expected, (user, agency)
    user = world.users["clerk"]
    user.is_active = False
    assert roles_at(user, world.agencies["province_centre"]) == set()
