#!/usr/bin/env bash
# `npm test`: type check, lint (ESLint with React's rules of hooks), the unit
# tests (no database: they fail fast, before the long build), production
# build (the API and e2e tests run the built app), the integration and API
# tests on SQLite and on PostgreSQL, then the Playwright e2e tests (e2e/,
# Debian's chromium at /usr/bin/chromium). Arguments filter the integration
# and API tests, as vitest's do.
# PostgreSQL: TEST_PG_URL (default postgresql://postgres@127.0.0.1:5432/postgres);
# TEST_DIALECTS=sqlite runs without it.
set -euo pipefail
cd "$(dirname "$0")/.."
echo "== typecheck"
npm run --silent typecheck
echo "== lint"
npm run --silent lint
echo "== unit"
npm run --silent test:unit
echo "== build"
npx next build > /tmp/target-import-build.log 2>&1 || { cat /tmp/target-import-build.log; exit 1; }
echo "== integration and api"
npx vitest run --exclude 'tests/unit/**' --passWithNoTests "$@"
echo "== e2e"
npx playwright test
