"""Who can be given a dossier: the officials holding a role at an agency (for the assign forms).

The service (``services.assign``) checks the assignee again; this only fills the choice lists.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone

from congso.directory.models import Agency, Membership
from congso.directory.scope import ancestor_paths


def holders(agencies, roles) -> list:
    """Active users holding any of ``roles`` today at one of ``agencies`` (an Agency or an iterable of
    them), directly or through an ancestor's sub-tree membership; ordered by name."""
    if isinstance(agencies, Agency):
        agencies = [agencies]
    agencies = list(agencies)
    if not agencies:
        return []
    paths = sorted({p for a in agencies for p in ancestor_paths(a)})
    day = timezone.localdate()
    user_ids = (
        Membership.objects.filter(role__in=list(roles), valid_from__lte=day)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=day))
        .filter(Q(agency__in=agencies) | Q(include_subtree=True, agency__path__in=paths))
        .values("user_id")
    )
    return list(
        get_user_model().objects.filter(pk__in=user_ids, is_active=True).order_by("full_name", "username")
    )
