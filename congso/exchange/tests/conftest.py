"""Fixtures of the exchange tests: Gia Lai's agencies and staff, seals for two agencies, a live hub."""

import pytest

from congso.directory.testing import build_world
from congso.exchange import testing
from congso.signing import keystore


@pytest.fixture(autouse=True)
def _fresh_signer_cache():
    keystore.forget_cached_signers()
    yield


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def province(world):
    """Ủy ban nhân dân tỉnh Gia Lai: the sender."""
    agency = world.agencies["province_pc"]
    testing.seal_for(agency)
    return agency


@pytest.fixture
def justice(world):
    """Sở Tư pháp tỉnh Gia Lai: the receiver."""
    agency = world.agencies["justice"]
    testing.seal_for(agency)
    return agency


@pytest.fixture(scope="session")
def _hub_server():
    with testing.running_hub() as (hub, url):
        yield hub, url


@pytest.fixture
def hub(_hub_server, settings):
    hub, url = _hub_server
    hub.__init__()  # a clean hub for each test (same server)
    settings.CONGSO_EXCHANGE_HUB_URL = url
    settings.CONGSO_EXCHANGE_RETRY_SECONDS = 30
    return hub


@pytest.fixture
def signed_pdf(province):
    return testing.signed_pdf(testing.seal_for(province))
