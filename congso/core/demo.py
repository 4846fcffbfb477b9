"""The demo data set, assembled from each app's own ``demo.py``.

Each app that contributes demo data has a module ``<app package>.demo`` with
``load(out) -> list[tuple[str, str, str]]`` returning the demo logins it created
(role, username, password). Steps are discovered, not listed: every installed app whose package has a
``demo`` module, in ``INSTALLED_APPS`` order — which follows the layers (directory before accounts,
catalogue before dossiers…), so an app's demo finds what the apps below it made. Every step is
idempotent. A ``demo`` module that exists but fails to import is an error, not a skipped step.
"""

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps

# This module itself: core's demo is the orchestrator, not a step.
_ORCHESTRATOR = __name__


def demo_steps() -> list[str]:
    """Dotted names of the demo modules, in INSTALLED_APPS order (project apps only)."""
    steps = []
    for config in apps.get_app_configs():
        if not config.name.startswith("congso."):
            continue
        name = f"{config.name}.demo"
        if name != _ORCHESTRATOR and find_spec(name) is not None:
            steps.append(name)
    return steps


def load_all(out) -> list[tuple[str, str, str]]:
    """Every app's demo data, in INSTALLED_APPS order; the logins to print, each account once (two apps
    may name one person: the leader who approves dossiers also approves feedback answers, and the first
    description is kept)."""
    logins: list[tuple[str, str, str]] = []
    for module_name in demo_steps():
        module = import_module(module_name)  # exists (find_spec): an import error here is a real error
        logins.extend(module.load(out) or [])
    seen: set[str] = set()
    return [login for login in logins if not (login[1] in seen or seen.add(login[1]))]
