"""Reads of dossiers that the pages and the API share."""

from __future__ import annotations

from django.db.models import Q

from congso.core.permissions import can

from .models import Dossier


def sees_dossier_of(user, citizen) -> bool:
    """``user`` may see a dossier whose applicant (or whose assisted filer) is ``citizen``: the link
    that lets an official open the citizen's profile (accounts.hooks.citizen_links)."""
    candidates = (
        Dossier.objects.select_related("receiving_agency", "current_agency")
        .filter(Q(applicant=citizen) | Q(assisted_by=citizen))
        .order_by("-pk")[:200]
    )
    return any(can(user, "dossiers.view", d) for d in candidates)


def visible_dossier(user, code: str) -> Dossier | None:
    """The dossier with this code if ``user`` may see it (``dossiers.view``), with what its page and
    its API answer read; None otherwise — whether it does not exist or is not theirs to see, so callers
    answer both alike (the page 404, the API 404 "Không tìm thấy hồ sơ.") and codes cannot be probed."""
    d = (
        Dossier.objects.select_related(
            "procedure_version__procedure",
            "receiving_agency__unit",
            "current_agency",
            "current_step",
            "assignee",
            "assisted_by",
        )
        .filter(code=code)
        .first()
    )
    if d is None or not can(user, "dossiers.view", d):
        return None
    return d
