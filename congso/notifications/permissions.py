"""Who may see the notification outbox and send notices again: system administrators only."""

from congso.core.permissions import rule
from congso.directory.scope import is_sysadmin


@rule("notifications.view_outbox")
def view_outbox(user, obj=None) -> bool:
    return is_sysadmin(user)


@rule("notifications.resend")
def resend(user, notification=None) -> bool:
    return is_sysadmin(user)
