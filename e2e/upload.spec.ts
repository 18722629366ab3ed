// How the wizard sends a file: pieces cut by size, a piece lost on the
// network sent again, a refused piece shown, and a new upload id when the
// settings change before the next attempt (the server refuses an id begun
// with other settings).
import type { Request } from "@playwright/test";
import { countOf, csvFile, expect, openWizard, previewAndStart, test } from "./fixtures";

const PIECES = "**/imports/new/pieces";

/** The upload id and piece number of a request to the pieces route. */
function pieceOf(r: Request): { uploadId: string; no: number; rows: number } {
  const body = r.postDataJSON() as { uploadId: string; no: number; rows: string[][] };
  return { uploadId: body.uploadId, no: body.no, rows: body.rows.length };
}

test("a big file goes in several pieces by size, and a piece lost on the network is sent again", async ({ page }) => {
  const p = `P${Date.now()}`;
  // ~6 MB: a long column that is not imported makes pieces of a few hundred rows
  const notes = "n".repeat(3000);
  const lines = ["external_id,notes"];
  for (let i = 1; i <= 2000; i++) lines.push(`${p}-${i},${notes}`);
  await openWizard(page);
  await page.getByLabel("CSV file").setInputFiles(csvFile("wide.csv", lines));
  await expect(page.getByLabel("notes", { exact: true })).toHaveValue("skip");
  await expect(page.getByTestId("check-summary")).toContainText("2,000 rows checked");

  const sent: { uploadId: string; no: number; rows: number }[] = [];
  let dropped = false;
  await page.route(PIECES, async (route) => {
    sent.push(pieceOf(route.request()));
    if (!dropped) {
      dropped = true;
      await route.abort("connectionreset");
    } else await route.continue();
  });
  await previewAndStart(page);
  await expect(countOf(page, "Created")).toHaveText("2,000");

  expect(new Set(sent.map((s) => s.uploadId)).size).toBe(1); // one upload: the preview's, run for real
  const pieces = [...new Set(sent.map((s) => s.no))].sort((a, b) => a - b);
  expect(pieces.length).toBeGreaterThanOrEqual(3); // by size: ~2 MB each, not 2,000 rows
  expect(pieces).toEqual(pieces.map((_, i) => i));
  expect(sent.length).toBe(pieces.length + 1); // the dropped one, once more
  const rowsByPiece = new Map(sent.map((s) => [s.no, s.rows]));
  expect([...rowsByPiece.values()].reduce((a, b) => a + b, 0)).toBe(2000);
});

test("a refused piece is shown; a plain retry keeps the upload, other settings start a new one", async ({ page }) => {
  const p = `F${Date.now()}`;
  await openWizard(page);
  await page.getByLabel("CSV file").setInputFiles(
    csvFile("retry.csv", ["external_id,email", `${p}-1,${p}@example.org`, `${p}-2,${p}@example.org`]),
  );
  await expect(page.getByTestId("check-summary")).toContainText("2 rows checked");

  const sent: string[] = [];
  await page.route(PIECES, async (route) => {
    sent.push(pieceOf(route.request()).uploadId);
    await route.fulfill({
      status: 400,
      json: { error: { code: "invalid_payload", message: "Refused for the test", details: [] } },
    });
  });
  const start = page.getByRole("button", { name: "Preview changes" });
  const failure = page.locator(".wizard").getByRole("alert");
  await start.click();
  await expect(failure).toHaveText("The file could not be sent: Refused for the test. Press Preview changes to try again.");
  expect(sent).toHaveLength(1); // an answer from the app is final: not sent again

  // the same settings: the same upload
  await start.click();
  await expect.poll(() => sent.length).toBe(2);
  expect(sent[1]).toBe(sent[0]);
  await expect(failure).toBeVisible();

  // other settings: a new upload (the first one's settings can no longer change)
  await page.unroute(PIECES);
  const later: string[] = [];
  await page.route(PIECES, async (route) => {
    later.push(pieceOf(route.request()).uploadId);
    await route.continue();
  });
  await page.getByRole("radio", { name: /^Ignore/ }).check();
  await previewAndStart(page);
  expect(later).toHaveLength(1);
  expect(later[0]).not.toBe(sent[0]);
  await expect(page.getByText("conflicts: Ignore")).toBeVisible();
  await expect(countOf(page, "Created")).toHaveText("2");
  await expect(countOf(page, "Conflicts ignored")).toHaveText("1");
});

test("the pieces route: staff only, the app's own pages only, 8 MB at most", async ({ page, request }) => {
  const piece = { uploadId: crypto.randomUUID(), no: 0, rows: [["x"]] };
  const signedOut = await request.post("/imports/new/pieces", { data: piece });
  expect(signedOut.status()).toBe(401);
  expect((await signedOut.json()).error.code).toBe("unauthorized");

  await openWizard(page);
  const crossSite = await page.request.post("/imports/new/pieces", { data: piece, headers: { "sec-fetch-site": "cross-site" } });
  expect(crossSite.status()).toBe(403);
  const tooLarge = await page.request.post("/imports/new/pieces", {
    data: { ...piece, rows: [["x".repeat(8 * 1024 * 1024)]] },
  });
  expect(tooLarge.status()).toBe(413);
  // an upload that was never begun
  const unknown = await page.request.post("/imports/new/pieces", { data: piece });
  expect(unknown.status()).toBe(404);
});
