"""Permission rules of the directory: units, agencies and staff roles.

An agency administrator manages their agency (and its sub-tree when the membership says so); a
system administrator manages everything. Nobody else manages anything here.
"""

from congso.core.permissions import public, rule

from .models import Role
from .scope import active_memberships, ancestor_paths, has_role, is_sysadmin


@rule("directory.view_directory")
@public
def view_directory(user, obj=None):
    """The list of agencies and units is public information."""
    return True


@rule("directory.manage_units")
def manage_units(user, obj=None):
    return is_sysadmin(user)


@rule("directory.manage_agency")
def manage_agency(user, agency):
    return is_sysadmin(user) or has_role(user, Role.AGENCY_ADMIN, agency)


@rule("directory.create_agency")
def create_agency(user, parent):
    """A top-level agency: system administrators. A child: whoever manages the parent's sub-tree."""
    if is_sysadmin(user):
        return True
    if parent is None:
        return False
    return (
        active_memberships(user, Role.AGENCY_ADMIN)
        .filter(include_subtree=True, agency__path__in=ancestor_paths(parent))
        .exists()
    )


@rule("directory.view_staff")
def view_staff(user, agency):
    return is_sysadmin(user) or has_role(user, (Role.AGENCY_ADMIN, Role.LEADER), agency)


@rule("directory.manage_staff")
def manage_staff(user, agency):
    return is_sysadmin(user) or has_role(user, Role.AGENCY_ADMIN, agency)


@rule("directory.grant_role")
def grant_role(user, membership):
    """Give or take a role. Only system administrators hand out the system-administrator role."""
    if is_sysadmin(user):
        return True
    if membership is None or membership.role == Role.SYSADMIN:
        return False
    return has_role(user, Role.AGENCY_ADMIN, membership.agency)


@rule("directory.admin_site")
def admin_site(user, obj=None):
    """Django's admin (/quan-tri-he-thong/) is for system administrators only."""
    return is_sysadmin(user)
