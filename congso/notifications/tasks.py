"""The background job that sends one notification (django-tasks: database worker or RQ)."""

from django_tasks import task


@task()
def send_notification(notification_id: int) -> str:
    from .services import send

    n = send(notification_id)
    return n.status if n else "skipped"
