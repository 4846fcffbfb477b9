"""The one-stop's fixtures (a ward of Gia Lai, the Department of Justice, every role staffed)."""

import pytest

from congso.accounts.models import User
from congso.directory.models import Agency, Membership, Role
from congso.dossiers.tests.conftest import *  # noqa: F403


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def province_pc(units):
    """The province's People's Committee: the platform's province, and the root of its scope."""
    province, _commune = units
    return Agency.objects.create(
        code="000.00.00.H21", name="Ủy ban nhân dân tỉnh Gia Lai", kind="peoples_committee", unit=province
    )


@pytest.fixture
def ioc(province_pc):
    user = User.objects.create_user(
        "ioc.gialai", password="Mat-khau-dai-2026!", full_name="Đặng Quốc Bảo", kind="official"
    )
    Membership.objects.create(user=user, agency=province_pc, role=Role.IOC_VIEWER, include_subtree=True)
    return user
