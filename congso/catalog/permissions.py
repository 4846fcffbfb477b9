"""Who may do what in the catalogue.

- Everyone (anonymous included) reads the public catalogue.
- An agency administrator manages the offerings of their agency — and of its sub-tree when the
  membership says ``include_subtree``. A system administrator manages every agency, imports, and
  corrects procedures (withdrawal, online level), which an import never undoes.
"""

from congso.core.permissions import public, rule
from congso.directory.models import Agency, Role
from congso.directory.scope import agencies_for, has_role, is_sysadmin


def managed_agencies(user):
    """The agencies whose offerings this user may manage (a queryset)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Agency.objects.none()
    if is_sysadmin(user):
        return Agency.objects.filter(is_active=True)
    return agencies_for(user, Role.AGENCY_ADMIN).filter(is_active=True)


@public
@rule("catalog.view")
def view(user, obj=None) -> bool:
    return True


@rule("catalog.manage_offerings")
def manage_offerings(user, agency) -> bool:
    if agency is None:
        return managed_agencies(user).exists()
    return is_sysadmin(user) or has_role(user, Role.AGENCY_ADMIN, agency)


@rule("catalog.manage_procedures")
def manage_procedures(user, procedure=None) -> bool:
    """Withdraw or restore a procedure, correct its online level, say whether a local fee is allowed."""
    return is_sysadmin(user)


@rule("catalog.import")
def import_catalogue(user, obj=None) -> bool:
    return is_sysadmin(user)
