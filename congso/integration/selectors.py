"""Reads of the integration platform: its health figures (page, API, Prometheus) and the lists."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Max, Min, Q
from django.utils import timezone

from .models import Attempt, Delivery, Subscriber

S = Delivery.Status


@dataclass
class Health:
    pending: int
    due: int
    leased: int
    dead: int
    delivered: int
    oldest_pending_at: object
    lag_seconds: float
    failed_attempts_hour: int
    attempts_hour: int
    subscribers: list

    @property
    def state(self) -> str:
        """ "ok", "warning" (dead letters or a lag over 5 minutes) or "problem" (lag over an hour)."""
        if self.lag_seconds > 3600:
            return "problem"
        if self.dead or self.lag_seconds > 300:
            return "warning"
        return "ok"


def health(now=None) -> Health:
    now = now or timezone.now()
    counts = Delivery.objects.aggregate(
        pending=Count("id", filter=Q(status=S.PENDING)),
        due=Count("id", filter=Q(status=S.PENDING, next_attempt_at__lte=now)),
        leased=Count("id", filter=Q(status=S.PENDING, leased_until__gte=now)),
        dead=Count("id", filter=Q(status=S.DEAD)),
        delivered=Count("id", filter=Q(status=S.DELIVERED)),
        oldest=Min("created_at", filter=Q(status=S.PENDING)),
    )
    hour = now - timezone.timedelta(hours=1)
    attempts = Attempt.objects.filter(at__gte=hour).aggregate(
        total=Count("id"), failed=Count("id", filter=Q(ok=False))
    )
    oldest = counts["oldest"]
    rows = Subscriber.objects.annotate(
        pending=Count("deliveries", filter=Q(deliveries__status=S.PENDING)),
        dead=Count("deliveries", filter=Q(deliveries__status=S.DEAD)),
        delivered=Count("deliveries", filter=Q(deliveries__status=S.DELIVERED)),
        last_delivered_at=Max("deliveries__delivered_at"),
        oldest_pending_at=Min("deliveries__created_at", filter=Q(deliveries__status=S.PENDING)),
    ).order_by("name", "id")
    return Health(
        pending=counts["pending"],
        due=counts["due"],
        leased=counts["leased"],
        dead=counts["dead"],
        delivered=counts["delivered"],
        oldest_pending_at=oldest,
        lag_seconds=max(0.0, (now - oldest).total_seconds()) if oldest else 0.0,
        failed_attempts_hour=attempts["failed"],
        attempts_hour=attempts["total"],
        subscribers=list(rows),
    )


def dead_letters(*, subscriber_id: int | None = None, event_type: str = ""):
    qs = (
        Delivery.objects.filter(status=S.DEAD)
        .select_related("event", "subscriber")
        .order_by("-dead_at", "-id")
    )
    if subscriber_id:
        qs = qs.filter(subscriber_id=subscriber_id)
    if event_type:
        qs = qs.filter(event__event_type=event_type)
    return qs


def deliveries_of(subscriber: Subscriber, status: str = ""):
    qs = subscriber.deliveries.select_related("event").order_by("-id")
    if status in S.values:
        qs = qs.filter(status=status)
    return qs


def attempts_of(subscriber: Subscriber):
    return (
        Attempt.objects.filter(delivery__subscriber=subscriber)
        .select_related("delivery__event")
        .order_by("-at", "-id")
    )
