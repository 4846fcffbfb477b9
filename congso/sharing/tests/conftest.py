import datetime

import pytest
from django.utils import timezone

from congso.accounts.testing import build_world
from congso.sharing import services
from congso.sharing.testing import api_client, social_insurance


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def bhxh(world):
    return social_insurance(world.units["province"])


@pytest.fixture
def application(world):
    return api_client()


def make_agreement(
    world, application, agency, *, scopes=("registry.population",), days=(-10, 365), number="12/TT-BHXH"
):
    today = timezone.localdate()
    return services.create_agreement(
        world.users["sysadmin"],
        application=application,
        agency=agency,
        number=number,
        scopes=list(scopes),
        purpose="Xác minh nhân thân người tham gia bảo hiểm xã hội, bảo hiểm y tế",
        legal_basis="Nghị định 13/2023/NĐ-CP; Thỏa thuận chia sẻ dữ liệu số 12/TT-BHXH",
        valid_from=today + datetime.timedelta(days=days[0]),
        valid_until=today + datetime.timedelta(days=days[1]),
    )


@pytest.fixture
def agreement(world, application, bhxh):
    return make_agreement(world, application, bhxh)
