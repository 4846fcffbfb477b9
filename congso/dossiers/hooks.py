"""Extension points of the one-stop back office (ADR 0090, ``congso.core.hooks``).

Higher apps subscribe or provide in their ``AppConfig.ready()``; dossiers never imports them.
"""

from congso.core.hooks import Event, Provider

result_issued = Event(
    "dossiers.result_issued",
    "A dossier's result was issued, inside its transaction: (dossier, result, checked, actor), "
    "``checked`` being the published file (a core.uploads.CheckedFile). The personal data store keeps it.",
)

applicant_event = Event(
    "dossiers.applicant_event",
    "Something the applicant is told about happened, inside the use case's transaction: "
    "(dossier, event, **context) — the notice's event name and its facts (reason, amount, …). "
    "The notifications app writes the notices; they are sent after commit.",
)

public_lookup_url = Provider(
    "dossiers.public_lookup_url",
    "The signed public-lookup link of a dossier (dossier, absolute=True) -> str, printed on its receipt. "
    "Provided by the tracking app.",
)
