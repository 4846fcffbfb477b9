"""Tell the applicant about changes that concern them: the one entry point the dossier services call.

The notices themselves (texts, channels, outbox, sending in background jobs, retries) belong to the
``congso.notifications`` app, which subscribes to ``hooks.applicant_event``; see
``congso.notifications.services.notify`` and ADR 0074.
"""

from . import hooks


def notify_applicant(dossier, event: str, **context) -> None:
    """Write the applicant's notices for ``event`` in the current transaction; they are sent by a
    background job after it commits. Call it inside the service's ``transaction.atomic()`` block."""
    hooks.applicant_event.fire(dossier=dossier, event=event, **context)
