"""Fixtures: two commune service centres of Gia Lai with counters, services and their staff."""

import datetime

import pytest

from congso.accounts.models import User
from congso.directory.models import AdministrativeUnit, Agency, Membership, Role

from ..models import Counter, TicketService

SINCE = datetime.date(2025, 7, 1)


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def province(db):
    return AdministrativeUnit.objects.create(
        code="52", name="Tỉnh Gia Lai", kind=AdministrativeUnit.Kind.PROVINCE, level=1
    )


def _centre(province, unit_code, unit_name, code):
    unit = AdministrativeUnit.objects.create(
        code=unit_code, name=unit_name, kind=AdministrativeUnit.Kind.WARD, level=3, parent=province
    )
    return Agency.objects.create(
        code=code,
        name=f"Trung tâm Phục vụ hành chính công {unit_name.lower()}",
        kind=Agency.Kind.SERVICE_CENTRE,
        unit=unit,
    )


@pytest.fixture
def centre(province):
    return _centre(province, "23575", "Phường Pleiku", "H21.23575.01")


@pytest.fixture
def other_centre(province):
    return _centre(province, "21583", "Phường Quy Nhơn", "H21.21583.01")


@pytest.fixture
def services(centre):
    return {
        "U": TicketService.objects.create(
            centre=centre, prefix="U", name="Ưu tiên", is_priority=True, typical_minutes=10
        ),
        "A": TicketService.objects.create(
            centre=centre, prefix="A", name="Hộ tịch – chứng thực", typical_minutes=8
        ),
        "B": TicketService.objects.create(
            centre=centre, prefix="B", name="Đất đai – xây dựng", typical_minutes=15
        ),
    }


@pytest.fixture
def counters(centre, services):
    one = Counter.objects.create(centre=centre, number=1, label="Tư pháp – hộ tịch")
    one.services.set([services["U"], services["A"]])
    two = Counter.objects.create(centre=centre, number=2, label="Địa chính – xây dựng")
    two.services.set([services["A"], services["B"]])
    return {1: one, 2: two}


def _user(username, full_name, kind=User.Kind.OFFICIAL):
    return User.objects.create_user(
        username, password="mat-khau-rat-dai-2026", full_name=full_name, kind=kind
    )


@pytest.fixture
def citizen(db):
    return _user("nguyen.van.an", "Nguyễn Văn An", kind=User.Kind.CITIZEN)


@pytest.fixture
def clerk(centre):
    user = _user("tran.thi.hoa", "Trần Thị Hoa")
    Membership.objects.create(
        user=user, agency=centre, role=Role.CLERK, position="Công chức Tư pháp – Hộ tịch", valid_from=SINCE
    )
    return user


@pytest.fixture
def second_clerk(centre):
    user = _user("ro.cham.hyen", "Rơ Châm Hyên")
    Membership.objects.create(
        user=user, agency=centre, role=Role.CLERK, position="Công chức Địa chính", valid_from=SINCE
    )
    return user


@pytest.fixture
def other_clerk(other_centre):
    user = _user("le.van.binh", "Lê Văn Bình")
    Membership.objects.create(user=user, agency=other_centre, role=Role.CLERK, valid_from=SINCE)
    return user


@pytest.fixture
def agency_admin(centre):
    user = _user("pham.quoc.viet", "Phạm Quốc Việt")
    Membership.objects.create(
        user=user, agency=centre, role=Role.AGENCY_ADMIN, position="Phó Giám đốc Trung tâm", valid_from=SINCE
    )
    return user
