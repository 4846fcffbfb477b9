import pytest

from congso.meetings import testing
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
def session(world):
    """(meeting, item 1, item 2 closed) of the ward's People's Committee, a week ahead."""
    return testing.schedule_session(world)
