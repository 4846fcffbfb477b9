"""Who may manage keys, sign with them, and check documents."""

from congso.core.permissions import public, rule
from congso.directory.models import Role
from congso.directory.scope import has_role, is_sysadmin

#: Roles that may apply an agency's seal (issue slips and results on its behalf).
SEAL_ROLES = (Role.CLERK, Role.CLERICAL, Role.LEADER)
#: Roles that may import keys for an agency.
KEY_ADMIN_ROLES = (Role.AGENCY_ADMIN, Role.SYSADMIN)


@rule("signing.manage_keys")
def manage_keys(user, agency=None):
    """Import or retire keys and trust anchors: system admins anywhere, agency admins for their agency."""
    if is_sysadmin(user):
        return True
    return agency is not None and has_role(user, KEY_ADMIN_ROLES, agency)


@rule("signing.use_key")
def use_key(user, key):
    """A personal key only by its owner; a seal by one-stop, clerical and leading staff of the agency."""
    if key is None or not key.is_active:
        return False
    if key.kind == "personal":
        return key.user_id is not None and key.user_id == user.pk
    return has_role(user, SEAL_ROLES, key.agency)


@rule("signing.verify")
@public
def verify(user, obj=None):
    return True


@rule("signing.view_record")
@public
def view_record(user, document=None):
    """The QR record shows only code, agency, date and hash: public by design."""
    return True
