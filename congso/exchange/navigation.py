"""The exchange outbox and inbox in officials' workspace navigation (core.navigation.workspace_links)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from congso.core.navigation import WorkLink

from . import selectors
from .models import OutgoingPacket


def workspace_entries(user) -> list[WorkLink]:
    """Văn thư and system administrators: the outbox (with the packets that could not go) and the inbox."""
    if not selectors.may_view(user):
        return []
    stuck = (
        selectors.outbox_for(user)
        .filter(state__in=(OutgoingPacket.State.FAILED, OutgoingPacket.State.GIVEN_UP))
        .count()
    )
    return [
        WorkLink(
            _("Liên thông: gói tin đi"), reverse("exchange:outbox"), count=stuck, section="admin", order=70
        ),
        WorkLink(_("Liên thông: gói tin đến"), reverse("exchange:inbox"), section="admin", order=71),
    ]
