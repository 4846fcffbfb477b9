"""Who may see and report on dossiers. Acting on a dossier is decided by workflow.py's transitions."""

from congso.core.permissions import rule
from congso.directory.models import Role
from congso.directory.scope import has_any_role, is_sysadmin, roles_at

from .services.roles import acts_as_applicant, counter_roles

STAFF_ROLES = {Role.CLERK, Role.OFFICER, Role.LEADER, Role.CLERICAL, Role.AGENCY_ADMIN, Role.IOC_VIEWER}
#: Those who handle a dossier: they read what the applicant declared and print its slips.
HANDLING_ROLES = {Role.CLERK, Role.OFFICER, Role.LEADER, Role.CLERICAL}
#: Who prints which one-stop slip (dossiers.slips), beyond the receiving counter's clerks: the receipt
#: and the counter's notices by the agency's leaders and văn thư too; the control sheet, which follows
#: the dossier from hand to hand, by everyone who handles it.
SLIP_ROLES = {
    "receipt": {Role.CLERK, Role.LEADER, Role.CLERICAL},
    "submission": {Role.CLERK, Role.LEADER, Role.CLERICAL},
    "supplement": {Role.CLERK, Role.LEADER, Role.CLERICAL},
    "refusal": {Role.CLERK, Role.LEADER, Role.CLERICAL},
    "apology": {Role.CLERK, Role.LEADER, Role.CLERICAL},
    "stop": {Role.CLERK, Role.LEADER, Role.CLERICAL},
    "control": HANDLING_ROLES,
}
#: Who sees the applicant's personal data: those who handle dossiers and their agency's administrators;
#: the operations centre (IOC) does not (it gets dossiers masked, selectors.masked).
PERSONAL_DATA_ROLES = STAFF_ROLES - {Role.IOC_VIEWER}


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
    if not has_any_role(user, PERSONAL_DATA_ROLES):  # e.g. an operations-centre viewer: no query a dossier
        return False
    if Role.CLERK in counter_roles(user, dossier.receiving_agency):
        return True
    agencies = {
        dossier.current_agency,
        dossier.receiving_agency,
        *(run.agency for run in dossier.step_runs.select_related("agency")),
    }
    return any(roles_at(user, agency) & PERSONAL_DATA_ROLES for agency in agencies)


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


def _handling_roles(user, dossier) -> set[str]:
    """The user's roles over the dossier wherever it is or was handled: the receiving counter (a
    service centre's clerk for the agencies the centre serves), the current agency, and every agency
    of its steps so far."""
    roles = counter_roles(user, dossier.receiving_agency) & {Role.CLERK}
    agencies = {dossier.receiving_agency, dossier.current_agency}
    agencies |= {run.agency for run in dossier.step_runs.select_related("agency")}
    for agency in agencies:
        roles |= roles_at(user, agency) & HANDLING_ROLES
    return roles


@rule("dossiers.view_declared")
def view_declared(user, dossier) -> bool:
    """What the applicant declared (personal data): the applicant and those who handle the dossier —
    not the operations centre's viewers nor administrators, who see codes, states and dates."""
    if user.pk in (dossier.applicant_id, dossier.assisted_by_id) and acts_as_applicant(user, dossier):
        return True
    return bool(_handling_roles(user, dossier))


@rule("dossiers.print_slip")
def print_slip(user, target) -> bool:
    """Print a one-stop slip, ``target`` = (dossier, slip key). The clerk who receives it — also a
    service centre's clerk, whose membership is at the centre, not at the agency it receives for — and
    the roles of ``SLIP_ROLES`` where the dossier is or was handled. The slip is sealed with the
    receiving agency's seal on the platform's behalf once this rule allows it (slips.get_or_issue); the
    seal itself (``signing.use_key``) stays with the agency's own staff for everything else."""
    dossier, key = target
    wanted = SLIP_ROLES.get(key)
    return bool(wanted) and bool(_handling_roles(user, dossier) & wanted)
