"""The notification outbox in officials' workspace navigation (core.navigation.workspace_links)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from congso.core.navigation import WorkLink
from congso.core.permissions import can

from .models import Notification


def workspace_entries(user) -> list[WorkLink]:
    """System administrators: the outbox, with the number of notices that failed to go out."""
    if not can(user, "notifications.view_outbox"):
        return []
    status = Notification.Status
    problems = Notification.objects.filter(status__in=(status.FAILED, status.GIVEN_UP)).count()
    return [
        WorkLink(_("Hộp thư đi"), reverse("notifications:outbox"), count=problems, section="admin", order=60)
    ]
