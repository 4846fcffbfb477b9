"""Background jobs that send notifications (django-tasks: database worker or RQ)."""

from django_tasks import task

from . import services  # services enqueues these tasks: the module, not its names (a cycle)


@task()
def send_notifications(notification_ids: list[int]) -> list[str]:
    """Send the notices one event wrote (its email and its SMS): one job for them, each sent and
    recorded on its own, so one channel's failure neither stops nor repeats the other."""
    return [n.status if n else "skipped" for n in map(services.send, notification_ids)]


@task()
def send_notification(notification_id: int) -> str:
    """One notice (retries; and jobs queued before ``send_notifications`` existed)."""
    n = services.send(notification_id)
    return n.status if n else "skipped"
