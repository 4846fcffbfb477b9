"""Who may do what in the catalogue.

- Everyone (anonymous included) reads the public catalogue.
- An agency administrator manages the offerings of their agency — and of its sub-tree when the
  membership says ``include_subtree``. A system administrator manages every agency and imports.
"""

from django.utils import timezone

from congso.core.permissions import public, rule
from congso.directory.models import Agency, Membership, Role


def _active_memberships(user, roles):
    today = timezone.localdate()
    return (
        Membership.objects.filter(user=user, role__in=roles, valid_from__lte=today)
        .exclude(valid_to__isnull=False, valid_to__lte=today)
        .select_related("agency")
    )


def is_system_admin(user) -> bool:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return user.is_superuser or _active_memberships(user, [Role.SYSADMIN]).exists()


def managed_agencies(user):
    """The agencies whose offerings this user may manage (a queryset)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Agency.objects.none()
    if is_system_admin(user):
        return Agency.objects.filter(is_active=True)
    direct, subtree_paths = set(), []
    for membership in _active_memberships(user, [Role.AGENCY_ADMIN]):
        direct.add(membership.agency_id)
        if membership.include_subtree:
            subtree_paths.append(membership.agency.path)
    from django.db.models import Q

    condition = Q(pk__in=direct)
    for path in subtree_paths:
        condition |= Q(path__startswith=path)
    return Agency.objects.filter(condition, is_active=True)


@public
@rule("catalog.view")
def view(user, obj=None) -> bool:
    return True


@rule("catalog.manage_offerings")
def manage_offerings(user, agency) -> bool:
    if agency is None:
        return managed_agencies(user).exists()
    if is_system_admin(user):
        return True
    for membership in _active_memberships(user, [Role.AGENCY_ADMIN]):
        if membership.agency_id == agency.pk:
            return True
        if membership.include_subtree and agency.path.startswith(membership.agency.path):
            return True
    return False


@rule("catalog.import")
def import_catalogue(user, obj=None) -> bool:
    return is_system_admin(user)
