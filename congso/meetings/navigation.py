"""Meetings in officials' workspace navigation (core.navigation.workspace_links)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from congso.core.navigation import WorkLink
from congso.directory.models import Role
from congso.directory.scope import has_any_role


def workspace_entries(user) -> list[WorkLink]:
    if not has_any_role(user, [Role.OFFICER, Role.LEADER, Role.CLERICAL, Role.AGENCY_ADMIN]):
        return []
    return [WorkLink(_("Họp không giấy"), reverse("meetings:index"), order=35)]
