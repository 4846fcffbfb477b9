#!/usr/bin/env python3
"""Write the Schemathesis configuration of the fuzzing campaign (scripts/fuzz_api.sh, ADR 0140): real
identifiers from the loaded database, so generated requests reach existing dossiers, procedures, agencies
and service centres instead of answering 404 for most path parameters.

    scripts/fuzz_parameters.py > schemathesis.toml      (DATABASE_URL etc. as for `congso serve`)

Each identifier is drawn from its dictionary half of the time; the other half Schemathesis generates a
value as usual, so malformed identifiers are still tried.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "congso.settings")

import django  # noqa: E402

django.setup()

from congso.catalog.models import Procedure  # noqa: E402
from congso.directory.models import Agency  # noqa: E402
from congso.dossiers.models import Dossier  # noqa: E402

LIMIT = 20
PROBABILITY = 0.5


def values() -> dict[str, list[str]]:
    dossiers = list(Dossier.objects.order_by("-pk").values_list("code", flat=True)[:LIMIT])
    filed = Dossier.objects.values("procedure_version__procedure__code")
    procedures = list(
        Procedure.objects.filter(code__in=filed).order_by("code").values_list("code", flat=True)[:LIMIT]
    )
    procedures = procedures or list(Procedure.objects.order_by("code").values_list("code", flat=True)[:LIMIT])
    agencies = list(
        Agency.objects.filter(is_active=True).order_by("path").values_list("code", flat=True)[:LIMIT]
    )
    centres = list(
        Agency.objects.filter(kind=Agency.Kind.SERVICE_CENTRE, is_active=True).values_list("code", flat=True)
    )
    return {"dossiers": dossiers, "procedures": procedures, "agencies": agencies, "centres": centres}


# (path regex, {parameter: dictionary})
BINDINGS = [
    (r"^/api/v1/dossiers/(mine/)?\{code\}", {"path.code": "dossiers"}),
    (r"^/api/v1/(ratings|payments/dossiers|portal/receipts)/\{code\}", {"path.code": "dossiers"}),
    (r"^/api/v1/dossiers/lookup/\{code\}", {"path.code": "dossiers"}),
    (r"^/api/v1/dossiers/lookup$", {"query.code": "dossiers"}),
    (r"^/api/v1/procedures/\{code\}", {"path.code": "procedures"}),
    (r"^/api/v1/offerings/\{agency\}/\{code\}", {"path.agency": "agencies", "path.code": "procedures"}),
    (r"^/api/v1/dossiers/processes/", {"path.agency": "agencies", "path.procedure": "procedures"}),
    (r"^/api/v1/directory/agencies/\{code\}", {"path.code": "agencies"}),
    (r"^/api/v1/counters/centres/\{code\}", {"path.code": "centres"}),
]


def toml() -> str:
    lines = ["# Written by scripts/fuzz_parameters.py from the campaign's database.", ""]
    for name, items in values().items():
        if items:
            lines += [f"[dictionaries.{name}]", f"values = {json.dumps(items, ensure_ascii=False)}", ""]
    known = {name for name, items in values().items() if items}
    for regex, params in BINDINGS:
        bound = {k: v for k, v in params.items() if v in known}
        if not bound:
            continue
        lines += ["[[operations]]", f"include-path-regex = {json.dumps(regex)}"]
        inline = ", ".join(
            f'"{k}" = {{ dictionary = "{v}", probability = {PROBABILITY} }}' for k, v in bound.items()
        )
        lines += [f"parameters = {{ {inline} }}", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.stdout.write(toml())
