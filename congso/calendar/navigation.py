"""The working-day calendar in officials' workspace navigation (core.navigation.workspace_links)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from congso.core.navigation import WorkLink

from .services import shows_menu_link


def workspace_entries(user) -> list[WorkLink]:
    if not shows_menu_link(user):
        return []
    return [WorkLink(_("Lịch làm việc"), reverse("calendar:page"), section="admin", order=40)]
