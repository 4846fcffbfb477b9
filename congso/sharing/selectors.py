"""Reads of data-sharing agreements and of the personal-data reads made under them."""

from __future__ import annotations

from django.db.models import Count, Q

from .models import Agreement, DataRead


def agreements():
    """Every agreement with its reads counted (allowed and refused), newest first."""
    return Agreement.objects.select_related("application", "agency").annotate(
        allowed_reads=Count("reads", filter=Q(reads__outcome=DataRead.Outcome.ALLOWED)),
        refused_reads=Count("reads", filter=~Q(reads__outcome=DataRead.Outcome.ALLOWED)),
    )


def reads_of(agreement):
    return DataRead.objects.filter(agreement=agreement).select_related("agency", "subject")


def reads_about(user):
    """Who read ``user``'s personal data through the API, newest first (allowed reads and refused ones)."""
    return DataRead.objects.filter(subject=user).select_related("agency", "agreement", "application")
