"""Who may send, answer and watch inter-agency exchange: văn thư of the agency, and system administrators."""

from congso.core.permissions import rule
from congso.directory.models import Role
from congso.directory.scope import has_role, is_sysadmin

EXCHANGE_ROLES = (Role.CLERICAL,)


@rule("exchange.send")
def send(user, agency) -> bool:
    """Send a document or a packet again for ``agency``: its văn thư (the documents app calls on their behalf)."""
    return has_role(user, EXCHANGE_ROLES, agency) or is_sysadmin(user)


@rule("exchange.report_status")
def report_status(user, agency) -> bool:
    """Report a received document's status: văn thư, handlers and leaders of the receiving agency."""
    return has_role(user, (Role.CLERICAL, Role.LEADER, Role.OFFICER), agency) or is_sysadmin(user)


@rule("exchange.view")
def view(user, agency=None) -> bool:
    """The outbox and inbox: an agency's văn thư (``agency`` given), or any system administrator."""
    if is_sysadmin(user):
        return True
    if agency is None:
        return False
    return has_role(user, EXCHANGE_ROLES, agency)
