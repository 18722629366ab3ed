// The audit log (/audit, admins only): a token made on /tokens, an import
// through the API with it and a members export by a staff user each show,
// with who did it (the API user by the token's name) and from where; the
// page is filtered by actor and its CSV downloaded with the keyboard alone,
// axe-core clean, and the download is itself in the log.
import { readFileSync } from "node:fs";
import type { Page } from "@playwright/test";
import { audit, tabTo } from "./a11y";
import { ADMIN_EMAIL } from "./accounts";
import { createUser, expect, pageAs, signIn, test } from "./fixtures";

/** Chooses `label` in a focused select with the arrow keys, as a keyboard user does. */
async function chooseByKeyboard(page: Page, select: ReturnType<Page["getByLabel"]>, label: string) {
  await select.focus();
  await page.keyboard.press("Home");
  for (let i = 0; i < 500; i++) {
    const chosen = await select.evaluate((el) => (el as HTMLSelectElement).selectedOptions[0]?.textContent ?? "");
    if (chosen === label) return;
    await page.keyboard.press("ArrowDown");
  }
  throw new Error(`${label} is not among the choices`);
}

test("the audit log shows who did what, filtered by actor and downloaded with the keyboard alone", async ({ page, browser, baseURL }) => {
  test.setTimeout(120_000);
  const p = `AL${Date.now()}`;
  const tokenName = `Audit sync ${p}`;
  const staffEmail = `audit-${p.toLowerCase()}@e2e.example.org`;

  // an admin makes a token on /tokens, then a system imports with it
  await page.goto("/tokens");
  await signIn(page);
  await expect(page).toHaveURL(/\/tokens$/);
  const form = page.getByRole("form", { name: "New API token" });
  await form.getByLabel("Name").fill(tokenName);
  await form.getByRole("button", { name: "Create token" }).click();
  const token = (await page.getByTestId("new-token").textContent())!.trim();
  const upsert = await page.request.post("/api/targets/bulk_upsert", {
    headers: { authorization: `Bearer ${token}`, "x-forwarded-for": "192.0.2.44" },
    data: { records: [{ external_id: `${p}-1`, email: `${p.toLowerCase()}@example.org` }] },
  });
  expect(upsert.status()).toBe(200);
  const jobId = (await upsert.json()).deferred_result_id as string;
  await expect
    .poll(async () => (await (await page.request.get(`/api/deferred_results/${jobId}`, { headers: { authorization: `Bearer ${token}` } })).json()).status)
    .toBe("ready");

  // a staff user exports members
  createUser(staffEmail, "an audited staff password", "staff");
  const staff = await pageAs(browser, baseURL, "/members", staffEmail, "an audited staff password");
  expect((await staff.request.get(`/members.csv?q=${p}`)).status()).toBe(200);
  await staff.context().close();

  // the admin's log, by keyboard: filter by the API user
  await page.goto("/audit");
  await expect(page.getByRole("heading", { name: "Audit log" })).toBeVisible();
  await audit(page, "the audit log");
  const table = page.getByRole("table", { name: "Audit log" });
  await expect(table.locator("tr", { hasText: "API token created" }).filter({ hasText: tokenName }).first()).toContainText(ADMIN_EMAIL);

  await tabTo(page, page.getByLabel("Who"));
  await chooseByKeyboard(page, page.getByLabel("Who"), `${tokenName} (API)`);
  await tabTo(page, page.getByRole("button", { name: "Filter" }));
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/[?&]actor=/);
  const rows = table.locator("tbody tr");
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText(`${tokenName} (API)`);
  await expect(rows.first()).toContainText("192.0.2.44");
  await expect(rows.first()).toContainText("Import started");
  await expect(rows.first().getByRole("link", { name: `Import ${jobId.slice(0, 8)}` })).toBeVisible();
  await audit(page, "the audit log filtered by an API user");

  // then by the staff user: their export, with its search and row count
  await tabTo(page, page.getByLabel("Who"));
  await chooseByKeyboard(page, page.getByLabel("Who"), staffEmail);
  await tabTo(page, page.getByRole("button", { name: "Filter" }));
  await page.keyboard.press("Enter");
  await expect(rows.filter({ hasText: "Members exported" })).toHaveCount(1);
  await expect(rows.filter({ hasText: "Members exported" })).toContainText(`search: q=${p} · rows: 1 · complete: true`);
  await expect(table).not.toContainText(tokenName);

  // the CSV of what is shown, by keyboard; the download is itself recorded
  const download = page.waitForEvent("download");
  await tabTo(page, page.getByRole("link", { name: "Download CSV" }));
  await page.keyboard.press("Enter");
  const csv = readFileSync((await (await download).path())!, "utf8");
  expect(csv).toContain(`,staff,${staffEmail},`);
  expect(csv).toContain("members_exported");
  expect(csv).not.toContain(tokenName);
  const csvRows = csv.trim().split("\r\n").length - 1;
  await page.goto("/audit?action=audit_exported");
  await expect(rows.first()).toContainText(ADMIN_EMAIL);
  await expect(rows.first()).toContainText(`rows: ${csvRows} · complete: true`);
});

test("staff are refused the audit log and do not see its link", async ({ browser, baseURL }) => {
  const email = `audit-staff-${Date.now()}@e2e.example.org`;
  createUser(email, "a staff password here", "staff");
  const staff = await pageAs(browser, baseURL, "/imports", email, "a staff password here");
  await expect(staff.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Audit log" })).toHaveCount(0);
  expect((await staff.goto("/audit"))!.status()).toBe(403);
  expect((await staff.request.get("/audit.csv")).status()).toBe(403);
  await staff.context().close();
});
