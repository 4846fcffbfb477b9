"""What the test suite pays per xdist worker and per test before asserting anything (ADR 0159).

    PYTHONPATH=. .venv/bin/python bench/bench_test_setup.py               # SQLite in memory, as make test
    PYTHONPATH=. .venv/bin/python bench/bench_test_setup.py --rounds 5 --hashes 20

Measures this process's CPU time (``time.process_time``), not the wall clock: on CI's shared 2 cores the
wall clock moves with the neighbours, the CPU a piece of work costs much less. Reports

- the test database's creation (``migrate`` of every app into an empty in-memory SQLite database),
  which each xdist worker pays once;
- one password hash and check with the production hasher (Argon2) and with the suite's (MD5);
- ``congso.accounts.testing.build_world()`` (units, agencies, thirteen users), the fixture of most
  test modules, with each hasher, rolled back after each round.

Medians of ``--rounds`` rounds.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

ARGON2 = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
MD5 = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def cpu(fn) -> float:
    start = time.process_time()
    fn()
    return time.process_time() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--hashes", type=int, default=10)
    args = parser.parse_args()

    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("CONGSO_VAR_DIR", tempfile.mkdtemp(prefix="congso-bench-tests-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "congso.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth.hashers import check_password, make_password
    from django.db import connection, transaction
    from django.test import override_settings
    from django.test.utils import setup_test_environment

    setup_test_environment()
    settings.CONGSO_QUEUE_OFFICE_HOURS_ONLY = False
    migrate = cpu(
        lambda: connection.creation.create_test_db(
            verbosity=0, autoclobber=True, serialize=False, keepdb=False
        )
    )
    print(f"test database (migrate, SQLite in memory): {migrate:.2f} s CPU")

    from congso.accounts.testing import build_world

    class Rollback(Exception):
        pass

    def world():
        try:
            with transaction.atomic():
                build_world()
                raise Rollback
        except Rollback:
            pass

    for name, hashers in (("Argon2", ARGON2), ("MD5", MD5)):
        with override_settings(PASSWORD_HASHERS=hashers):

            def hashes():
                for _ in range(args.hashes):
                    check_password("GiaLai-demo-2026", make_password("GiaLai-demo-2026"))

            per_hash = statistics.median(cpu(hashes) / args.hashes for _ in range(args.rounds))
            worlds = [cpu(world) for _ in range(args.rounds)]
            print(
                f"{name}: hash + check {per_hash * 1000:.1f} ms CPU; build_world() median "
                f"{statistics.median(worlds):.3f} s CPU ({', '.join(f'{w:.3f}' for w in worlds)})"
            )


if __name__ == "__main__":
    main()
