import pytest

from congso.voting.testing import build_world


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(db):
    return build_world()


def member_ids(world) -> list[int]:
    return [world.users[f"member{i}"].pk for i in range(1, 6)]
