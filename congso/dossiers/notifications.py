"""Tell the applicant about changes that concern them: the one entry point the dossier services call.

The notices themselves (texts, channels, outbox, sending in background jobs, retries) belong to the
``congso.notifications`` app; see ``congso.notifications.services.notify`` and ADR 0074.
"""


def notify_applicant(dossier, event: str, **context) -> None:
    """Write the applicant's notices for ``event`` in the current transaction; they are sent by a
    background job after it commits. Call it inside the service's ``transaction.atomic()`` block."""
    from congso.notifications.services import notify

    notify(dossier, event, **context)
