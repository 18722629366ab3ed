#!/usr/bin/env bash
# `npm test`: type check, production build (the API tests run the built app),
# then every vitest suite on SQLite and on PostgreSQL.
# PostgreSQL: TEST_PG_URL (default postgresql://postgres@127.0.0.1:5432/postgres);
# TEST_DIALECTS=sqlite runs without it.
set -euo pipefail
cd "$(dirname "$0")/.."
echo "== typecheck"
npx tsc --noEmit -p .
echo "== build"
npx next build > /tmp/target-import-build.log 2>&1 || { cat /tmp/target-import-build.log; exit 1; }
echo "== vitest"
npx vitest run "$@"
