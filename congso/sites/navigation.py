"""The portals in officials' workspace navigation (core.navigation.workspace_links)."""

from django.utils.translation import gettext_lazy as _

from congso.core.navigation import WorkLink
from congso.directory.models import Role
from congso.directory.scope import has_any_role

EDITING_ROLES = (Role.WEB_EDITOR, Role.WEB_APPROVER)


def workspace_entries(user) -> list[WorkLink]:
    if has_any_role(user, EDITING_ROLES):
        return [WorkLink(_("Biên tập cổng thông tin"), "/cms/", order=70)]
    return []
