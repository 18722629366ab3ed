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
import { tracedPhase, waitInPage } from "./main-thread";

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

test("a 50 MB file is checked and sent without freezing the page, and imported quickly", async ({ page, browser }) => {
  test.setTimeout(480_000);
  const file = writeBigCsv();
  const label = BIG_ROWS > 0 ? `${file.rows.toLocaleString("en-GB")}-row file` : "50 MB file";
  test.info().annotations.push({ type: "file", description: `${file.rows} rows, ${(file.bytes / 1024 / 1024).toFixed(1)} MB` });
  const wizard = /\/imports\/new$/;
  const rows = file.rows.toLocaleString("en-GB");
  // plain DOM checks while measuring (waitInPage says why)
  const wizardText = (re: string) => new RegExp(re).test(document.querySelector(".wizard")?.textContent ?? "");
  const aSelectIs = (value: string) => [...document.querySelectorAll("select")].some((s) => s.value === value);
  try {
    await openWizard(page);
    await page.waitForTimeout(500); // the page's idle work after loading
    await waitInPage(page, () => true, null, 5_000); // Playwright's script, compiled in the page before measuring

    // 1. parse, scan for formats, check
    const checkStart = performance.now();
    const checking = await tracedPhase(browser, page, wizard, async () => {
      await page.getByLabel("CSV file").setInputFiles(file.path);
      await waitInPage(page, aSelectIs, "external_id", 60_000);
      // the formats are suggested from a scan of every value, then applied by the worker before the check
      await waitInPage(page, wizardText, "Reading how each column is written… [\\d,]+ rows so far", 60_000);
      await waitInPage(page, aSelectIs, JSON.stringify({ kind: "flag", yes: "y", no: "n" }), 200_000);
      // the page answers while the worker reads the file
      await waitInPage(page, wizardText, "Checking… [\\d,]+ rows so far", 200_000);
      await waitInPage(page, wizardText, `${rows} rows checked; no rows with problems`, 200_000);
    });
    const checkS = ((performance.now() - checkStart) / 1000).toFixed(1);
    console.log(`${label}: chosen → scanned for formats and checked in ${checkS} s; longest main-thread task ${Math.round(checking.ms)} ms (running ${Math.round(checking.cpuMs)} ms of it: ${checking.what}; the most any task ran: ${Math.round(checking.mostCpuMs)} ms) meanwhile`);
    test.info().annotations.push({ type: "longest-task-checking-ms", description: String(Math.round(checking.ms)) });
    await expect(page.getByTestId("check-summary")).toContainText(`${rows} rows checked; no rows with problems.`);
    await page.getByText("Preview of the first rows").click();
    await expect(page.getByRole("table", { name: "Preview" })).toBeVisible();

    // 2. Preview changes (the file is sent once, as a dry run) → the preview;
    //    then Start import (the same staged rows, nothing sent) → Ready
    const previewButton = page.getByRole("button", { name: "Preview changes" });
    await expect(previewButton).toBeEnabled();
    let previewMs = 0;
    const sending = await tracedPhase(browser, page, wizard, async () => {
      const t0 = Date.now();
      await previewButton.click();
      await waitInPage(page, wizardText, "Sending [\\d,]+ of [\\d,]+ rows", 30_000);
      await waitInPage(page, () => !!document.querySelector('[data-testid="preview-result"]'), null, 240_000);
      previewMs = Date.now() - t0;
    });
    const start = page.getByRole("button", { name: "Start import" });
    await expect(start).toBeEnabled();
    const t1 = Date.now();
    await start.click();
    await expect(page).toHaveURL(/\/imports\/[0-9a-f-]{36}$/, { timeout: 60_000 });
    await expect(page.getByTestId("import-status")).toHaveText("Ready", { timeout: 240_000 });
    const readyMs = Date.now() - t1;
    console.log(
      `${label} (${rows} rows, ${(file.bytes / 1024 / 1024).toFixed(1)} MB): ` +
        `Preview changes → preview ${(previewMs / 1000).toFixed(1)} s; Start import → Ready ${(readyMs / 1000).toFixed(1)} s; ` +
        `longest main-thread task while sending ${Math.round(sending.ms)} ms (running ${Math.round(sending.cpuMs)} ms of it: ${sending.what}; the most any task ran: ${Math.round(sending.mostCpuMs)} ms)`,
    );
    test.info().annotations.push({ type: "preview-ms", description: String(previewMs) });
    test.info().annotations.push({ type: "start-to-ready-ms", description: String(readyMs) });
    test.info().annotations.push({ type: "longest-task-sending-ms", description: String(Math.round(sending.ms)) });
    // every row created, nothing else (the whole line, so a failure shows every count)
    await expect(page.locator(".counts").first()).toHaveText(
      new RegExp(`^\\s*Created\\s*${rows}\\s*Updated\\s*0\\s*Unchanged\\s*0\\s*Rejected\\s*0(?!\\d)`),
    );
    // Generous bounds: they catch a regression (a whole-file loop on the
    // main thread, sequential small pieces: ~90 s for 1M rows), not the
    // issue's 33 ms and 30 s targets, as CI machines vary; the figures are
    // printed above.
    expect(checking.ms).toBeLessThan(150);
    expect(sending.ms).toBeLessThan(150);
    expect(previewMs).toBeLessThan(90_000);
    expect(readyMs).toBeLessThan(90_000);

    // the measurement sees a blocked page: a 200 ms busy loop must register
    const blocked = await tracedPhase(browser, page, /\/imports\/[0-9a-f-]{36}$/, async () => {
      await page.evaluate(() => {
        const t = performance.now();
        while (performance.now() - t < 200);
      });
    });
    expect(blocked.ms).toBeGreaterThan(190);
  } finally {
    rmSync(file.path, { force: true });
  }
});
