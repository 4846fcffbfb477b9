"""Who may see and report on dossiers. Acting on a dossier is decided by workflow.py's transitions."""

from congso.core.permissions import rule
from congso.directory.models import Role
from congso.directory.scope import is_sysadmin, roles_at

from .services.roles import acts_as_applicant, counter_roles

STAFF_ROLES = {Role.CLERK, Role.OFFICER, Role.LEADER, Role.CLERICAL, Role.AGENCY_ADMIN, Role.IOC_VIEWER}
# Those who handle dossiers see the applicant's personal data; the operations centre (IOC) does not.
HANDLING_ROLES = STAFF_ROLES - {Role.IOC_VIEWER}


@rule("dossiers.view")
def view_dossier(user, dossier) -> bool:
    if user.pk in (dossier.applicant_id, dossier.assisted_by_id) and acts_as_applicant(user, dossier):
        return True
    if roles_at(user, dossier.current_agency) & STAFF_ROLES:
        return True
    if Role.CLERK in counter_roles(user, dossier.receiving_agency):
        return True
    # The receiving counter and every agency the dossier passed through keep read access.
    agencies = {dossier.receiving_agency, *(run.agency for run in dossier.step_runs.select_related("agency"))}
    return any(roles_at(user, agency) & STAFF_ROLES for agency in agencies)


@rule("dossiers.view_personal_data")
def view_personal_data(user, dossier) -> bool:
    """The applicant's personal data (name in full, CCCD, phone, e-mail, address), the declared form
    data and the files: the applicant, and the officials who handle the dossier (the receiving counter,
    and every agency it is at or passed through). The operations centre's viewers see the dossier's
    code, states and dates with personal data masked (``selectors.masked``)."""
    if user.pk in (dossier.applicant_id, dossier.assisted_by_id) and acts_as_applicant(user, dossier):
        return True
    if Role.CLERK in counter_roles(user, dossier.receiving_agency):
        return True
    agencies = {
        dossier.current_agency,
        dossier.receiving_agency,
        *(run.agency for run in dossier.step_runs.select_related("agency")),
    }
    return any(roles_at(user, agency) & HANDLING_ROLES for agency in agencies)


@rule("dossiers.receive")
def receive_at(user, agency) -> bool:
    return Role.CLERK in counter_roles(user, agency)


@rule("dossiers.report")
def report_on(user, agency) -> bool:
    """Log book and statistics of an agency: its leaders, clerks, administrators and the operations centre."""
    return bool(roles_at(user, agency) & {Role.CLERK, Role.LEADER, Role.AGENCY_ADMIN, Role.IOC_VIEWER})


@rule("dossiers.manage_process")
def manage_process(user, agency) -> bool:
    """Process templates of an agency: its administrators (and those of an agency above it with the
    sub-tree), and system administrators everywhere."""
    return is_sysadmin(user) or Role.AGENCY_ADMIN in roles_at(user, agency)
