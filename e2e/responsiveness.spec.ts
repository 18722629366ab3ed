// The page stays responsive while a 50 MB file is parsed, checked and sent,
// and the whole import (Preview changes → preview, Start import → Ready) stays fast. Runs alone, after
// the other e2e tests (its own project in playwright.config.ts): on 2 cores,
// parallel tests starve the page's main thread and the measurement would be
// of them, not of the wizard.
//
// E2E_BIG_ROWS=1000000 uses a file of that many rows instead of 50 MB (a
// by-hand measurement of the 1M-row target; the bounds below still apply;
// at most 1,000,000, as the phone numbers repeat after that):
//   E2E_BIG_ROWS=1000000 npx playwright test --project=responsiveness --no-deps
import { rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, openWizard, test } from "./fixtures";

const BIG_ROWS = Number(process.env.E2E_BIG_ROWS ?? 0);

/**
 * Writes the test file: 50 MB, or E2E_BIG_ROWS rows; returns its path, size
 * and rows. Its yes/no column is written Y/N, so a column format converts
 * every row in the worker before the check and the upload. (A UK date column
 * in a custom date field, measured by hand with E2E_BIG_ROWS=1000000, adds
 * the engine's work of storing a custom value per row to the import's time.)
 */
function writeBigCsv(): { path: string; bytes: number; rows: number } {
  const path = join(tmpdir(), `e2e-big-${process.pid}.csv`);
  // unique per run, so the import creates every row (as a first import would)
  const run = Date.now().toString(36);
  // +447723…: a mobile range no other spec uses, so no row conflicts with a
  // member another test stored (the import's counts are exact)
  const row = (i: number) =>
    `M${run}-${i},First${i},Last${i},member${i}.${run}@example.org,+447723${String(i % 1_000_000).padStart(6, "0")},${i % 3 ? "Y" : "N"}\n`;
  const parts = ["external_id,first_name,last_name,email,phone_number,subscription_sms\n"];
  let size = parts[0].length;
  let rows = 0;
  while (BIG_ROWS > 0 ? rows < BIG_ROWS : size < 50 * 1024 * 1024) {
    const line = row(rows++);
    parts.push(line);
    size += line.length;
  }
  writeFileSync(path, parts.join(""));
  return { path, bytes: size, rows };
}

test("a 50 MB file is checked and sent without freezing the page, and imported quickly", async ({ page }) => {
  test.setTimeout(480_000);
  const file = writeBigCsv();
  const label = BIG_ROWS > 0 ? `${file.rows.toLocaleString("en-GB")}-row file` : "50 MB file";
  test.info().annotations.push({ type: "file", description: `${file.rows} rows, ${(file.bytes / 1024 / 1024).toFixed(1)} MB` });

  await page.addInitScript(() => {
    // The longest main-thread stall: how late a 20 ms timer fires. (The Long
    // Tasks API reports nothing in this headless Chromium, so it is not used.)
    // `__stall` is the longest since the last reset; `__stallOn` the longest
    // per page path (the wizard moves to the import page without a reload).
    const w = window as unknown as { __stall: number; __stallOn: Record<string, number> };
    w.__stall = 0;
    w.__stallOn = {};
    let last = performance.now();
    setInterval(() => {
      const now = performance.now();
      const late = now - last - 20;
      w.__stall = Math.max(w.__stall, late);
      w.__stallOn[location.pathname] = Math.max(w.__stallOn[location.pathname] ?? 0, late);
      last = now;
    }, 20);
  });
  try {
    await openWizard(page);
    const stall = () => page.evaluate(() => (window as unknown as { __stall: number }).__stall);
    const wizardStall = () =>
      page.evaluate(() => (window as unknown as { __stallOn: Record<string, number> }).__stallOn["/imports/new"] ?? 0);
    const resetStall = () =>
      page.evaluate(() => {
        const w = window as unknown as { __stall: number; __stallOn: Record<string, number> };
        w.__stall = 0;
        w.__stallOn = {};
      });
    const before = await stall();
    await page.waitForTimeout(500);
    await resetStall();

    // 1. parse and check
    await page.getByLabel("CSV file").setInputFiles(file.path);
    await expect(page.getByLabel("external_id", { exact: true })).toHaveValue("external_id");
    // the formats are suggested from a scan of every value, then applied by the worker before the check
    await expect(page.getByText(/Reading how each column is written… [\d,]+ rows so far/)).toBeVisible({ timeout: 60_000 });
    await expect(page.getByLabel("Format of subscription_sms")).toHaveValue(JSON.stringify({ kind: "flag", yes: "y", no: "n" }), {
      timeout: 200_000,
    });
    // the page answers while the worker reads the file
    await expect(page.getByText(/Checking… [\d,]+ rows so far/)).toBeVisible({ timeout: 200_000 });
    await page.getByText("Preview of the first rows").click();
    await expect(page.getByRole("table", { name: "Preview" })).toBeVisible();
    await expect(page.getByTestId("check-summary")).toContainText(`${file.rows.toLocaleString("en-GB")} rows checked; no rows with problems.`, {
      timeout: 200_000,
    });
    const longest = await stall();
    console.log(
      `${label}: longest main-thread stall ${Math.round(longest)} ms while scanning for formats and checking with them (while loading the page before: ${Math.round(before)} ms)`,
    );
    test.info().annotations.push({ type: "longest-stall-ms", description: String(Math.round(longest)) });
    expect(longest).toBeLessThan(250);

    // 2. Preview changes (the file is sent once, as a dry run) → the preview;
    //    then Start import (the same staged rows, nothing sent) → Ready
    await resetStall();
    const previewButton = page.getByRole("button", { name: "Preview changes" });
    await expect(previewButton).toBeEnabled();
    const t0 = Date.now();
    await previewButton.click();
    await expect(page.getByText(/Sending [\d,]+ of [\d,]+ rows/)).toBeVisible();
    await expect(page.getByTestId("preview-result")).toBeVisible({ timeout: 240_000 });
    const previewMs = Date.now() - t0;
    const sendingStall = await wizardStall();
    const start = page.getByRole("button", { name: "Start import" });
    await expect(start).toBeEnabled();
    const t1 = Date.now();
    await start.click();
    await expect(page).toHaveURL(/\/imports\/[0-9a-f-]{36}$/, { timeout: 60_000 });
    await expect(page.getByTestId("import-status")).toHaveText("Ready", { timeout: 240_000 });
    const readyMs = Date.now() - t1;
    console.log(
      `${label} (${file.rows.toLocaleString("en-GB")} rows, ${(file.bytes / 1024 / 1024).toFixed(1)} MB): ` +
        `Preview changes → preview ${(previewMs / 1000).toFixed(1)} s; Start import → Ready ${(readyMs / 1000).toFixed(1)} s; ` +
        `longest main-thread stall while sending ${Math.round(sendingStall)} ms`,
    );
    test.info().annotations.push({ type: "preview-ms", description: String(previewMs) });
    test.info().annotations.push({ type: "start-to-ready-ms", description: String(readyMs) });
    test.info().annotations.push({ type: "sending-stall-ms", description: String(Math.round(sendingStall)) });
    // every row created, nothing else (the whole line, so a failure shows every count)
    await expect(page.locator(".counts").first()).toHaveText(
      new RegExp(`^\\s*Created\\s*${file.rows.toLocaleString("en-GB")}\\s*Updated\\s*0\\s*Unchanged\\s*0\\s*Rejected\\s*0(?!\\d)`),
    );
    // generous: catches a regression (sequential small pieces took ~90 s for
    // 1M rows), not the 30 s target, as CI machines vary
    expect(previewMs).toBeLessThan(90_000);
    expect(readyMs).toBeLessThan(90_000);
    expect(sendingStall).toBeLessThan(250);

    // the measurement sees a blocked page: a 150 ms busy loop must register
    await resetStall();
    await page.evaluate(() => {
      const t = performance.now();
      while (performance.now() - t < 150);
    });
    await expect.poll(stall).toBeGreaterThan(120);
  } finally {
    rmSync(file.path, { force: true });
  }
});
