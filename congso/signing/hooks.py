"""Extension points of signing (ADR 0090, ``congso.core.hooks``).

Higher apps provide them in their ``AppConfig.ready()``; signing never imports them.
"""

from congso.core.hooks import Provider

record_status_url = Provider(
    "signing.record_status_url",
    "The public status link of the dossier a receipt was issued for: (code, absolute=False) -> str, "
    '"" when no dossier has that code. Provided by the tracking app.',
)
