"""The integration pages in officials' workspace navigation (core.navigation.workspace_links)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from congso.core.navigation import WorkLink
from congso.core.permissions import can

from .models import Delivery


def workspace_entries(user) -> list[WorkLink]:
    """System administrators: integration health, with the number of dead letters."""
    if not can(user, "integration.view"):
        return []
    dead = Delivery.objects.filter(status=Delivery.Status.DEAD).count()
    return [
        WorkLink(_("Tích hợp, webhook"), reverse("integration:health"), count=dead, section="admin", order=65)
    ]
