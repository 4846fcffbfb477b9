import pytest

from congso.documents import testing
from congso.signing import keystore


@pytest.fixture(autouse=True)
def _fresh_signer_cache():
    keystore.forget_cached_signers()
    yield
    keystore.forget_cached_signers()


@pytest.fixture
def world(db):
    return testing.build_world()


@pytest.fixture
def keys(world):
    return testing.keys_for(world.agencies["justice"], world.users["leader"], "Giám đốc Sở")
