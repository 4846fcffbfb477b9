"""The one place that answers "may this user do X on this object".

Each app declares its rules in its own ``permissions.py``:

    from congso.core.permissions import rule

    @rule("catalog.manage_offering")
    def manage_offering(user, offering):
        return has_role(user, Role.AGENCY_ADMIN, agency=offering.agency)

Views, API endpoints and services call ``can(user, action, obj)`` or ``require(...)``. Rule
modules are imported when Django starts (CoreConfig.ready), and an unknown action is a
programming error, never a silent "yes".
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.utils.translation import gettext as _

Rule = Callable[[object, object], bool]
_rules: dict[str, Rule] = {}


def rule(action: str):
    def register(func: Rule) -> Rule:
        if action in _rules and _rules[action] is not func:
            raise ImproperlyConfigured(f"permission rule {action!r} declared twice")
        _rules[action] = func
        return func

    return register


def actions() -> list[str]:
    return sorted(_rules)


def can(user, action: str, obj=None) -> bool:
    try:
        check = _rules[action]
    except KeyError:
        raise ImproperlyConfigured(f"no permission rule named {action!r}") from None
    if user is None or not getattr(user, "is_active", False):
        return bool(getattr(check, "allows_anonymous", False)) and check(user, obj)
    return bool(check(user, obj))


def require(user, action: str, obj=None, message: str | None = None) -> None:
    if not can(user, action, obj):
        raise PermissionDenied(message or _("Bạn không có quyền thực hiện thao tác này."))


def public(func: Rule) -> Rule:
    """Mark a rule as one that anonymous visitors may pass."""
    func.allows_anonymous = True
    return func


def autodiscover() -> None:
    for config in apps.get_app_configs():
        if config.name.startswith("congso."):
            try:
                import_module(f"{config.name}.permissions")
            except ModuleNotFoundError as exc:
                if exc.name != f"{config.name}.permissions":
                    raise
