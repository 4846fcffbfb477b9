"""Permission rules for citizens' identities, organisations and assisted service."""

from congso.core.permissions import rule
from congso.directory.models import Role
from congso.directory.scope import agencies_for, has_any_role, has_role, is_sysadmin

from .hooks import citizen_links
from .models import AssistanceConsent, Representative
from .services import is_representative

# Officials who meet citizens' dossiers and may open a citizen's profile (every read is audited).
CASE_ROLES = (Role.CLERK, Role.OFFICER, Role.LEADER)


@rule("accounts.view_citizen")
def view_citizen(user, citizen):
    """The citizen, a system administrator, or an official of a case role whose work links them to the
    citizen: a consent they recorded or one given to their agency's community team, or a link an app
    above registers in ``hooks.citizen_links`` (dossiers: a dossier of the citizen they may see)."""
    if citizen is None:
        return False
    if user.pk == citizen.pk:
        return True
    if is_sysadmin(user):
        return True
    if not has_any_role(user, CASE_ROLES):
        return False
    consents = AssistanceConsent.objects.filter(citizen=citizen)
    if consents.filter(recorded_by=user).exists():
        return True
    if consents.filter(team__agency__in=agencies_for(user, CASE_ROLES)).exists():
        return True
    return any(link(user, citizen) for link in citizen_links)


@rule("accounts.edit_profile")
def edit_profile(user, citizen):
    return citizen is not None and user.pk == citizen.pk


@rule("accounts.manage_team")
def manage_team(user, team):
    """Register teams and their members: the commune's agency administrator, or a system administrator."""
    if is_sysadmin(user):
        return True
    if team is None:
        return has_any_role(user, Role.AGENCY_ADMIN)
    return has_role(user, Role.AGENCY_ADMIN, team.agency)


@rule("accounts.record_consent")
def record_consent(user, citizen):
    """The citizen consents online; a one-stop clerk may record a signed paper consent."""
    if citizen is None:
        return False
    return user.pk == citizen.pk or has_any_role(user, Role.CLERK)


@rule("accounts.revoke_consent")
def revoke_consent(user, consent):
    return user.pk in (consent.citizen_id, consent.helper_id, consent.recorded_by_id) or is_sysadmin(user)


@rule("accounts.view_assistance_stats")
def view_assistance_stats(user, team=None):
    if is_sysadmin(user):
        return True
    roles = (Role.IOC_VIEWER, Role.LEADER, Role.AGENCY_ADMIN)
    if team is None:
        return has_any_role(user, roles)
    return agencies_for(user, roles).filter(pk=team.agency_id).exists()


@rule("accounts.act_for_organisation")
def act_for_organisation(user, organisation):
    return organisation is not None and is_representative(user, organisation)


@rule("accounts.manage_representatives")
def manage_representatives(user, organisation):
    return is_sysadmin(user) or is_representative(user, organisation, kind=Representative.Kind.LEGAL)
