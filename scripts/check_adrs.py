#!/usr/bin/env python3
"""Check the ADR habits (docs/adr, ADR 0090): an accepted ADR is superseded, never edited; each says the
options it weighed.

    scripts/check_adrs.py [BASE]

- every ADR whose status is accepted has a section headed "Options weighed" (or "Options considered");
- with BASE (a commit), an ADR that existed at BASE may change only its status line ("Date: … · Status:
  …"), to say it is superseded; its decision text stays as it was accepted.

Exits 1 and lists the offenders.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ADR_DIR = "docs/adr"
OPTIONS = re.compile(r"^#+\s*(options weighed|options considered)\b", re.IGNORECASE | re.MULTILINE)
STATUS_LINE = re.compile(r"^Date:.*Status:", re.IGNORECASE)


def _status(text: str) -> str:
    for line in text.splitlines():
        if STATUS_LINE.match(line):
            return line.split("Status:", 1)[1].strip().lower()
    return ""


def missing_options(root: Path = ROOT) -> list[str]:
    problems = []
    for path in sorted((root / ADR_DIR).glob("[0-9]*.md")):
        text = path.read_text(encoding="utf-8")
        if _status(text).startswith("accepted") and not OPTIONS.search(text):
            problems.append(f"{path.relative_to(root)}: accepted but names no options weighed")
    return problems


def _git(root: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=True).stdout


def edited_since(base: str, root: Path = ROOT) -> list[str]:
    problems = []
    changed = _git(root, "diff", "--name-only", "--diff-filter=MR", base, "HEAD", "--", ADR_DIR).split()
    for name in changed:
        try:
            old = _git(root, "show", f"{base}:{name}").splitlines()
        except subprocess.CalledProcessError:
            continue
        new = (root / name).read_text(encoding="utf-8").splitlines()
        body_old = [line for line in old if not STATUS_LINE.match(line)]
        body_new = [line for line in new if not STATUS_LINE.match(line)]
        if body_old != body_new:
            problems.append(
                f"{name}: an ADR's text changed after it was written; supersede it with a new one"
            )
    return problems


def main(argv: list[str]) -> int:
    problems = missing_options()
    if len(argv) > 1:
        base = argv[1]
        try:
            _git(ROOT, "cat-file", "-e", f"{base}^{{commit}}")
        except subprocess.CalledProcessError:
            print(f"check_adrs: base {base} is not in this clone; history not checked", file=sys.stderr)
        else:
            problems += edited_since(base)
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
