"""The form builder in officials' workspace navigation (core.navigation.workspace_links)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from congso.core.navigation import WorkLink

from .builder import managed_agencies, may_manage_national


def workspace_entries(user) -> list[WorkLink]:
    if not (may_manage_national(user) or managed_agencies(user).exists()):
        return []
    return [WorkLink(_("Biểu mẫu trực tuyến"), reverse("portal:forms"), section="admin", order=30)]
