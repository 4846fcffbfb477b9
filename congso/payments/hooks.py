"""Extension points of online payments (ADR 0090, ``congso.core.hooks``).

Higher apps subscribe in their ``AppConfig.ready()``; payments never imports them.
"""

from congso.core.hooks import Event

payment_recorded = Event(
    "payments.payment_recorded",
    "A gateway payment was recorded as paid, inside the IPN's transaction, after the payment row is saved: "
    "(payment) — with its dossier, amount, receipt number and ``needs_review`` (money to refund). The "
    "integration outbox publishes it.",
)
