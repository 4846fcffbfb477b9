"""Data-sharing agreements in the system administrators' workspace (core.navigation.workspace_links)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from congso.core.navigation import WorkLink
from congso.core.permissions import can


def workspace_entries(user) -> list[WorkLink]:
    if not can(user, "sharing.manage_agreements"):
        return []
    return [
        WorkLink(_("Thỏa thuận chia sẻ dữ liệu"), reverse("sharing:agreements"), section="admin", order=70)
    ]
