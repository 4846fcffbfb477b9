#!/usr/bin/env bash
# A bounded Schemathesis campaign against a live `congso serve` on PostgreSQL (issue 15, ADR 0140).
#
# Creates a throw-away database, migrates it, loads the demo data, starts `congso serve` on a free port,
# issues a citizen's and an official's API token (`congso api_token`), writes real identifiers from the
# database into the Schemathesis configuration (scripts/fuzz_parameters.py), and runs `schemathesis run` three
# times: as an anonymous visitor, as the citizen and as the official (bearer tokens). Checks: no server
# error, every answer conforms to the published schema, every status is documented. Exits non-zero on
# any failure. Reports (JUnit, and a pytest file reproducing failures) go to $FUZZ_REPORT_DIR.
#
#   scripts/fuzz_api.sh                          # as in .ci/run, about 5 minutes on 2 cores
#   FUZZ_MAX_TIME=30 scripts/fuzz_api.sh         # quicker, per role
#   FUZZ_SEED=42 scripts/fuzz_api.sh             # reproduce a run (the seed is printed)
#
# Settings (environment): FUZZ_PG (server URL, default postgres://postgres@127.0.0.1:5432),
# FUZZ_DB (default congso_fuzz), FUZZ_MAX_EXAMPLES (cases per operation and phase, default 10),
# FUZZ_MAX_TIME (seconds per role, default 75), FUZZ_WORKERS (default 1: Hypothesis parses
# lambdas with `ast` and two threads can trip CPython 3.11), FUZZ_CITIZEN (congdan.an),
# FUZZ_OFFICIAL (motcua.pleiku), FUZZ_SEED, FUZZ_REPORT_DIR (default var/fuzz), PYTHON (.venv/bin/python),
# FUZZ_LOOKUP_LIMIT (default 1000000: the fuzz server's CONGSO_LOOKUP_PER_IP and
# CONGSO_LOOKUP_FAILS_PER_CODE, see below).
#
# Rate limits: the public lookup allows 30 lookups an address and 10 wrong check values a code per
# 10 minutes (tracking/ratelimit.py, tested in tracking/tests). Every generated request comes from
# 127.0.0.1, so the campaign would meet 429 after 30 lookups and then test only the refusal; and
# Schemathesis's `--rate-limit auto` waited out each 429's Retry-After (60 s, three times a role: 9 of
# CI's minutes). The fuzz server runs with both lookup limits raised to FUZZ_LOOKUP_LIMIT, and
# Schemathesis does not wait: a 429 that still comes is checked like any answer (it must be documented).
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-.venv/bin/python}
case $PYTHON in /*) ;; *) PYTHON=$PWD/$PYTHON ;; esac
SCHEMATHESIS=${SCHEMATHESIS:-$(cd "$(dirname "$PYTHON")" && pwd)/schemathesis}
PG=${FUZZ_PG:-postgres://postgres@127.0.0.1:5432}
DB=${FUZZ_DB:-congso_fuzz}
MAX_EXAMPLES=${FUZZ_MAX_EXAMPLES:-10}
MAX_TIME=${FUZZ_MAX_TIME:-75}
WORKERS=${FUZZ_WORKERS:-1}
CITIZEN=${FUZZ_CITIZEN:-congdan.an}
OFFICIAL=${FUZZ_OFFICIAL:-motcua.pleiku}
SEED=${FUZZ_SEED:-$RANDOM$RANDOM}
REPORT_DIR=${FUZZ_REPORT_DIR:-var/fuzz}
LOOKUP_LIMIT=${FUZZ_LOOKUP_LIMIT:-1000000}
CHECKS=not_a_server_error,response_schema_conformance,status_code_conformance

WORK=$(mktemp -d)
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ]; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  dropdb --if-exists --force --maintenance-db="$PG/postgres" "$DB" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

PORT=$("$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
BASE="http://127.0.0.1:$PORT"
export DATABASE_URL="$PG/$DB" CONGSO_VAR_DIR="$WORK/var" CONGSO_SITE_URL="$BASE" CONGSO_ENV=development
export DJANGO_DEBUG=false PYTHONUNBUFFERED=1
REPORT_DIR=$(mkdir -p "$REPORT_DIR" && cd "$REPORT_DIR" && pwd)
started=$(date +%s)

echo "==> database $DB (fresh), migrations, demo data"
dropdb --if-exists --force --maintenance-db="$PG/postgres" "$DB"
createdb --maintenance-db="$PG/postgres" "$DB"
"$PYTHON" -m congso.cli migrate --no-input >"$WORK/demo.log" 2>&1 || { cat "$WORK/demo.log"; exit 1; }
migrated=$(date +%s)
"$PYTHON" -m congso.cli demo --no-serve >>"$WORK/demo.log" 2>&1 || { cat "$WORK/demo.log"; exit 1; }
echo "    migrations $((migrated - started))s, demo data $(($(date +%s) - migrated))s"

echo "==> API tokens: citizen $CITIZEN, official $OFFICIAL"
CITIZEN_TOKEN=$("$PYTHON" -m congso.cli api_token "$CITIZEN" --scope read --scope write --hours 2)
OFFICIAL_TOKEN=$("$PYTHON" -m congso.cli api_token "$OFFICIAL" --scope read --scope write --hours 2)

echo "==> real identifiers for the generated requests (scripts/fuzz_parameters.py)"
"$PYTHON" scripts/fuzz_parameters.py >"$WORK/schemathesis.toml"

echo "==> congso serve at $BASE"
CONGSO_LOOKUP_PER_IP=$LOOKUP_LIMIT CONGSO_LOOKUP_FAILS_PER_CODE=$LOOKUP_LIMIT \
  "$PYTHON" -m congso.cli serve --bind "127.0.0.1:$PORT" --workers 1 >"$REPORT_DIR/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 60); do
  "$PYTHON" -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=5)' \
    "$BASE/api/v1/openapi.json" 2>/dev/null && break
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$REPORT_DIR/server.log"; exit 1; }
  sleep 1
done
prepared=$(date +%s)

failed=()
run() {
  local role=$1
  shift
  echo
  echo "==> schemathesis as $role (seed $SEED, at most $MAX_EXAMPLES cases per operation, ${MAX_TIME}s)"
  local t0
  t0=$(date +%s)
  # from the scratch directory: Schemathesis keeps its example database (.schemathesis/) in the cwd
  if ! (cd "$WORK" && "$SCHEMATHESIS" --config-file "$WORK/schemathesis.toml" run "$BASE/api/v1/openapi.json" \
    --checks "$CHECKS" \
    --max-examples "$MAX_EXAMPLES" --max-time "$MAX_TIME" --workers "$WORKERS" --seed "$SEED" \
    --phases examples,coverage,fuzzing --suppress-health-check all --no-shrink \
    --request-timeout 30 \
    --report junit,ndjson --report-dir "$REPORT_DIR" \
    --report-junit-path "$REPORT_DIR/$role.xml" --report-ndjson-path "$REPORT_DIR/$role.ndjson" \
    "$@"); then
    failed+=("$role")
  fi
  echo "    $role: $(($(date +%s) - t0))s"
}

run anonymous
run citizen -H "Authorization: Bearer $CITIZEN_TOKEN"
run official -H "Authorization: Bearer $OFFICIAL_TOKEN"

echo
echo "==> prepared in $((prepared - started))s, whole campaign $(($(date +%s) - started))s; seed $SEED"
if grep -q "Traceback" "$REPORT_DIR/server.log"; then
  echo "the server logged tracebacks (see $REPORT_DIR/server.log)"
  failed+=("server-log")
fi
if [ ${#failed[@]} -gt 0 ]; then
  echo "FAILED: ${failed[*]} (reports in $REPORT_DIR)"
  exit 1
fi
echo "OK: no server error, every answer conforms to the schema, for the three roles"
