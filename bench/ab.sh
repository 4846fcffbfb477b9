#!/usr/bin/env bash
# Run the receipts, filing and lookup benchmarks side by side on two checkouts, alternately, in one run
# (the machine's speed varies ±15 % from minute to minute; alternating spreads that over both sides).
#
#   bench/ab.sh BASE_REV [ROUNDS] [NEW_REV]        e.g. bench/ab.sh 64fe248 3
#
# BASE_REV (and NEW_REV, when given) are checked out in temporary git worktrees; "new" is this tree
# when NEW_REV is not given. Each side uses its own
# PostgreSQL databases ($AB_PREFIX_<side>_*, default congso_bench_ab) and Redis database. Output: bench/ab-<date>.log;
# a summary of the figures of each round is printed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
BASE=${1:?base revision}
ROUNDS=${2:-3}
PY="$PWD/.venv/bin/python"
LOG="bench/ab-$(date -u +%Y%m%dT%H%M).log"
WT=$(mktemp -d /tmp/congso-ab-XXXX)
NEW_TREE=$PWD
git worktree add --detach "$WT/base" "$BASE" >/dev/null
if [ -n "${3:-}" ]; then git worktree add --detach "$WT/new" "$3" >/dev/null; NEW_TREE=$WT/new; fi
trap 'git worktree remove --force "$WT/base" >/dev/null 2>&1 || true; git worktree remove --force "$WT/new" >/dev/null 2>&1 || true' EXIT
run() { # side tree cmd...
  local side=$1 tree=$2; shift 2
  echo "=== $side: $*" | tee -a "$LOG"
  (cd "$tree" && PYTHONPATH="$tree" "$@") 2>&1 | tee -a "$LOG" | grep -E "per second|statements per filing|CPU|probe|p95" || true
}
for side in base new; do
  for kind in receipts prof portal; do
    createdb -h 127.0.0.1 -U postgres "${AB_PREFIX:-congso_bench_ab}_${side}_${kind}" 2>/dev/null || true
  done
done
for round in $(seq 1 "$ROUNDS"); do
  for side in base new; do
    tree=$([ $side = base ] && echo "$WT/base" || echo "$NEW_TREE")
    db=postgres://postgres@127.0.0.1:5432/${AB_PREFIX:-congso_bench_ab}_${side}
    redis=$([ $side = base ] && echo 6 || echo 7)
    echo "##### round $round $side" | tee -a "$LOG"
    run $side "$tree" env DATABASE_URL=${db}_receipts "$PY" bench/bench_dossiers.py --only receipts --seconds 10
    run $side "$tree" env DATABASE_URL=${db}_prof "$PY" bench/profile_filing.py --filings 60
    run $side "$tree" env DATABASE_URL=${db}_portal REDIS_URL=redis://127.0.0.1:6379/$redis \
      "$PY" bench/bench_portal.py --seconds 10 --lookup-dossiers 200
  done
done
echo "log: $LOG"
