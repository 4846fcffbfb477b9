"""Background jobs of the shared platform.

Jobs are declared with django-tasks' ``@task`` and enqueued with ``.enqueue()``; the backend is the
database (embedded) or RQ on Redis (scale-out), chosen in settings. Workers:
``congso db_worker`` (embedded) or ``congso rqworker default`` (Redis).
"""

from django.contrib.sessions.models import Session
from django.utils import timezone
from django_tasks import task


@task()
def clear_expired_sessions() -> int:
    """Delete expired login sessions; returns how many were removed."""
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted
