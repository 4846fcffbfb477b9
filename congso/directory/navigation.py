"""Agency administration in officials' workspace navigation (core.navigation.workspace_links)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from congso.core.navigation import WorkLink

from .models import Role
from .scope import has_any_role, is_sysadmin


def workspace_entries(user) -> list[WorkLink]:
    links = []
    sysadmin = is_sysadmin(user)
    if sysadmin or has_any_role(user, Role.AGENCY_ADMIN):
        links.append(WorkLink(_("Cơ quan và cán bộ"), reverse("directory:manage"), section="admin", order=50))
    if sysadmin:
        links.append(WorkLink(_("Quản trị hệ thống"), reverse("admin:index"), section="admin", order=90))
    return links
