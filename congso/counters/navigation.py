"""The queue console in officials' workspace navigation (core.navigation.workspace_links)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from congso.core.navigation import WorkLink
from congso.directory.models import Agency, Role
from congso.directory.scope import agencies_for


def workspace_entries(user) -> list[WorkLink]:
    """Each service centre whose counters the official works at (clerks) or configures (its
    administrators): the centre's queue console."""
    centres = (
        agencies_for(user, [Role.CLERK, Role.AGENCY_ADMIN])
        .filter(kind=Agency.Kind.SERVICE_CENTRE, is_active=True)
        .order_by("code")
    )
    many = len(centres) > 1
    return [
        WorkLink(
            _("Quầy gọi số — %(centre)s") % {"centre": centre.name} if many else _("Quầy gọi số"),
            reverse("counters:console_home", args=[centre.code]),
            order=30,
        )
        for centre in centres
    ]
