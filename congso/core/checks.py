"""System checks of the shared platform, run at start-up (``congso serve``, ``migrate``, ``check``)."""

from django.core import checks
from django.core.files.storage import storages
from django.db import connections

from .hooks import Provider, all_hooks
from .txfiles import RollbackCleanupMixin, TransactionalFilesMixin


@checks.register("congso")
def check_providers(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """Every Provider extension point has its implementation once the apps are ready (ADR 0090)."""
    return [
        checks.Error(
            f"No installed app provides the extension point {name!r}.",
            hint=hook.doc,
            id="congso.E010",
        )
        for name, hook in sorted(all_hooks().items())
        if isinstance(hook, Provider) and not hook.provided
    ]


@checks.register("congso")
def check_rollback_cleanup(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """Files written for a transaction that rolls back are removed only when both the database engine
    and the default storage take part (ADR 0141); otherwise only ``congso storage sweep`` removes them."""
    found = []
    for alias in connections:
        if not isinstance(connections[alias], RollbackCleanupMixin):
            found.append(
                checks.Warning(
                    f"The database engine of {alias!r} ({connections[alias].settings_dict['ENGINE']}) does "
                    "not remove the files of transactions that roll back.",
                    hint="Use congso.core.db.postgresql or congso.core.db.sqlite3 (ADR 0141), or run "
                    "`congso storage sweep` often.",
                    id="congso.W020",
                )
            )
    if not isinstance(storages["default"], TransactionalFilesMixin):
        found.append(
            checks.Warning(
                f"The default storage ({type(storages['default']).__name__}) does not report the files it "
                "writes, so the files of transactions that roll back are left behind.",
                hint="Add congso.core.txfiles.TransactionalFilesMixin to it (ADR 0141), or run "
                "`congso storage sweep` often.",
                id="congso.W021",
            )
        )
    return found
