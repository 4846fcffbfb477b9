"""Evaluations in officials' workspace navigation (core.navigation.workspace_links)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from congso.core.navigation import WorkLink
from congso.directory.scope import has_any_role

from .permissions import OWNER_VIEW_ROLES, SELF_ASSESS_ROLES


def workspace_entries(user) -> list[WorkLink]:
    if not has_any_role(user, OWNER_VIEW_ROLES | SELF_ASSESS_ROLES):
        return []
    return [WorkLink(_("Đánh giá, xếp hạng"), reverse("evaluations:index"), order=60)]
