"""Reads of ratings that other apps may use."""

from __future__ import annotations

from .models import Rating


def overall_by_dossier(dossier_ids) -> dict[int, str]:
    """{dossier id: the applicant's overall verdict ("satisfied", "normal", "dissatisfied")} for the
    rated ones among ``dossier_ids`` (one query)."""
    ids = list(dossier_ids)
    if not ids:
        return {}
    return dict(Rating.objects.filter(dossier_id__in=ids).values_list("dossier_id", "overall"))
