"""Who may run the integration platform (subscribers, dead letters, health): system administrators."""

from congso.core.permissions import rule
from congso.directory.scope import is_sysadmin


@rule("integration.view")
def view(user, obj=None) -> bool:
    return is_sysadmin(user)


@rule("integration.manage")
def manage(user, obj=None) -> bool:
    return is_sysadmin(user)
