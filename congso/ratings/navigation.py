"""Satisfaction statistics in officials' workspace navigation (core.navigation.workspace_links)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from congso.core.navigation import WorkLink
from congso.directory.scope import has_any_role

from .permissions import STATS_ROLES


def workspace_entries(user) -> list[WorkLink]:
    if not has_any_role(user, STATS_ROLES):
        return []
    return [WorkLink(_("Mức độ hài lòng"), reverse("ratings:stats"), order=45)]
