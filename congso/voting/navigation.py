"""Voting in officials' workspace navigation (core.navigation.workspace_links)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from congso.core.navigation import WorkLink
from congso.core.permissions import can

from .models import Ballot, Body, Poll, Receipt


def workspace_entries(user) -> list[WorkLink]:
    links = []
    member = Body.objects.filter(members=user, is_active=True).exists()
    secretary = Body.objects.filter(secretaries=user, is_active=True).exists()
    if member or secretary:
        waiting = (
            Poll.objects.filter(ballot__status=Ballot.Status.OPEN, ballot__electors__user=user)
            .exclude(ballot__in=Receipt.objects.filter(voter=user).values("ballot"))
            .count()
        )
        links.append(WorkLink(_("Phiếu lấy ý kiến"), reverse("voting:polls"), count=waiting, order=45))
    if can(user, "voting.manage"):
        links.append(WorkLink(_("Quy tắc biểu quyết"), reverse("voting:rules"), section="admin", order=65))
    return links
