"""Background jobs of inter-agency exchange (django-tasks: database worker or RQ)."""

from django_tasks import task

from . import services  # services enqueues these tasks: the module, not its names (a cycle)


@task()
def deliver_packet(outgoing_id: int) -> str:
    """Send one outbox packet to the hub; a failure reschedules it with backoff."""
    row = services.deliver(outgoing_id)
    return row.state if row else "skipped"


@task()
def deliver_packets(outgoing_ids: list[int]) -> list[str]:
    """Send the outbox packets a transaction queued (``services.JOB_BATCH`` at most), one after the
    other."""
    return services.deliver_many(outgoing_ids)


@task()
def poll_hub() -> int:
    """Fetch and record what waits at the hub for every agency with a seal."""
    return services.receive_all()
