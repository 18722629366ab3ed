// Custom fields, API tokens, and the wizard's less common paths.
import { readFileSync } from "node:fs";
import type { Page } from "@playwright/test";
import { expect, signIn, test } from "./fixtures";

async function signedIn(page: Page, path: string) {
  await page.goto(path);
  await signIn(page);
  await expect(page).toHaveURL(new RegExp(`${path}$`));
}

test("custom fields: create, errors next to the field, guarded rename", async ({ page }) => {
  const slug = `branch_${Date.now()}`;
  await signedIn(page, "/fields");
  const form = page.getByRole("form", { name: "New custom field" });
  await form.getByLabel("Label").fill("Branch");
  await form.getByLabel("Slug").fill("Not A Slug");
  await form.getByRole("button", { name: "Create field" }).click();
  await expect(form.locator(".field-error")).toContainText("lower-case");
  await form.getByLabel("Slug").fill(slug);
  await form.getByRole("button", { name: "Create field" }).click();
  const table = page.getByRole("table", { name: "Custom fields" });
  await expect(table).toContainText(slug);

  const row = table.locator("tr", { hasText: slug });
  await row.getByRole("button", { name: "Rename Branch" }).click();
  await row.getByLabel("New label").fill("Workplace branch");
  await row.getByRole("button", { name: "Save label" }).click();
  await expect(row.getByRole("status")).toContainText(`the slug ${slug} stays`);
  await row.getByRole("button", { name: "Yes, rename" }).click();
  await expect(row).toContainText("Workplace branch");
});

test("API tokens: shown once, work at once, stop working when revoked", async ({ page }) => {
  const name = `Sync ${Date.now()}`;
  await signedIn(page, "/tokens");
  const form = page.getByRole("form", { name: "New API token" });
  await form.getByLabel("Name").fill(name);
  await form.getByRole("button", { name: "Create token" }).click();
  const token = (await page.getByTestId("new-token").textContent())!.trim();
  expect(token).toMatch(/^ti_/);
  const call = () => page.request.get("/api/custom_fields", { headers: { authorization: `Bearer ${token}` } });
  expect((await call()).status()).toBe(200);

  await page.reload();
  await expect(page.getByTestId("new-token")).toHaveCount(0); // never shown again
  const row = page.getByRole("table", { name: "API tokens" }).locator("tr", { hasText: name });
  await expect(row).not.toContainText("Never"); // last used is shown
  await row.getByRole("button", { name: `Revoke the token of ${name}` }).click();
  await row.getByRole("button", { name: "Yes, revoke" }).click();
  await expect(row).toContainText("Revoked");
  expect((await call()).status()).toBe(401);
});

test("wizard: a new custom field on the spot, problem rows downloaded before submit, a double click makes one import", async ({ page }) => {
  const p = `N${Date.now()}`;
  const fileName = `club-${p}.csv`;
  await signedIn(page, "/imports/new");
  await expect(page.locator('.wizard[data-hydrated="true"]')).toBeVisible();
  await page.getByLabel("CSV file").setInputFiles({
    name: fileName,
    mimeType: "text/csv",
    buffer: Buffer.from(`Member No,Email,Shirt size ${p}\n${p}-1,a-${p}@example.org,M\n${p}-2,broken,L\n`),
  });
  await page.getByLabel(`Shirt size ${p}`, { exact: true }).selectOption("__new__");
  const newField = page.getByRole("group", { name: `New custom field for Shirt size ${p}` });
  await newField.getByLabel("Slug").fill(`shirt_${p.toLowerCase()}`);
  await newField.getByRole("button", { name: "Create field" }).click();
  await expect(page.getByLabel(`Shirt size ${p}`, { exact: true })).toHaveValue(`shirt_${p.toLowerCase()}`);

  const summary = page.getByTestId("check-summary");
  await expect(summary).toContainText("1 row: invalid email");
  const download = page.waitForEvent("download");
  await summary.getByRole("button", { name: "Download rows with problems" }).click();
  const rows = readFileSync((await (await download).path())!, "utf8").trim().split(/\r?\n/);
  expect(rows).toEqual([`Member No,Email,Shirt size ${p}`, `${p}-2,broken,L`]);

  await page.getByRole("button", { name: "Start import" }).dblclick();
  await expect(page).toHaveURL(/\/imports\/[0-9a-f-]{36}$/, { timeout: 30_000 });
  await expect(page.getByTestId("import-status")).toHaveText("Ready", { timeout: 30_000 });
  await page.goto("/imports");
  await expect(page.getByRole("table", { name: "Imports" }).locator("tr", { hasText: fileName })).toHaveCount(1);
});
