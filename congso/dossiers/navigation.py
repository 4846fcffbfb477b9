"""The one-stop's entries in officials' workspace navigation (core.navigation.workspace_links):
their role inboxes with the number of dossiers waiting, counter intake, reports and the process
editor. The first inbox is where the official lands after signing in."""

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from congso.core.navigation import WorkLink
from congso.directory.models import Role
from congso.directory.scope import active_memberships, agencies_for

from .inbox import ROLE_BOXES, Box, box_counts, boxes_for

REPORT_ROLES = {Role.CLERK, Role.LEADER, Role.AGENCY_ADMIN, Role.IOC_VIEWER}


def workspace_entries(user) -> list[WorkLink]:
    roles = set(active_memberships(user).values_list("role", flat=True))
    boxes = boxes_for(user)
    role_boxes = [box for box in boxes if box in ROLE_BOXES]
    counts = box_counts(user, role_boxes)
    inbox_url = reverse("dossiers:inbox")
    links = [
        WorkLink(
            Box(box).label,
            f"{inbox_url}?{urlencode({'box': Box(box).value})}",
            count=counts.get(box, 0),
            landing=10 + rank,
            order=10 + rank,
        )
        for rank, box in enumerate(role_boxes)
    ]
    if boxes:
        links.append(WorkLink(_("Tất cả hồ sơ"), f"{inbox_url}?box=all", landing=19, order=19))
    if Role.CLERK in roles:
        links.append(WorkLink(_("Tiếp nhận hồ sơ"), reverse("dossiers:intake"), order=20))
    if roles & REPORT_ROLES:
        # the operations centre's landing page; administrators land on their workspace page
        landing = 50 if roles == {Role.IOC_VIEWER} else None
        links.append(WorkLink(_("Báo cáo thống kê"), reverse("dossiers:reports"), landing=landing, order=40))
    managed = agencies_for(user, Role.AGENCY_ADMIN).filter(is_active=True).order_by("path").first()
    if managed is not None:
        links.append(
            WorkLink(
                _("Quy trình xử lý"),
                reverse("dossiers:process_list", args=[managed.code]),
                section="admin",
                order=10,
            )
        )
    return links
