#!/usr/bin/env python3
"""Check that a demo database made by an earlier commit migrates to this tree without losing rows.

    .venv/bin/python scripts/upgrade_check.py 64fe248

1. checks the earlier commit out in a temporary git worktree and runs its ``congso demo --no-serve``
   on a fresh SQLite database (its own code, this venv);
2. counts the rows of every table;
3. runs this tree's ``migrate`` on that database and counts again;
4. compares: every table keeps its rows (a table moved between apps is matched by its new name; the
   bookkeeping tables of Django — migrations, content types, permissions — may only grow), and the
   audit chain still verifies.
Exits 1 on any loss.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
# tables renamed by a move between apps (ADR 0093)
RENAMED = {
    "core_calendarexception": "calendar_calendarexception",
    "core_officehours": "calendar_officehours",
    "core_calendarrevision": "calendar_calendarrevision",
}
BOOKKEEPING = {"django_migrations", "django_content_type", "auth_permission"}


def counts(db: Path) -> dict[str, int]:
    with sqlite3.connect(db) as c:
        names = [
            r[0]
            for r in c.execute(
                "select name from sqlite_master where type='table' and name not like 'sqlite_%' "
                "and name not like '%fts%'"
            )
        ]
        return {n: c.execute(f'select count(*) from "{n}"').fetchone()[0] for n in names}


def run(args: list[str], cwd: Path, var: Path) -> None:
    env = {**os.environ, "CONGSO_VAR_DIR": str(var), "PYTHONPATH": str(cwd)}
    env.pop("DATABASE_URL", None)
    subprocess.run(args, cwd=cwd, env=env, check=True, stdout=subprocess.DEVNULL)


def main(base: str) -> int:
    with tempfile.TemporaryDirectory(prefix="congso-upgrade-") as tmp:
        tree, var = Path(tmp) / "base", Path(tmp) / "var"
        subprocess.run(["git", "worktree", "add", "--detach", str(tree), base], cwd=ROOT, check=True)
        try:
            run([PYTHON, "manage.py", "demo", "--no-serve"], tree, var)
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(tree)], cwd=ROOT, check=False)
        db = var / "congso.sqlite3"
        before = counts(db)
        run([PYTHON, "manage.py", "migrate", "--no-input"], ROOT, var)
        after = counts(db)
        run([PYTHON, "-m", "congso.cli", "audit", "verify"], ROOT, var)
    lost = []
    for table, n in before.items():
        m = after.get(RENAMED.get(table, table))
        if m is None or m < n or (m != n and table not in BOOKKEEPING):
            lost.append((table, n, m))
    print(
        json.dumps(
            {
                "tables": len(before),
                "rows_before": sum(before.values()),
                "rows_after": sum(after.values()),
                "lost": lost,
            },
            ensure_ascii=False,
        )
    )
    return 1 if lost else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "64fe248"))
