"""The notification outbox in officials' workspace navigation (core.navigation.workspace_links)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from congso.core.navigation import WorkLink
from congso.core.permissions import can

from .models import Notification
from .services import unread_count


def workspace_entries(user) -> list[WorkLink]:
    """Officials' unread notices; system administrators: the outbox, with the number of notices that
    failed to go out."""
    if not can(user, "notifications.view_outbox"):
        return my_notices(user)
    status = Notification.Status
    problems = Notification.objects.filter(status__in=(status.FAILED, status.GIVEN_UP)).count()
    return [
        *my_notices(user),
        WorkLink(_("Hộp thư đi"), reverse("notifications:outbox"), count=problems, section="admin", order=60),
    ]


def my_notices(user) -> list[WorkLink]:
    """An official with unread notices (meeting invitations, polls to answer): the list, with their
    number. Read ones stay in the account menu only, so the work menu does not grow for nothing."""
    unread = unread_count(user)
    return (
        [WorkLink(_("Thông báo mới"), reverse("notifications:mine"), count=unread, order=5)] if unread else []
    )


def shows_my_notices(user) -> bool:
    return True
