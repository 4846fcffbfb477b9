"""Reads of the directory that other apps repeat, written once.

Agency codes are stored stripped and upper-case (``Agency.clean``); a code typed by a person or sent by
a client is normalised the same way here, once, before it is looked up."""

from __future__ import annotations

from congso.core.compiled import CompiledQuery, fields_of

from .models import Agency

# every received edXML packet names its sender by code: compiled once (congso.core.compiled)
_BY_CODE = CompiledQuery(
    lambda code: Agency.objects.filter(code=code).order_by("pk").values_list(*fields_of(Agency))[:1],
    model=Agency,
)


def normalise_agency_code(code: str | None) -> str:
    """``code`` as agency codes are stored: stripped, upper-case ("" for None)."""
    return (code or "").strip().upper()


def agency_by_code(code: str | None, *, active_only: bool = False, kind: str | None = None) -> Agency | None:
    """The agency with this electronic identifier (mã định danh), or None.

    ``active_only`` leaves out agencies that stopped operating; ``kind`` (an ``Agency.Kind``) keeps only
    agencies of that kind."""
    code = normalise_agency_code(code)
    if not code:
        return None
    if not active_only and kind is None:
        found = _BY_CODE.instances(code)
        return found[0] if found else None
    qs = Agency.objects.filter(code=code)
    if active_only:
        qs = qs.filter(is_active=True)
    if kind is not None:
        qs = qs.filter(kind=kind)
    return qs.first()
