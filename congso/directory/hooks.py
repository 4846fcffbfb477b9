"""Extension points of the directory (ADR 0090, ``congso.core.hooks``) shared by apps of one layer.

``dossiers`` and ``counters`` are independent siblings (neither imports the other); the service
centre's queue ticket that a counter intake serves is asked for here, in the layer both stand on.
"""

from congso.core.hooks import Provider

queue_ticket = Provider(
    "directory.queue_ticket",
    "The queue ticket a clerk called and now receives a dossier for: (actor, ticket_id, serve=False) -> "
    '{"id", "code", "service"}; with serve=True it is marked served ("Hoàn thành") in the caller\'s '
    "transaction. Raises a core.errors.ServiceError when the ticket is not the actor's to serve now. "
    "Provided by the counters app.",
)
