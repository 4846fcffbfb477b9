"""The fuzzing campaign's scripts (ADR 0140): the shell script parses and CI runs it after the PostgreSQL
tests; the Schemathesis configuration written from the database is valid and names real identifiers."""

import runpy
import subprocess
import tomllib
from pathlib import Path

import pytest
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
