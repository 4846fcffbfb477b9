"""Background jobs run through the configured backend: the database queue, or RQ on Redis."""

import datetime

import pytest
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.utils import timezone
from django_tasks import TaskResultStatus

from congso.core.tasks import clear_expired_sessions


def _sessions():
    now = timezone.now()
    Session.objects.create(
        session_key="het-han-1", session_data="x", expire_date=now - datetime.timedelta(days=1)
    )
    Session.objects.create(
        session_key="het-han-2", session_data="x", expire_date=now - datetime.timedelta(hours=1)
    )
    Session.objects.create(
        session_key="con-han-1", session_data="x", expire_date=now + datetime.timedelta(days=1)
    )


@pytest.mark.django_db(transaction=True)
def test_database_backend_runs_job_in_worker(settings):
    settings.TASKS = {"default": {"BACKEND": "congso.core.task_backends.DatabaseBackend"}}
    _sessions()
    result = clear_expired_sessions.enqueue()
    assert result.status == TaskResultStatus.READY
    assert Session.objects.count() == 3  # nothing runs inside the request
    call_command("db_worker", batch=True, interval=0, verbosity=0)
    result.refresh()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == 2
    assert list(Session.objects.values_list("session_key", flat=True)) == ["con-han-1"]


@pytest.fixture
def redis_url():
    import redis

    url = "redis://127.0.0.1:6379/15"
    client = redis.Redis.from_url(url)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    client.flushdb()
    yield url
    client.flushdb()


@pytest.mark.django_db(transaction=True)
def test_rq_backend_runs_job_in_worker(settings, redis_url):
    import django_rq
    from django_tasks_rq import Job
    from rq import SimpleWorker

    settings.RQ_QUEUES = {"default": {"URL": redis_url, "DEFAULT_TIMEOUT": 60}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    settings.INSTALLED_APPS = [*settings.INSTALLED_APPS, "django_rq"]
    _sessions()
    result = clear_expired_sessions.enqueue()
    assert Session.objects.count() == 3
    queue = django_rq.get_queue("default")
    SimpleWorker([queue], connection=queue.connection, job_class=Job).work(burst=True)
    result.refresh()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == 2
    assert Session.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_rq_shares_the_cache_redis_client_as_deployed(settings, redis_url):
    """The deployed settings (REDIS_URL): RQ reuses the cache backend's client, so no job opens a new
    connection (ADR 0079); the job still runs in a worker."""
    import django_rq
    from django.core.cache import caches
    from django_tasks_rq import Job
    from rq import SimpleWorker

    settings.CACHES = {"default": {"BACKEND": "congso.core.cache.RedisCache", "LOCATION": redis_url}}
    settings.RQ_QUEUES = {"default": {"USE_REDIS_CACHE": "default", "DEFAULT_TIMEOUT": 60}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    settings.INSTALLED_APPS = [*settings.INSTALLED_APPS, "django_rq"]
    _sessions()
    first = clear_expired_sessions.enqueue()
    clear_expired_sessions.enqueue()
    queue = django_rq.get_queue("default")
    assert queue.connection is caches["default"].client  # one client, one pool, for every job
    assert django_rq.get_queue("default").connection is queue.connection
    SimpleWorker([queue], connection=queue.connection, job_class=Job).work(burst=True)
    first.refresh()
    assert first.status == TaskResultStatus.SUCCESSFUL and first.return_value == 2
