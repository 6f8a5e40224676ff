#!/usr/bin/env bash
# The whole test suite: once on the embedded SQLite default, then the database tests again on PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=.venv
bash scripts/compile-locale.sh
$VENV/bin/ruff check src tests
$VENV/bin/python -m pytest -q "$@"
PG_URL="${TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test}"
if [ -d tests/web ] || [ -d tests/platform ]; then
  echo "--- database tests again on PostgreSQL ($PG_URL)"
  DATABASE_URL="$PG_URL" $VENV/bin/python -m pytest -q -m "django_db or not django_db" -p no:cacheprovider tests/web "$@"
fi
