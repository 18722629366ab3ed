// End-to-end tests (e2e/*.spec.ts) against the real built app: `npm start`'s
// own script on a free port, a fresh SQLite database in a temp folder, the
// first admin made by the bootstrap from ADMIN_EMAIL / ADMIN_PASSWORD.
// Browsers cannot be downloaded here: Debian's chromium (`apt-get install -y
// chromium`; CHROMIUM_PATH to use another).
import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defineConfig, devices } from "@playwright/test";
import { ADMIN_EMAIL, ADMIN_PASSWORD } from "./e2e/accounts";

// Chosen once in the main process; the workers inherit them with the environment.
process.env.E2E_PORT ??= execFileSync(process.execPath, [
  "-e",
  "const s=require('node:net').createServer().listen(0,'127.0.0.1',()=>{process.stdout.write(String(s.address().port));s.close()})",
]).toString();
process.env.E2E_DATA_DIR ??= mkdtempSync(join(tmpdir(), "target-import-e2e-"));
process.env.E2E_DATABASE_URL ??= `file:${join(process.env.E2E_DATA_DIR, "app.db")}`;

const baseURL = `http://127.0.0.1:${process.env.E2E_PORT}`;

export default defineConfig({
  testDir: "e2e",
  outputDir: "test-results",
  globalTeardown: "./e2e/global-teardown.ts",
  timeout: 60_000,
  expect: { timeout: 15_000 },
  fullyParallel: true,
  workers: 2,
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: [["list"]],
  use: {
    baseURL,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    },
  },
  projects: [
    {
      name: "chromium",
      testIgnore: /responsiveness\.spec\.ts|require-two-factor\.spec\.ts/,
      use: { ...devices["Desktop Chrome"], viewport: { width: 1280, height: 800 } },
    },
    {
      // measured alone, once everything else has finished
      name: "responsiveness",
      testMatch: /responsiveness\.spec\.ts/,
      dependencies: ["chromium"],
      use: { ...devices["Desktop Chrome"], viewport: { width: 1280, height: 800 } },
    },
    {
      // requires two-factor of every account of the one e2e app while it
      // runs: alone, once everything else has finished
      name: "app-settings",
      testMatch: /require-two-factor\.spec\.ts/,
      dependencies: ["responsiveness"],
      use: { ...devices["Desktop Chrome"], viewport: { width: 1280, height: 800 } },
    },
  ],
  webServer: {
    // Builds first if the build is missing or stale (npm test has just built).
    command: `node scripts/start.mjs -p ${process.env.E2E_PORT} -H 127.0.0.1`,
    url: `${baseURL}/api/health`,
    reuseExistingServer: false,
    timeout: 240_000,
    stdout: "pipe",
    stderr: "pipe",
    env: {
      DATABASE_URL: process.env.E2E_DATABASE_URL,
      ADMIN_EMAIL,
      ADMIN_PASSWORD,
      WORKER_POLL_MS: "100",
      // The test runner stands in for a proxy on this machine, so the
      // X-Forwarded-For each test sends (e2e/fixtures.ts) is believed and
      // sign-in's per-address limit gives each test its own bucket.
      TRUSTED_PROXIES: "127.0.0.1",
      // webhooks to a receiver the test runs on this machine (e2e/webhooks.spec.ts)
      CSV_URL_ALLOWED_HOSTS: "127.0.0.1",
    },
  },
});
