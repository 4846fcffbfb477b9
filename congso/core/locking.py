"""Row locks that never hand back stale related rows.

``select_for_update()`` combined with ``select_related()`` reads the joined rows in the same statement
as the lock. When the statement has to wait for another transaction's lock, PostgreSQL re-checks the
locked row after the wait, but a joined row may come back as it was before (or null: a dossier's
``current_step`` after another official moved it, issue 15). So lock the row alone, then read it and
its relations afresh: after the lock is held, a new statement sees what the other transaction
committed.
"""

from __future__ import annotations

from django.db import models


def lock(model: type[models.Model], **lookup) -> list:
    """Lock the rows of ``model`` matching ``lookup`` (no join), in primary-key order; their keys."""
    return list(
        model._default_manager.select_for_update()
        .filter(**lookup)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
