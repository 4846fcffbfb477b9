"""The one-stop's fixtures (a ward of Gia Lai, the Department of Justice, every role staffed)."""

import pytest

from congso.dossiers.tests.conftest import *  # noqa: F403


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
