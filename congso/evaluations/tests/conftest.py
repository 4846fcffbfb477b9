import pytest

from congso.evaluations.hooks import metric_sources
from congso.evaluations.testing import TEST_SOURCE


@pytest.fixture(autouse=True)
def _forget_test_source():
    yield
    metric_sources.unregister(TEST_SOURCE)


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
