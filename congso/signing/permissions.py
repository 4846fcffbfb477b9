"""Who may manage keys, sign with them, and check documents."""

from django.db.models import Q
from django.utils import timezone

from congso.core.permissions import public, rule
from congso.directory.models import Membership, Role

#: Roles that may apply an agency's seal (issue slips and results on its behalf).
SEAL_ROLES = (Role.CLERK, Role.CLERICAL, Role.LEADER)
#: Roles that may import keys for an agency.
KEY_ADMIN_ROLES = (Role.AGENCY_ADMIN, Role.SYSADMIN)


def has_role_at(user, roles, agency) -> bool:
    """A current membership with one of ``roles`` at ``agency`` or over a parent's sub-tree."""
    if user is None or not getattr(user, "is_authenticated", False) or agency is None:
        return False
    today = timezone.localdate()
    current = Membership.objects.filter(user=user, role__in=roles, valid_from__lte=today).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gt=today)
    )
    if current.filter(agency=agency).exists():
        return True
    ancestors = [int(p) for p in agency.path.strip("/").split("/") if p]
    return current.filter(agency_id__in=ancestors, include_subtree=True).exists()


def _is_sysadmin(user) -> bool:
    if getattr(user, "is_superuser", False):
        return True
    return Membership.objects.filter(user=user, role=Role.SYSADMIN).exists()


@rule("signing.manage_keys")
def manage_keys(user, agency=None):
    """Import or retire keys and trust anchors: system admins anywhere, agency admins for their agency."""
    if _is_sysadmin(user):
        return True
    return agency is not None and has_role_at(user, KEY_ADMIN_ROLES, agency)


@rule("signing.use_key")
def use_key(user, key):
    """A personal key only by its owner; a seal by one-stop, clerical and leading staff of the agency."""
    if key is None or not key.is_active:
        return False
    if key.kind == "personal":
        return key.user_id is not None and key.user_id == user.pk
    return has_role_at(user, SEAL_ROLES, key.agency)


@rule("signing.verify")
@public
def verify(user, obj=None):
    return True


@rule("signing.view_record")
@public
def view_record(user, document=None):
    """The QR record shows only code, agency, date and hash: public by design."""
    return True
