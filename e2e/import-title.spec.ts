// An import's page is titled with what was imported (its file, or "API
// import"), who started it and when, on the page and in the browser's tab.
import { ADMIN_EMAIL } from "./accounts";
import { newApiToken } from "./api-reader";
import { expect, openWizard, previewAndStart, test } from "./fixtures";

const WHEN = /on \d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2} UTC$/;

test("an upload's page is titled with its file, the staff user who started it, and when", async ({ page }) => {
  const name = `branch-${Date.now()}.csv`;
  await openWizard(page);
  await page.getByLabel("CSV file").setInputFiles({ name, mimeType: "text/csv", buffer: Buffer.from(`external_id\r\nT${Date.now()}\r\n`) });
  await previewAndStart(page);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(name);
  const byline = page.getByTestId("import-byline");
  await expect(byline).toContainText(`Started by admin (${ADMIN_EMAIL})`);
  await expect(byline).toHaveText(WHEN);
  const year = String(new Date().getUTCFullYear());
  await expect(page).toHaveTitle(new RegExp(`^${name.replace(/\./g, "\\.")} · admin \\(${ADMIN_EMAIL.replace(/\./g, "\\.")}\\), .*${year}.* UTC · Target import$`));
});

test("an API import's page names the API user and says it came through the API", async ({ page }) => {
  const client = `Membership system ${Date.now()}`;
  await openWizard(page);
  const token = await newApiToken(page, client);
  const r = await page.request.post("/api/targets/bulk_upsert", {
    headers: { authorization: `Bearer ${token}` },
    data: { records: [{ external_id: `API${Date.now()}` }] },
  });
  expect(r.status()).toBe(200);
  await page.goto(`/imports/${(await r.json()).deferred_result_id}`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("API import");
  await expect(page.getByTestId("import-byline")).toContainText(`Started by ${client} (API)`);
  await expect(page.getByTestId("import-byline")).toHaveText(WHEN);
  await expect(page).toHaveTitle(new RegExp(`^API import · ${client} \\(API\\), `));
});
