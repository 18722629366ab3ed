#!/usr/bin/env bash
# `npm test`: type check, lint (ESLint with React's rules of hooks), production build (the API and e2e tests run the
# built app), every vitest suite on SQLite and on PostgreSQL, then the
# Playwright e2e tests (e2e/, Debian's chromium at /usr/bin/chromium).
# PostgreSQL: TEST_PG_URL (default postgresql://postgres@127.0.0.1:5432/postgres);
# TEST_DIALECTS=sqlite runs without it.
set -euo pipefail
cd "$(dirname "$0")/.."
echo "== typecheck"
npx tsc --noEmit -p .
echo "== lint"
npx eslint --max-warnings 0 .
echo "== build"
npx next build > /tmp/target-import-build.log 2>&1 || { cat /tmp/target-import-build.log; exit 1; }
echo "== vitest"
npx vitest run "$@"
echo "== e2e"
npx playwright test
