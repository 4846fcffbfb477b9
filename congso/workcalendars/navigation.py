"""Work calendars in officials' workspace navigation (core.navigation.workspace_links)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from congso.core.navigation import WorkLink
from congso.directory.models import Role
from congso.directory.scope import has_any_role

from . import selectors
from .permissions import STAFF_ROLES


def workspace_entries(user) -> list[WorkLink]:
    if not has_any_role(user, STAFF_ROLES):
        return []
    count = selectors.waiting_for_approval(user) if has_any_role(user, Role.LEADER) else None
    return [WorkLink(_("Lịch công tác tuần"), reverse("workcalendars:staff"), count=count or None, order=45)]
