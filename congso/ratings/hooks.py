"""Extension points of satisfaction ratings (ADR 0090, ``congso.core.hooks``).

Higher apps subscribe in their ``AppConfig.ready()``; ratings never imports them.
"""

from congso.core.hooks import Event

rating_given = Event(
    "ratings.rating_given",
    "An applicant rated a finished dossier, inside the use case's transaction: (rating) — the saved "
    "Rating with its dossier and agencies. The scorecard keeps its satisfaction figures fresh with it; "
    "the integration outbox publishes it.",
)
