"""A job queue that is down (Redis unreachable): every enqueue fails."""

from django_tasks.backends.dummy import DummyBackend


class BrokenQueue(DummyBackend):
    def enqueue(self, task, args, kwargs):
        raise ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")
