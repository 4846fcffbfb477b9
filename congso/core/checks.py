"""System checks of the shared platform, run at start-up (``congso serve``, ``migrate``, ``check``)."""

from django.core import checks

from .hooks import Provider, all_hooks


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
