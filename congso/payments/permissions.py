"""Who may pay, see a payment or its receipt, and reconcile an agency's payments."""

from congso.core.permissions import rule
from congso.directory.models import Role
from congso.directory.scope import is_sysadmin, roles_at
from congso.dossiers.services import counter_roles

RECONCILE_ROLES = {Role.CLERK, Role.LEADER, Role.AGENCY_ADMIN, Role.IOC_VIEWER}
STAFF_ROLES = {Role.CLERK, Role.OFFICER, Role.LEADER, Role.CLERICAL, Role.AGENCY_ADMIN, Role.IOC_VIEWER}


def _counter_roles(user, agency) -> set[str]:
    return counter_roles(user, agency)


@rule("payments.pay")
def pay(user, dossier) -> bool:
    """Only the applicant, or the community helper who filed the dossier for them."""
    return user.pk is not None and user.pk in (dossier.applicant_id, dossier.assisted_by_id)


@rule("payments.view")
def view(user, payment) -> bool:
    """The payer and the dossier's applicant or helper (status pages, the return page)."""
    return user.pk in (payment.payer_id, payment.dossier.applicant_id, payment.dossier.assisted_by_id)


@rule("payments.view_receipt")
def view_receipt(user, payment) -> bool:
    """The payer, the applicant or helper, and staff of the collecting agency."""
    if view(user, payment):
        return True
    return bool(_counter_roles(user, payment.agency) & STAFF_ROLES)


@rule("payments.reconcile")
def reconcile(user, agency) -> bool:
    """Reconciliation of an agency: its counter clerks, leaders, administrators, the operations
    centre, and system administrators. Handling officers and văn thư do not see money."""
    if is_sysadmin(user):
        return True
    return bool((roles_at(user, agency) | _counter_roles(user, agency)) & RECONCILE_ROLES)
