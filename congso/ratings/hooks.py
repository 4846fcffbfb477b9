"""Extension points of the ratings app (ADR 0090, ``congso.core.hooks``)."""

from congso.core.hooks import Event

rating_recorded = Event(
    "ratings.rating_recorded",
    "An applicant rated a finished dossier, inside the rating's transaction: (rating) — the saved "
    "Rating with its dossier. The scorecard keeps its satisfaction figures fresh with it.",
)
