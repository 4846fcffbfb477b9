"""Feedback in officials' workspace navigation (core.navigation.workspace_links)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from congso.core.navigation import WorkLink
from congso.core.permissions import can
from congso.directory.scope import has_any_role

from . import selectors
from .permissions import HANDLER_ROLES


def workspace_entries(user) -> list[WorkLink]:
    links = []
    if has_any_role(user, HANDLER_ROLES):
        count = selectors.inbox_counts(user).get("open", 0)
        links.append(WorkLink(_("Phản ánh, kiến nghị"), reverse("feedback:inbox"), count=count, order=40))
    if can(user, "feedback.manage"):
        links.append(WorkLink(_("Lĩnh vực phản ánh"), reverse("feedback:admin"), section="admin", order=60))
    return links
