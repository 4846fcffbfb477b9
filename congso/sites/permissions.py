"""Who may do what with the portals (one place; Wagtail's page permissions are derived from these roles by
``congso.sites.editors``)."""

from congso.core.permissions import rule
from congso.directory.models import Role
from congso.directory.scope import has_role, is_sysadmin


@rule("sites.create_portal")
def create_portal(user, agency) -> bool:
    """Opening a unit's portal: a system administrator."""
    return is_sysadmin(user)


@rule("sites.edit")
def edit(user, home) -> bool:
    """Writing pages of a portal: its agency's web editors and approvers (from the directory)."""
    return has_role(user, (Role.WEB_EDITOR, Role.WEB_APPROVER), home.agency)


@rule("sites.publish")
def publish(user, home) -> bool:
    """Approving and publishing on a portal: its agency's web approvers."""
    return has_role(user, Role.WEB_APPROVER, home.agency)
