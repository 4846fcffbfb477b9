"""Who may do what with queue tickets (see congso.core.permissions).

- Anyone, signed in or not (a kiosk, a phone), may take a number, follow their ticket and watch
  the display board. Abuse is held back by rate limits (congso.counters.ratelimit).
- Clerks (``Role.CLERK``) of a centre call, recall, serve, finish, skip and transfer its tickets.
- An agency administrator of the centre (or of an agency above it, with ``include_subtree``) and
  system administrators configure counters and services and read the statistics.
"""

from congso.core.permissions import public, rule
from congso.directory.models import Agency, Role
from congso.directory.scope import has_role, is_sysadmin


def _centre_of(obj) -> Agency | None:
    if obj is None:
        return None
    if isinstance(obj, Agency):
        return obj
    return getattr(obj, "centre", None)


@rule("counters.take")
@public
def take(user, service) -> bool:
    """Take a number: anyone, for an active service of an active centre."""
    return bool(service is not None and service.is_active and service.centre.is_active)


@rule("counters.follow")
@public
def follow(user, ticket) -> bool:
    """Follow a ticket: whoever holds its link (the unguessable token is the secret)."""
    return ticket is not None


@rule("counters.view_display")
@public
def view_display(user, centre) -> bool:
    return centre is not None and centre.is_active


@rule("counters.operate")
def operate(user, obj) -> bool:
    """Call, recall, serve, finish, skip, transfer: clerks of that centre."""
    return has_role(user, [Role.CLERK], _centre_of(obj))


@rule("counters.configure")
def configure(user, obj) -> bool:
    """Create and change counters and ticket services: agency admins of the centre, system admins."""
    return is_sysadmin(user) or has_role(user, [Role.AGENCY_ADMIN], _centre_of(obj))


@rule("counters.view_stats")
def view_stats(user, obj) -> bool:
    centre = _centre_of(obj)
    return is_sysadmin(user) or has_role(
        user, [Role.CLERK, Role.AGENCY_ADMIN, Role.LEADER, Role.IOC_VIEWER], centre
    )
