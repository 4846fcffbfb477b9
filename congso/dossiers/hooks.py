"""Extension points of the one-stop back office (ADR 0090, ``congso.core.hooks``).

Higher apps subscribe or provide in their ``AppConfig.ready()``; dossiers never imports them.
"""

from django.utils.module_loading import import_string

from congso.core.hooks import Event, Provider, Registry

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

dossier_changed = Event(
    "dossiers.dossier_changed",
    "Timeline entries were written, inside the use case's transaction, after the dossier row is saved: "
    "(entries) — saved TimelineEntry rows, each with its dossier, action, from_status, to_status, agency "
    "and at. Every change of a dossier (receipt included) passes here, so figures and outgoing events "
    "kept by higher apps (scorecard facts, the integration outbox) stay exact.",
)

public_lookup_url = Provider(
    "dossiers.public_lookup_url",
    "The signed public-lookup link of a dossier (dossier, absolute=True) -> str, printed on its receipt. "
    "Provided by the tracking app.",
)

dossier_links = Registry(
    "dossiers.dossier_links",
    "Links other apps add to a dossier's pages: the dotted path of fn(dossier, user) -> list[(label, url)], "
    "e.g. the electronic receipt of a paid fee (payments). Each returns only what ``user`` may open.",
)


def links_for(dossier, user) -> list[dict]:
    """Every contributed link of ``dossier`` that ``user`` may open: [{"label", "url"}]."""
    found = []
    for links in dossier_links:
        links = import_string(links) if isinstance(links, str) else links
        found += [{"label": label, "url": url} for label, url in links(dossier, user)]
    return found
