"""Extension points of the procedure catalogue (ADR 0090, ``congso.core.hooks``).

Higher apps subscribe in their ``AppConfig.ready()``; the catalogue never imports them.
"""

from congso.core.hooks import Event

procedure_changed = Event(
    "catalog.procedure_changed",
    "A procedure's state was changed by an administrator, inside the use case's transaction: "
    "(procedure, change, actor) — ``change`` is the audit action (``catalog.procedure.withdraw``, "
    "``.restore``, ``.online_level``, ``.local_fee_allowed``), or ``catalog.import.created`` / "
    "``catalog.import.updated`` when the importer adds a procedure or a new version of one (not fired "
    "for an unchanged record). The integration outbox publishes it.",
)
