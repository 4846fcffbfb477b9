"""Load the administrative units of the two-tier structure (since 1 July 2025) from `vietnam-provinces`.

Idempotent and fast: one query reads what is there, new units are bulk-inserted and changed ones
bulk-updated, so the 34 provinces and 3,321 communes load in well under a second on a warm database.
Units already stored that the package no longer lists are kept (records may still name them) and
reported, never deleted.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction

from congso.core import audit
from congso.core.text import fold

from .models import AdministrativeUnit

TWO_TIER_START = datetime.date(2025, 7, 1)

_KIND = {
    "tỉnh": AdministrativeUnit.Kind.PROVINCE,
    "thành phố trung ương": AdministrativeUnit.Kind.CITY,
    "xã": AdministrativeUnit.Kind.COMMUNE,
    "phường": AdministrativeUnit.Kind.WARD,
    "đặc khu": AdministrativeUnit.Kind.SPECIAL_ZONE,
}


@dataclass
class LoadResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    missing_from_source: int = 0

    def __str__(self):
        return (
            f"{self.created} đơn vị mới, {self.updated} cập nhật, {self.unchanged} không đổi, "
            f"{self.missing_from_source} không còn trong danh mục nguồn"
        )


def province_code(value) -> str:
    return f"{int(value):02d}"


def commune_code(value) -> str:
    return f"{int(value):05d}"


def _sync(rows: list[dict], level: int, existing: dict[str, AdministrativeUnit], result: LoadResult):
    to_create, to_update = [], []
    for row in rows:
        unit = existing.get(row["code"])
        if unit is None:
            to_create.append(
                AdministrativeUnit(
                    level=level, valid_from=TWO_TIER_START, name_folded=fold(row["name"]), **row
                )
            )
            continue
        changed = False
        for field, value in row.items():
            if field == "parent":
                differs = unit.parent_id != (value.pk if value else None)
            else:
                differs = getattr(unit, field) != value
            if differs:
                setattr(unit, field, value)
                changed = True
        if changed:
            unit.name_folded = fold(unit.name)
            to_update.append(unit)
        else:
            result.unchanged += 1
    AdministrativeUnit.objects.bulk_create(to_create, batch_size=1000)
    AdministrativeUnit.objects.bulk_update(
        to_update, ["name", "kind", "parent", "name_folded"], batch_size=1000
    )
    result.created += len(to_create)
    result.updated += len(to_update)


def load_units(actor=None) -> LoadResult:
    """Create or refresh the 34 provinces and 3,321 communes. Safe to run any number of times."""
    from vietnam_provinces import Province, Ward

    result = LoadResult()
    with transaction.atomic():
        current = AdministrativeUnit.objects.filter(
            valid_from=TWO_TIER_START,
            level__in=(AdministrativeUnit.Level.PROVINCE, AdministrativeUnit.Level.COMMUNE),
        )
        provinces = {u.code: u for u in current if u.level == AdministrativeUnit.Level.PROVINCE}
        communes = {u.code: u for u in current if u.level == AdministrativeUnit.Level.COMMUNE}

        source_provinces = [
            {
                "code": province_code(p.code),
                "name": p.name,
                "kind": _KIND[p.division_type.value],
                "parent": None,
            }
            for p in Province.iter_all()
        ]
        _sync(source_provinces, AdministrativeUnit.Level.PROVINCE, provinces, result)
        province_by_code = {
            u.code: u
            for u in AdministrativeUnit.objects.filter(
                valid_from=TWO_TIER_START, level=AdministrativeUnit.Level.PROVINCE
            )
        }
        source_communes = [
            {
                "code": commune_code(w.code),
                "name": w.name,
                "kind": _KIND[w.division_type.value],
                "parent": province_by_code[province_code(w.province_code)],
            }
            for w in Ward.iter_all()
        ]
        _sync(source_communes, AdministrativeUnit.Level.COMMUNE, communes, result)
        listed = {r["code"] for r in source_provinces} | {r["code"] for r in source_communes}
        result.missing_from_source = sum(1 for code in {**provinces, **communes} if code not in listed)
        if result.created or result.updated:
            audit.record(
                "directory.units_loaded",
                actor=actor,
                object_type="directory.administrativeunit",
                object_repr="vietnam-provinces",
                data={"created": result.created, "updated": result.updated},
            )
    return result
