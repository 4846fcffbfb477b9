"""The service index in officials' workspace navigation (core.navigation.workspace_links)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from congso.core.navigation import WorkLink
from congso.directory.scope import has_any_role

from .permissions import DASHBOARD_ROLES, VIEW_ROLES


def workspace_entries(user) -> list[WorkLink]:
    links = []
    if has_any_role(user, DASHBOARD_ROLES):
        links.append(WorkLink(_("Điều hành"), reverse("scorecard:dashboard"), order=45))
    if has_any_role(user, (r for r in VIEW_ROLES if r != "officer")):
        links.append(WorkLink(_("Chỉ số phục vụ (766)"), reverse("scorecard:public"), order=46))
    return links
