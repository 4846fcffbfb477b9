"""Access to information in officials' workspace navigation (core.navigation.workspace_links)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from congso.core.navigation import WorkLink
from congso.directory.scope import has_any_role

from . import selectors
from .permissions import DISCLOSURE_ROLES


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
    # the agencies' own administrators and leaders; a system administrator (who may edit every list)
    # reaches the editor from an agency's public page, so the work menu stays short
    if has_any_role(user, DISCLOSURE_ROLES):
        links.append(
            WorkLink(
                _("Danh mục thông tin công khai"), reverse("inforequests:manage"), section="admin", order=65
            )
        )
    return links
