"""Payment reconciliation in officials' workspace navigation (core.navigation.workspace_links)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from congso.core.navigation import WorkLink

from .services import may_reconcile


def workspace_entries(user) -> list[WorkLink]:
    if not may_reconcile(user):
        return []
    return [WorkLink(_("Đối soát thanh toán"), reverse("payments:reconciliation"), order=50)]
