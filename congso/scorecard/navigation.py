"""The service index in officials' workspace navigation (core.navigation.workspace_links)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from congso.core.navigation import WorkLink
from congso.directory.scope import has_any_role

from .permissions import VIEW_ROLES


def workspace_entries(user) -> list[WorkLink]:
    if not has_any_role(user, (r for r in VIEW_ROLES if r != "officer")):
        return []
    return [WorkLink(_("Chỉ số phục vụ (766)"), reverse("scorecard:public"), order=46)]
