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


@pytest.fixture
def construction(world):
    """The Sở Xây dựng, on the exchange hub with its seal (it signs the status messages it sends back)."""
    from congso.exchange.testing import seal_for

    agency = world.agencies["construction"]
    seal_for(agency)
    return agency


@pytest.fixture(scope="session")
def _hub_server():
    from congso.exchange.testing import running_hub

    with running_hub() as (hub, url):
        yield hub, url


@pytest.fixture
def hub(_hub_server, settings):
    """The local exchange hub (a clean one for each test) that the documents' packets travel through."""
    hub, url = _hub_server
    hub.__init__()
    settings.CONGSO_EXCHANGE_HUB_URL = url
    settings.CONGSO_EXCHANGE_RETRY_SECONDS = 30
    return hub
