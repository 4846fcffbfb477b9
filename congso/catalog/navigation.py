"""The catalogue in officials' workspace navigation (core.navigation.workspace_links): the search
every official uses, and the administration of the agency's offerings for its administrators."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from congso.core.navigation import WorkLink
from congso.core.permissions import can

from .permissions import managed_agencies


def workspace_entries(user) -> list[WorkLink]:
    links = [WorkLink(_("Thủ tục hành chính"), reverse("catalog:search"), order=90)]
    if managed_agencies(user).exists():
        links.append(
            WorkLink(_("Danh mục thủ tục của cơ quan"), reverse("catalog:manage"), section="admin", order=20)
        )
    if can(user, "catalog.import"):
        links.append(
            WorkLink(
                _("Đối chiếu danh mục quốc gia"), reverse("catalog:consistency"), section="admin", order=21
            )
        )
    return links
