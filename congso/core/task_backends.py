"""The embedded job queue: django-tasks-db's database backend, writing each job row with one compiled
INSERT (``congso.core.compiled.insert``) instead of ``objects.create``.

A notice's job is written inside the transaction of the dossier change that caused it (ADR 0078,
0079), on every counter receipt and filing; the ORM's ``create`` cost about 1 ms of CPU there, more
than the rest of the enqueue. The row holds exactly what django-tasks-db writes (same constructor
arguments); only the way it is inserted differs. Everything else is the library's.
"""

from __future__ import annotations

from django_tasks_db.backend import DatabaseBackend as LibraryDatabaseBackend
from django_tasks_db.compat import normalize_json

from . import compiled


class DatabaseBackend(LibraryDatabaseBackend):
    def _task_to_db_task(self, task, args, kwargs):
        from django_tasks_db.models import DBTaskResult

        row = DBTaskResult(
            id=self._get_id(),
            args_kwargs=normalize_json({"args": args, "kwargs": kwargs}),
            priority=task.priority,
            task_path=task.module_path,
            queue_name=task.queue_name,
            run_after=task.run_after,
            backend_name=self.alias,
        )
        return compiled.insert([row])[0]


def default_backend():
    """The configured backend object itself (``django_tasks.default_task_backend`` is a proxy: an
    isinstance or attribute check on it sees the proxy, not the backend)."""
    from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends

    return task_backends[DEFAULT_TASK_BACKEND_ALIAS]


def queue_in_database() -> bool:
    """Whether jobs are rows of this project's database (the embedded queue, any subclass of
    django-tasks-db's backend): then they can be written in the caller's transaction."""
    return isinstance(default_backend(), LibraryDatabaseBackend)
