"""Dossier fixtures (a Gia Lai ward, its staff, a citizen) plus a system administrator and a clean SMS outbox."""

import pytest

from congso.accounts.models import User
from congso.directory.models import Membership, Role
from congso.dossiers.tests.conftest import *  # noqa: F403
from congso.notifications.sms import LocmemBackend


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def sms_outbox():
    LocmemBackend.outbox.clear()
    yield LocmemBackend.outbox
    LocmemBackend.outbox.clear()


@pytest.fixture
def sysadmin(agencies):
    user = User.objects.create_user(
        "qt.hethong",
        password="Mat-khau-dai-2026!",
        full_name="Phạm Minh Tuấn",
        kind="official",
        email="qt.hethong@gialai.gov.vn",
    )
    Membership.objects.create(user=user, agency=agencies["justice"], role=Role.SYSADMIN, position="Quản trị")
    return user
