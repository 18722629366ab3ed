// Cancel from an import's page: a large upload, cancelled while it runs
// (confirmation first), says Cancelled, and nothing of it is stored; the
// page with its confirmation is axe-clean.
import { audit } from "./a11y";
import { newApiToken } from "./api-reader";
import { csvFile, expect, openWizard, previewChanges, test } from "./fixtures";

const ROWS = 200_000;

test("a large upload cancelled from its page says Cancelled, and nothing of it is stored", async ({ page }) => {
  test.setTimeout(240_000);
  const p = `CX${Date.now()}`;
  const lines = ["external_id,first_name"];
  for (let i = 1; i <= ROWS; i++) lines.push(`${p}-${i},Name${i % 97}`);
  await openWizard(page);
  await page.getByLabel("CSV file").setInputFiles(csvFile("large.csv", lines));
  await expect(page.getByTestId("check-summary")).toContainText("200,000 rows checked", { timeout: 90_000 });
  await previewChanges(page, 120_000);
  for (const box of await page.getByRole("group", { name: /Check this before you start/ }).getByRole("checkbox").all()) await box.check();
  await page.getByRole("button", { name: "Start import" }).click();
  await expect(page).toHaveURL(/\/imports\/[0-9a-f-]{36}$/, { timeout: 30_000 });

  await expect(page.getByTestId("import-status")).toHaveText("Running");
  await page.getByRole("button", { name: "Cancel import…" }).click();
  const confirm = page.getByRole("button", { name: "Confirm: cancel this import" });
  await expect(confirm).toBeVisible();
  await audit(page, "the import page asking to confirm its cancel");
  await confirm.click();
  await expect(page.getByTestId("import-status")).toHaveText("Cancelled", { timeout: 120_000 });
  await expect(page.getByText("This import was cancelled: nothing from it was saved")).toBeVisible();
  await expect(page.getByRole("button", { name: /Cancel import/ })).toHaveCount(0);
  await page.reload();
  await expect(page.getByTestId("import-status")).toHaveText("Cancelled");

  // nothing of it stored: not its first row, not its last, no member matching its ids
  const token = await newApiToken(page, `E2E cancel ${p}`);
  const headers = { authorization: `Bearer ${token}` };
  for (const id of [`${p}-1`, `${p}-${ROWS / 2}`, `${p}-${ROWS}`]) {
    expect((await page.request.get(`/api/targets/${id}`, { headers })).status()).toBe(404);
  }
  const found = await (await page.request.get(`/api/targets?q=${p}`, { headers })).json();
  expect(found.targets).toEqual([]);
});
