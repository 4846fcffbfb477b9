"""Who holds which role where: the scoping API every app uses.

    from congso.directory.scope import agencies_for, has_role
    from congso.directory.models import Role

    has_role(user, Role.CLERK, agency)          # at this agency, or an ancestor with include_subtree
    agencies_for(user, Role.CLERK)              # queryset: every agency where the user acts as clerk
    agencies_for(user)                          # any role
    is_sysadmin(user)                           # superuser or an active SYSADMIN membership

A membership counts only while it is valid (valid_from <= today < valid_to). A system
administrator holds no other role implicitly (separation of duties); rules that let system
administrators in say so explicitly.

Inside a ``core.memo.scope()`` (the officials' menu, a read-only computation that asks these questions
dozens of times), the user's memberships are read once and every answer comes from that list, by the
same rules as the queries below.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import reduce
from operator import or_

from django.db.models import Q, QuerySet
from django.utils import timezone

from congso.core import memo
from congso.core.compiled import CompiledQuery

from .models import Agency, Membership, Role


def _roles(role) -> list[str] | None:
    if role is None:
        return None
    if isinstance(role, str):
        return [str(role)]
    return [str(r) for r in role]


def active_memberships(user, role: str | Iterable[str] | None = None, day=None) -> QuerySet[Membership]:
    if user is None or not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return Membership.objects.none()
    day = day or timezone.localdate()
    qs = Membership.objects.filter(user=user, valid_from__lte=day).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gt=day)
    )
    roles = _roles(role)
    if roles is not None:
        qs = qs.filter(role__in=roles)
    return qs.select_related("agency")


def _signed_in(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False) and getattr(user, "is_active", False)


def _remembered(user) -> list[Membership]:
    """The user's memberships valid today, read once per ``core.memo`` scope."""
    day = timezone.localdate()
    return memo.cached(
        ("directory.memberships", user.pk, day), lambda: list(active_memberships(user, day=day))
    )


def _covers(membership: Membership, agency: Agency, paths: set[str]) -> bool:
    return membership.agency_id == agency.pk or (
        membership.include_subtree and membership.agency.path in paths
    )


def ancestor_paths(agency: Agency) -> list[str]:
    """'/1/5/9/' -> ['/1/', '/1/5/', '/1/5/9/']."""
    parts = [p for p in agency.path.split("/") if p]
    return ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


def has_role(user, role: str | Iterable[str], agency: Agency | None) -> bool:
    """True if the user holds `role` (or one of the roles) at `agency` or over it through a sub-tree."""
    if agency is None:
        return False
    if memo.active():
        roles, paths = set(_roles(role)), set(ancestor_paths(agency))
        return _signed_in(user) and any(
            m.role in roles and _covers(m, agency, paths) for m in _remembered(user)
        )
    return (
        active_memberships(user, role)
        .filter(Q(agency_id=agency.pk) | Q(include_subtree=True, agency__path__in=ancestor_paths(agency)))
        .exists()
    )


def has_any_role(user, role: str | Iterable[str] | None = None) -> bool:
    if memo.active():
        roles = _roles(role)
        return _signed_in(user) and any(roles is None or m.role in roles for m in _remembered(user))
    return active_memberships(user, role).exists()


def _roles_at_query(user_id, day, agency_id, paths):
    """Roles valid on ``day`` at the agency, or over it through an ancestor's include_subtree."""
    return (
        Membership.objects.filter(user_id=user_id, valid_from__lte=day)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=day))
        .filter(Q(agency_id=agency_id) | Q(include_subtree=True, agency__path__in=paths))
        .values_list("role")
    )


# every permission check of an official asks this: compiled once (congso.core.compiled)
_ROLES_AT = CompiledQuery(_roles_at_query, model=Membership)


def roles_at(user, agency: Agency) -> set[str]:
    """The roles the user holds at ``agency`` today (the same rule as ``active_memberships``)."""
    if user is None or not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return set()
    if memo.active():
        paths = set(ancestor_paths(agency))
        return {m.role for m in _remembered(user) if _covers(m, agency, paths)}
    rows = _ROLES_AT.rows(user.pk, timezone.localdate(), agency.pk, ancestor_paths(agency))
    return {role for (role,) in rows}


def agencies_for(user, role: str | Iterable[str] | None = None) -> QuerySet[Agency]:
    """Every agency where the user holds the role, including sub-trees of include_subtree memberships."""
    conditions = []
    if memo.active():
        roles = _roles(role)
        memberships = (
            [m for m in _remembered(user) if roles is None or m.role in roles] if _signed_in(user) else []
        )
    else:
        memberships = active_memberships(user, role)
    for m in memberships:
        conditions.append(Q(path__startswith=m.agency.path) if m.include_subtree else Q(pk=m.agency_id))
    if not conditions:
        return Agency.objects.none()
    return Agency.objects.filter(reduce(or_, conditions)).distinct()


def is_sysadmin(user) -> bool:
    if user is None or not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return False
    return bool(user.is_superuser) or has_any_role(user, Role.SYSADMIN)


def is_staff_member(user) -> bool:
    """An official with any active role (or a system administrator)."""
    return is_sysadmin(user) or has_any_role(user)
