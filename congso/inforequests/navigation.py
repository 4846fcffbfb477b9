"""Access to information in officials' workspace navigation (core.navigation.workspace_links)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from congso.core.navigation import WorkLink
from congso.core.permissions import can

from . import selectors


def workspace_entries(user) -> list[WorkLink]:
    links = []
    if selectors.staff_agencies(user).exists():
        links.append(
            WorkLink(
                _("Yêu cầu cung cấp thông tin"),
                reverse("inforequests:inbox"),
                count=selectors.open_count(user),
                order=45,
            )
        )
    if can(user, "inforequests.manage_disclosure"):
        links.append(
            WorkLink(
                _("Danh mục thông tin công khai"), reverse("inforequests:manage"), section="admin", order=65
            )
        )
    return links
