import datetime as dt

import pytest

from congso.accounts.models import CitizenProfile, CommunityHelper, CommunityTeam, User
from congso.catalog.models import Offering, OnlineLevel
from congso.directory.models import Membership, Role
from congso.dossiers.tests.conftest import *  # noqa: F403
from congso.dossiers.tests.conftest import pdf

from ..demo import ensure_birth_form

PASSWORD = "Mat-khau-dai-2026!"


@pytest.fixture
def online(procedure_version, agencies):
    """Birth registration, fully online, open at the Pleiku ward."""
    procedure = procedure_version.procedure
    procedure.online_level = OnlineLevel.FULL
    procedure.save()
    return Offering.objects.create(agency=agencies["ward"], procedure=procedure, online_open=True)


@pytest.fixture
def birth_form(online):
    return ensure_birth_form(online.procedure)


@pytest.fixture
def profile(citizen, units):
    citizen.phone = "0905123456"
    citizen.email = "an.nguyen@example.vn"
    citizen.save()
    return CitizenProfile.objects.create(
        user=citizen,
        cccd="052095001234",
        date_of_birth=dt.date(1995, 4, 10),
        address="Tổ 3, 25 Hùng Vương",
        commune=units[1],
    )


@pytest.fixture
def other_citizen(db):
    return User.objects.create_user("cd.lan", password=PASSWORD, full_name="Trần Thị Lan", kind="citizen")


def _admin(username, full_name, agency, role):
    user = User.objects.create_user(username, password=PASSWORD, full_name=full_name, kind="official")
    Membership.objects.create(user=user, agency=agency, role=role, position=str(Role(role).label))
    return user


@pytest.fixture
def ward_admin(agencies):
    """The Pleiku ward's agency administrator."""
    return _admin("qt.pleiku", "Lê Thị Thu", agencies["ward"], Role.AGENCY_ADMIN)


@pytest.fixture
def other_admin(agencies):
    """The agency administrator of another commune (Ia Grai)."""
    return _admin("qt.iagrai", "Siu Thị Nhung", agencies["other"], Role.AGENCY_ADMIN)


@pytest.fixture
def sysadmin(agencies):
    return _admin("qt.hethong", "Phạm Minh Tuấn", agencies["justice"], Role.SYSADMIN)


@pytest.fixture
def citizen_client(client, citizen, profile):
    client.force_login(citizen)
    return client


BIRTH_ANSWERS = {
    "ho_ten_tre": "NGUYỄN MINH KHANG",
    "gioi_tinh": "nam",
    "ngay_sinh_tre": "2026-11-02",
    "noi_sinh_loai": "co_so_y_te",
    "ten_co_so_y_te": "Bệnh viện Đa khoa tỉnh Gia Lai",
    "dan_toc_tre": "Kinh",
    "ho_ten_me": "Trần Thị Mai",
    "ho_ten_cha": "Nguyễn Văn An",
    "quan_he": "cha",
}


@pytest.fixture
def answers():
    return dict(BIRTH_ANSWERS)


@pytest.fixture
def pdf_bytes():
    return pdf()


@pytest.fixture
def helper(db, units, agencies):
    """A member of the Pleiku ward's community digital technology team."""
    person = User.objects.create_user(
        "tocns.xuan", password=PASSWORD, full_name="Nguyễn Thị Thanh Xuân", kind="citizen"
    )
    team = CommunityTeam.objects.create(
        name="Tổ CNS phường Pleiku", commune=units[1], agency=agencies["ward"]
    )
    CommunityHelper.objects.create(team=team, user=person, valid_from=dt.date(2025, 7, 1))
    return person
