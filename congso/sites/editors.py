"""Who may edit and approve which portal: Wagtail's groups and permissions kept in step with the directory.

The directory is the one source of truth (ADR 0166). An official with the role ``web_editor`` on a
portal's agency (or on an agency above it with ``include_subtree``) is an editor of that portal; with
``web_approver``, an approver. For each portal (``SiteHome``) there are two Wagtail groups:

- ``Biên tập — <code>``: add and edit pages under the portal's home, use the portal's collection of images
  and documents; no publish permission, so an editor submits to the moderation workflow;
- ``Duyệt — <code>``: the same plus publish, lock and unlock; the portal's workflow task is assigned to it.

Both may translate a page they can edit ("Dịch trang", ADR 0181); the portal's home in the English tree
gets the same page permissions and workflow as the Vietnamese one.

``sync_site`` creates the groups, the page and collection permissions and the workflow of a portal;
``sync_user`` sets a user's membership of every portal group from their directory roles (run on every
request to /cms/ by ``CMSAccessMiddleware``, and for everyone by ``congso sites_sync``). A group named by
no directory role is never given to anyone by hand: ``sync_user`` removes it.
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from congso.accounts.models import User
from congso.core import audit
from congso.directory.models import Role
from congso.directory.scope import has_role

from . import locales
from .models import SiteHome

EDITOR_PAGE_PERMS = ("add_page", "change_page")
APPROVER_PAGE_PERMS = ("add_page", "change_page", "publish_page", "lock_page", "unlock_page")
COLLECTION_PERMS = {
    "wagtailimages": ("add_image", "change_image", "choose_image"),
    "wagtaildocs": ("add_document", "change_document", "choose_document"),
}
GROUP_PREFIXES = ("Biên tập — ", "Duyệt — ")


def editor_group_name(home: SiteHome) -> str:
    return f"Biên tập — {home.agency.code}"


def approver_group_name(home: SiteHome) -> str:
    return f"Duyệt — {home.agency.code}"


def _perm(app_label: str, codename: str) -> Permission:
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def collection_of(home: SiteHome) -> Collection:
    """The portal's own collection of images and documents (a child of the root collection)."""
    name = f"Cổng {home.agency.code} — {home.agency.name}"[:255]
    root = Collection.get_first_root_node()
    existing = root.get_children().filter(name=name).first()
    return existing or root.add_child(name=name)


@transaction.atomic
def sync_site(home: SiteHome) -> tuple[Group, Group]:
    """Create (idempotently) the portal's groups, page and collection permissions and workflow."""
    editors, _ = Group.objects.get_or_create(name=editor_group_name(home))
    approvers, _ = Group.objects.get_or_create(name=approver_group_name(home))
    access = _perm("wagtailadmin", "access_admin")
    translate = _perm("simple_translation", "submit_translation")  # "Dịch trang" (ADR 0181)
    collection = collection_of(home)
    for group, perms in ((editors, EDITOR_PAGE_PERMS), (approvers, APPROVER_PAGE_PERMS)):
        group.permissions.add(access, translate)
        for codename in perms:
            GroupPagePermission.objects.get_or_create(
                group=group, page=home, permission=_perm("wagtailcore", codename)
            )
        for app_label, codenames in COLLECTION_PERMS.items():
            for codename in codenames:
                GroupCollectionPermission.objects.get_or_create(
                    group=group, collection=collection, permission=_perm(app_label, codename)
                )
    workflow, created = Workflow.objects.get_or_create(name=f"Duyệt tin, bài — {home.agency.code}")
    if created:
        task = GroupApprovalTask.objects.create(name=f"Lãnh đạo duyệt — {home.agency.code}")
        task.groups.set([approvers])
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    WorkflowPage.objects.update_or_create(page=home, defaults={"workflow": workflow})
    return editors, approvers


def _portal_groups():
    return Group.objects.filter(name__startswith=GROUP_PREFIXES[0]) | Group.objects.filter(
        name__startswith=GROUP_PREFIXES[1]
    )


def wanted_groups(user) -> set[str]:
    """The portal groups the directory gives ``user`` today."""
    names = set()
    if not (user and user.is_authenticated and getattr(user, "is_official", False)):
        return names
    for home in SiteHome.objects.filter(locales.in_source()).select_related("agency"):
        if has_role(user, Role.WEB_APPROVER, home.agency):
            names.add(approver_group_name(home))
        if has_role(user, Role.WEB_EDITOR, home.agency):
            names.add(editor_group_name(home))
    return names


@transaction.atomic
def sync_user(user) -> bool:
    """Set ``user``'s portal groups from the directory; True when something changed (audited)."""
    wanted = wanted_groups(user)
    current = {g.name: g for g in user.groups.all() if g.name.startswith(GROUP_PREFIXES)}
    added = wanted - current.keys()
    removed = current.keys() - wanted
    if not added and not removed:
        return False
    if added:
        user.groups.add(*Group.objects.filter(name__in=added))
    if removed:
        user.groups.remove(*(current[name] for name in removed))
    audit.record(
        "sites.editors_synced",
        obj=user,
        data={"added": sorted(added), "removed": sorted(removed)},
    )
    return True


def sync_all() -> int:
    """Every portal's groups, then every official's membership of them; returns the users changed."""
    for home in SiteHome.objects.select_related("agency"):
        sync_site(home)
    changed = 0
    for user in User.objects.filter(kind=User.Kind.OFFICIAL):
        changed += sync_user(user)
    for user in User.objects.filter(groups__in=_portal_groups()).exclude(kind=User.Kind.OFFICIAL).distinct():
        changed += sync_user(user)
    return changed
