"""The fuzzing campaign's scripts (ADR 0140): the shell script parses and CI runs it after the PostgreSQL
tests; the Schemathesis configuration written from the database is valid and names real identifiers."""

import re
import runpy
import subprocess
import tomllib
from pathlib import Path

import pytest
from django.core.cache import cache
from schemathesis.config import SchemathesisConfig

from congso.accounts.testing import build_world

ROOT = Path(__file__).resolve().parents[1]


def test_the_campaign_script_parses_and_ci_runs_it_after_the_postgresql_tests():
    subprocess.run(["bash", "-n", str(ROOT / "scripts" / "fuzz_api.sh")], check=True)
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "scripts/fuzz_api.sh" in ci
    assert ci.index('step "tests on PostgreSQL"') < ci.index("scripts/fuzz_api.sh")


@pytest.mark.django_db
def test_the_schemathesis_configuration_names_real_identifiers():
    world = build_world()
    text = runpy.run_path(str(ROOT / "scripts" / "fuzz_parameters.py"))["toml"]()
    config = tomllib.loads(text)
    assert world.agencies["pleiku_pc"].code in config["dictionaries"]["agencies"]["values"]
    centres = config["dictionaries"]["centres"]["values"]
    assert world.agencies["pleiku_centre"].code in centres
    assert world.agencies["pleiku_pc"].code not in centres  # only service centres take tickets
    bound = {op["include-path-regex"]: op["parameters"] for op in config["operations"]}
    assert bound[r"^/api/v1/directory/agencies/\{code\}"]["path.code"]["dictionary"] == "agencies"
    SchemathesisConfig.from_str(text)  # Schemathesis itself accepts it


def _fuzz_lookup_limit() -> int:
    """The lookup limits the campaign's server runs with, as scripts/fuzz_api.sh sets them (ADR 0159)."""
    script = (ROOT / "scripts" / "fuzz_api.sh").read_text(encoding="utf-8")
    commands = "\n".join(line for line in script.splitlines() if not line.lstrip().startswith("#"))
    assert "--rate-limit" not in commands  # Schemathesis must not sleep out a 429's Retry-After
    serve = script[script.index("CONGSO_LOOKUP_PER_IP=") : script.index("congso.cli serve")]
    assert "CONGSO_LOOKUP_PER_IP=$LOOKUP_LIMIT CONGSO_LOOKUP_FAILS_PER_CODE=$LOOKUP_LIMIT" in serve
    return int(re.search(r"LOOKUP_LIMIT=\$\{FUZZ_LOOKUP_LIMIT:-(\d+)\}", script)[1])


def _lookups(client, n: int) -> list[int]:
    # wrong check values for one code from one address: counted by both limits (per address, per code)
    return [
        client.get(
            "/api/v1/dossiers/lookup", {"code": "H21.23575-990101-0001", "check": f"{i:04d}"}
        ).status_code
        for i in range(n)
    ]


@pytest.mark.django_db
def test_the_fuzz_server_answers_lookups_where_the_default_limits_refuse(client, settings):
    cache.clear()
    assert 429 in _lookups(client, 35)  # the defaults (30 an address, 10 wrong values a code) refuse
    cache.clear()
    settings.CONGSO_LOOKUP_PER_IP = settings.CONGSO_LOOKUP_FAILS_PER_CODE = _fuzz_lookup_limit()
    assert set(_lookups(client, 35)) == {404}
    cache.clear()
