// Custom fields, API tokens, and the wizard's less common paths.
import { readFileSync } from "node:fs";
import type { Page } from "@playwright/test";
import { STAFF_EMAIL, STAFF_PASSWORD } from "./accounts";
import { createUser, expect, nextAction, pageAs, previewChanges, replayAction, signIn, test } from "./fixtures";

async function signedIn(page: Page, path: string, email?: string, password?: string) {
  await page.goto(path);
  await signIn(page, email, password);
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

  await previewChanges(page);
  await page.getByRole("button", { name: "Start import" }).dblclick();
  await expect(page).toHaveURL(/\/imports\/[0-9a-f-]{36}$/, { timeout: 30_000 });
  await expect(page.getByTestId("import-status")).toHaveText("Ready", { timeout: 30_000 });
  await page.goto("/imports");
  // one import (the double click started it once) and its preview
  const listed = page.getByRole("table", { name: "Imports" }).locator("tr", { hasText: fileName });
  await expect(listed).toHaveCount(2);
  await expect(listed.filter({ hasText: "preview, changed nothing" })).toHaveCount(1);
});

test("staff see the field catalogue but only admins add or rename fields (pages, wizard, and the server)", async ({ page, browser, baseURL }) => {
  createUser(STAFF_EMAIL, STAFF_PASSWORD, "staff");
  const slug = `owned_${Date.now()}`;

  // An admin adds and renames a field; the calls are kept to be replayed by staff.
  await signedIn(page, "/fields");
  const form = page.getByRole("form", { name: "New custom field" });
  await form.getByLabel("Label").fill("Owned");
  await form.getByLabel("Slug").fill(slug);
  const createCall = nextAction(page);
  await form.getByRole("button", { name: "Create field" }).click();
  const create = await createCall;
  const row = page.getByRole("table", { name: "Custom fields" }).locator("tr", { hasText: slug });
  await expect(row).toBeVisible();
  await row.getByRole("button", { name: "Rename Owned" }).click();
  await row.getByLabel("New label").fill("Owned by admins");
  await row.getByRole("button", { name: "Save label" }).click();
  const renameCall = nextAction(page);
  await row.getByRole("button", { name: "Yes, rename" }).click();
  const rename = await renameCall;
  await expect(row).toContainText("Owned by admins");

  // Staff: the catalogue, no forms, and a note saying who adds fields.
  const staffPage = await pageAs(browser, baseURL, "/fields", STAFF_EMAIL, STAFF_PASSWORD);
  const staffRow = staffPage.getByRole("table", { name: "Custom fields" }).locator("tr", { hasText: slug });
  await expect(staffRow).toContainText("Owned by admins");
  await expect(staffPage.getByRole("button", { name: /^Rename/ })).toHaveCount(0);
  await expect(staffPage.getByRole("form", { name: "New custom field" })).toHaveCount(0);
  await expect(staffPage.getByTestId("fields-admins-only")).toHaveText(/Only admins add or rename custom fields/);

  // The wizard: no "New custom field…" for staff, and who to ask instead.
  await staffPage.goto("/imports/new");
  await expect(staffPage.locator('.wizard[data-hydrated="true"]')).toBeVisible();
  await staffPage.getByLabel("CSV file").setInputFiles({ name: "staff.csv", mimeType: "text/csv", buffer: Buffer.from("external_id,Shoe size\nS-1,5\n") });
  const select = staffPage.getByLabel("Shoe size", { exact: true });
  await expect(select).toBeVisible();
  await expect(select.locator("option", { hasText: "New custom field" })).toHaveCount(0);
  await expect(staffPage.getByTestId("new-field-admins-only")).toContainText("only admins add");

  // The server refuses the admin's own calls when staff make them.
  const otherSlug = `${slug}_staff`;
  const createdByStaff = await replayAction(staffPage, create, create.postData()!.replace(slug, otherSlug));
  expect(createdByStaff).toContain('"code":"forbidden"');
  expect(createdByStaff).toContain("Only an admin can do this");
  const renamedByStaff = await replayAction(staffPage, rename, rename.postData()!.replace("Owned by admins", "Renamed by staff"));
  expect(renamedByStaff).toContain('"code":"forbidden"');

  await page.reload();
  const table = page.getByRole("table", { name: "Custom fields" });
  await expect(table.locator("tr", { hasText: slug })).toContainText("Owned by admins");
  await expect(table).not.toContainText(otherSlug);
  await staffPage.context().close();
});
