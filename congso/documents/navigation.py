"""Documents in officials' workspace navigation (core.navigation.workspace_links)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from congso.core.navigation import WorkLink
from congso.directory.models import Role
from congso.directory.scope import has_any_role


def workspace_entries(user) -> list[WorkLink]:
    if not has_any_role(user, [Role.OFFICER, Role.LEADER, Role.CLERICAL, Role.AGENCY_ADMIN]):
        return []
    links = [
        WorkLink(_("Văn bản, điều hành"), reverse("documents:inbox"), order=30),
        WorkLink(_("Giao việc"), reverse("documents:dashboard"), order=31),
    ]
    if has_any_role(user, [Role.CLERICAL, Role.AGENCY_ADMIN]):
        links.append(WorkLink(_("Sổ đăng ký văn bản"), reverse("documents:registers"), order=32))
    if has_any_role(user, [Role.AGENCY_ADMIN]):
        links.append(WorkLink(_("Quy trình duyệt dự thảo"), reverse("documents:review_chain"), order=33))
    return links
