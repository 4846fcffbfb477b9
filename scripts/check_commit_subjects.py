"""Fail when a commit subject in a range is longer than 72 characters.

    python scripts/check_commit_subjects.py BASE [HEAD]

Checks every commit in ``git log BASE..HEAD`` (HEAD defaults to HEAD), merges included, counting
characters (not bytes: Vietnamese letters count once). Prints each offender as
``<short hash> <length>: <subject>`` and exits 1; exits 0 when all fit, 2 when git fails (e.g. an
unknown BASE). CI runs it with the base commit ccc26f0: older commits are history.
"""

from __future__ import annotations

import argparse
import subprocess
import sys

MAX_SUBJECT = 72


def subjects(base: str, head: str = "HEAD", cwd: str | None = None) -> list[tuple[str, str]]:
    """(short hash, subject) of every commit in ``base..head``, newest first."""
    argv = ["git", "-c", "i18n.logOutputEncoding=UTF-8", "log", "--format=%h%x00%s", f"{base}..{head}", "--"]
    out = subprocess.run(  # noqa: S603 — git from PATH, a fixed argv; the range is one argument
        argv,
        cwd=cwd,
        check=True,
        capture_output=True,
    ).stdout.decode("utf-8")
    return [tuple(line.split("\0", 1)) for line in out.splitlines() if line]


def too_long(commits: list[tuple[str, str]], limit: int = MAX_SUBJECT) -> list[tuple[str, str]]:
    return [(sha, subject) for sha, subject in commits if len(subject) > limit]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base", help="the commit after which subjects are checked")
    parser.add_argument("head", nargs="?", default="HEAD")
    parser.add_argument("--max", type=int, default=MAX_SUBJECT, help="longest subject allowed (72)")
    args = parser.parse_args(argv)
    try:
        commits = subjects(args.base, args.head)
    except subprocess.CalledProcessError as exc:
        sys.stderr.write(exc.stderr.decode("utf-8", "replace"))
        print(f"git log {args.base}..{args.head} failed", file=sys.stderr)
        return 2
    offenders = too_long(commits, args.max)
    for sha, subject in offenders:
        print(f"{sha} {len(subject)}: {subject}")
    if offenders:
        print(
            f"{len(offenders)} of {len(commits)} commit subjects in {args.base}..{args.head} are longer "
            f"than {args.max} characters: keep the subject short and put the detail in the body.",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
