"""The demo data set, assembled from each app's own ``demo.py``.

Each app that contributes demo data has a module ``congso.<app>.demo`` with
``load(out) -> list[tuple[str, str, str]]`` returning the demo logins it created
(role, username, password). Steps run in DEMO_STEPS order, every one idempotent.
"""

from importlib import import_module

DEMO_STEPS = [
    "congso.directory.demo",
    "congso.accounts.demo",
    "congso.catalog.demo",
    "congso.signing.demo",
    "congso.counters.demo",
    "congso.dossiers.demo",
    "congso.datastore.demo",
    "congso.payments.demo",
    "congso.portal.demo",
    "congso.tracking.demo",
    "congso.notifications.demo",
    "congso.ratings.demo",
]


def load_all(out) -> list[tuple[str, str, str]]:
    logins: list[tuple[str, str, str]] = []
    for module_name in DEMO_STEPS:
        try:
            module = import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
            continue
        logins.extend(module.load(out) or [])
    return logins
