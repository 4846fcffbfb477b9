"""Extension points of accounts, for the apps above it (ADR 0090)."""

from congso.core.hooks import Registry

citizen_links = Registry(
    "accounts.citizen_links",
    "Functions (official, citizen) -> bool: the official's work links them to the citizen (e.g. a dossier "
    "of the citizen the official may see), so the official may open the citizen's profile "
    "(accounts.view_citizen). Higher apps register theirs in AppConfig.ready().",
)
