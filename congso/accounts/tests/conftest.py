import pytest

from congso.accounts.testing import build_world


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Argon2 is the production hasher (tested separately); tests create many users."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_oauth_server(settings):
    """django-oauth-toolkit caches its server per view class; tests switch OIDC on and off."""
    settings.OAUTH2_PROVIDER = {**settings.OAUTH2_PROVIDER, "ALWAYS_RELOAD_OAUTHLIB_CORE": True}


@pytest.fixture
def world(db):
    return build_world()
