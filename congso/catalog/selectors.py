"""Reads of the catalogue that other apps repeat, written once."""

from __future__ import annotations

from .models import Procedure

CODE_LENGTH = 40  # Procedure.code's max_length


def procedure_by_code(
    code: str | None, *, active_only: bool = True, with_version: bool = True
) -> Procedure | None:
    """The procedure with this code (its current version and field read with it), or None.

    ``active_only`` leaves out withdrawn procedures; ``with_version`` those with no current version
    (nothing can be filed for them)."""
    code = (code or "").strip()[:CODE_LENGTH]
    if not code:
        return None
    qs = Procedure.objects.select_related("current_version", "field").filter(code=code)
    if active_only:
        qs = qs.filter(is_active=True)
    if with_version:
        qs = qs.filter(current_version__isnull=False)
    return qs.first()
