"""The catalogue as other apps use it (dossiers filed under a version, the portal's look-up): these tests
need apps above the catalogue, so they live outside its package. The catalogue's fixtures serve them."""

from congso.catalog.tests.conftest import (  # noqa: F401 — fixtures
    agencies,
    imported,
    make_official,
    pleiku_admin,
    samples,
    units,
)
