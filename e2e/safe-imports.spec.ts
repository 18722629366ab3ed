// Safe imports in the browser: the wizard's preview (counts, field changes,
// conflicts), the confirmation guard, "Start import" sending nothing again,
// and "Undo this import" (plan, confirmation, result), including a member
// changed since the import, which the undo leaves as it is.
import { execFileSync } from "node:child_process";
import type { APIRequestContext, Page } from "@playwright/test";
import { csvFile, expect, openWizard, previewChanges, test } from "./fixtures";

let token = "";
function apiToken(): string {
  token ||= execFileSync("npm", ["run", "--silent", "token:create", "--", "--name", "E2E safe imports"], {
    env: { ...process.env, DATABASE_URL: process.env.E2E_DATABASE_URL },
  })
    .toString()
    .trim();
  return token;
}

/** Upserts records through the REST API and waits until the job is ready. */
async function upsert(request: APIRequestContext, records: Record<string, unknown>[]) {
  const headers = { authorization: `Bearer ${apiToken()}` };
  const r = await request.post("/api/targets/bulk_upsert", { headers, data: { records } });
  expect(r.status()).toBe(200);
  const { deferred_result_id: id } = await r.json();
  await expect
    .poll(async () => (await (await request.get(`/api/deferred_results/${id}`, { headers })).json()).status, { timeout: 30_000 })
    .toBe("ready");
}

async function target(request: APIRequestContext, externalId: string) {
  const r = await request.get(`/api/targets/${encodeURIComponent(externalId)}`, { headers: { authorization: `Bearer ${apiToken()}` } });
  return r.status() === 200 ? await r.json() : null;
}

const count = (page: Page, testId: string) => page.getByTestId(testId);

async function startImport(page: Page) {
  const start = page.getByRole("button", { name: "Start import" });
  await expect(start).toBeEnabled();
  await start.click();
  await expect(page).toHaveURL(/\/imports\/[0-9a-f-]{36}$/, { timeout: 30_000 });
  await expect(page.getByTestId("import-status")).toHaveText("Ready", { timeout: 30_000 });
}

test("the preview counts new, updated per field and unchanged members, names conflicts, and Start sends nothing again", async ({ page, request }) => {
  const p = `pv${Date.now()}`;
  await upsert(request, [
    { external_id: `${p}-1`, first_name: "Ann", email: `${p}.ann@example.org` },
    { external_id: `${p}-2`, first_name: "Bob", email: `${p}.bob@example.org` },
    { external_id: `${p}-3`, first_name: "Cy", email: `${p}.cy@example.org` },
  ]);
  await openWizard(page);
  await page.getByLabel("CSV file").setInputFiles(
    csvFile("preview.csv", [
      "external_id,first_name,email",
      `${p}-1,Ann,${p}.ann.new@example.org`, // email changes
      `${p}-2,Robert,${p}.bob@example.org`, // first name changes
      `${p}-3,Cy,${p}.cy@example.org`, // unchanged
      `${p}-4,Dee,${p}.dee@example.org`, // new
      `${p}-5,Eve,${p}.cy@example.org`, // Cy's email: a conflict
    ]),
  );
  await expect(page.getByTestId("check-summary")).toContainText("5 rows checked");

  const pieces: string[] = [];
  page.on("request", (r) => {
    if (r.url().endsWith("/imports/new/pieces")) pieces.push(r.url());
  });
  await previewChanges(page);
  expect(pieces.length).toBeGreaterThan(0);
  await expect(count(page, "preview-created")).toHaveText("1");
  await expect(count(page, "preview-updated")).toHaveText("2");
  await expect(count(page, "preview-unchanged")).toHaveText("1");
  await expect(count(page, "preview-rejected")).toHaveText("1");
  const changes = page.getByTestId("preview-field-changes");
  await expect(changes).toContainText("1 email change");
  await expect(changes).toContainText("1 first name change");
  await expect(page.getByTestId("preview-conflicts")).toContainText(`Row 5 (${p}-5): its email belongs to ${p}-3 (left out: Reject)`);
  // the preview wrote nothing
  expect(await target(request, `${p}-4`)).toBeNull();
  expect((await target(request, `${p}-1`)).email).toBe(`${p}.ann@example.org`);
  // no confirmation asked for a couple of changes
  await expect(page.getByRole("group", { name: /Check this before you start/ })).toHaveCount(0);

  const sentBefore = pieces.length;
  await startImport(page);
  expect(pieces.length).toBe(sentBefore); // Start import sent no file again
  await expect(page.getByTestId("count-created")).toHaveText("1");
  await expect(page.getByTestId("count-updated")).toHaveText("2");
  expect((await target(request, `${p}-1`)).email).toBe(`${p}.ann.new@example.org`);
});

test("swapped email and mobile columns, or many changed emails, need a confirmation in so many words", async ({ page, request }) => {
  const p = `GD${Date.now()}`;
  const ids = Array.from({ length: 12 }, (_, i) => `${p}-${i + 1}`);
  await upsert(
    request,
    ids.map((id, i) => ({ external_id: id, email: `${id.toLowerCase()}@example.org`, phone_number: `+4475650${String(10000 + i)}` })),
  );
  await openWizard(page);
  await page.getByLabel("CSV file").setInputFiles(
    csvFile("swapped.csv", [
      "external_id,email,mobile",
      ...ids.map((id, i) => `${id},${id.toLowerCase()}@new.example.org,07565 0${String(10000 + i)}`),
    ]),
  );
  // the email column to phone_number, the mobile column to email: swapped
  await page.getByLabel("email", { exact: true }).selectOption("phone_number");
  await page.getByLabel("mobile", { exact: true }).selectOption("email");
  await expect(page.getByTestId("check-summary")).toContainText("12 rows checked");
  await previewChanges(page);
  await expect(count(page, "preview-rejected")).toHaveText("12");
  const start = page.getByRole("button", { name: "Start import" });
  const invalid = page.getByRole("checkbox", { name: "I understand 12 rows will be left out because their email or phone number is not valid" });
  await expect(invalid).not.toBeChecked();
  await expect(start).toBeDisabled();

  // matched the right way round: every member's email changes (12 of 12)
  await page.getByLabel("email", { exact: true }).selectOption("email");
  await page.getByLabel("mobile", { exact: true }).selectOption("phone_number");
  await expect(start).toBeDisabled(); // another mapping: preview again
  await previewChanges(page);
  await expect(page.getByTestId("preview-field-changes")).toContainText("12 emails change");
  const emails = page.getByRole("checkbox", { name: "I understand 12 members’ emails will change" });
  await expect(start).toBeDisabled();
  await emails.check();
  await startImport(page);
  await expect(page.getByTestId("count-updated")).toHaveText("12");
  expect((await target(request, ids[0])).email).toBe(`${ids[0].toLowerCase()}@new.example.org`);
});

/** Imports a file through the wizard (preview, start); the import page is open after. */
async function importFile(page: Page, name: string, lines: string[]) {
  await page.goto("/imports/new");
  await expect(page.locator('.wizard[data-hydrated="true"]')).toBeVisible();
  await page.getByLabel("CSV file").setInputFiles(csvFile(name, lines));
  await expect(page.getByTestId("check-summary")).toContainText(`${lines.length - 1} row`);
  await previewChanges(page);
  await startImport(page);
}

test("undo restores the overwritten values and deletes the created members, after showing what it will do", async ({ page, request }) => {
  const p = `un${Date.now()}`;
  await upsert(request, [{ external_id: `${p}-1`, first_name: "Ann", email: `${p}.ann@example.org` }]);
  await openWizard(page);
  await importFile(page, "undo.csv", ["external_id,first_name,email", `${p}-1,Annie,${p}.annie@example.org`, `${p}-2,Bob,${p}.bob@example.org`]);
  const importUrl = page.url();

  await page.getByRole("button", { name: "Undo this import…" }).click();
  const plan = page.getByTestId("revert-plan");
  await expect(plan.getByRole("heading", { name: "Delete 1 member it created" })).toBeVisible();
  await expect(plan).toContainText(`${p}-2`);
  await expect(plan.getByRole("heading", { name: "Give 1 member back the values it overwrote" })).toBeVisible();
  await expect(plan).toContainText(`${p}-1: first_name Annie → Ann; email ${p}.annie@example.org → ${p}.ann@example.org`);
  await expect(plan.getByRole("heading", { name: "Leave 0 members as they are" })).toBeVisible();
  // nothing is undone until confirmed
  expect(await target(request, `${p}-2`)).not.toBeNull();

  await page.getByRole("button", { name: "Confirm: undo this import" }).click();
  await expect(page).not.toHaveURL(importUrl);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Undo of undo.csv");
  await expect(page.getByTestId("import-status")).toHaveText("Ready", { timeout: 30_000 });
  await expect(page.getByTestId("count-deleted")).toHaveText("1");
  await expect(page.getByTestId("count-restored")).toHaveText("1");
  await expect(page.getByTestId("count-skipped")).toHaveText("0");
  await expect(page.getByTestId("undo-unavailable")).toHaveText("This cannot be undone: it is itself an undo, and an undo cannot itself be undone.");
  const revertUrl = page.url();

  expect(await target(request, `${p}-2`)).toBeNull();
  expect(await target(request, `${p}-1`)).toMatchObject({ first_name: "Ann", email: `${p}.ann@example.org` });

  // the import links to its undo; the history marks it and links both ways
  await page.goto(importUrl);
  await expect(page.getByRole("link", { name: "see the undo" })).toHaveAttribute("href", new URL(revertUrl).pathname);
  await page.goto("/imports");
  const table = page.getByRole("table", { name: "Imports" });
  const importId = importUrl.split("/").pop()!;
  const revertId = revertUrl.split("/").pop()!;
  await expect(table.locator(`a[href="/imports/${revertId}"]`, { hasText: "undone" })).toBeVisible();
  await expect(table.locator(`a[href="/imports/${importId}"]`, { hasText: "the import it undoes" })).toBeVisible();
});

test("an undo leaves a member changed since the import as it is, and says why", async ({ page, request }) => {
  const p = `CS${Date.now()}`;
  await openWizard(page);
  await importFile(page, "since.csv", ["external_id,first_name", `${p}-1,Ann`, `${p}-2,Bob`]);
  await upsert(request, [{ external_id: `${p}-1`, first_name: "Anne (changed later)" }]);

  await page.getByRole("button", { name: "Undo this import…" }).click();
  const plan = page.getByTestId("revert-plan");
  await expect(plan.getByRole("heading", { name: "Delete 1 member it created" })).toBeVisible();
  await expect(plan.getByRole("heading", { name: "Leave 1 member as they are (1 changed since, 0 in conflict)" })).toBeVisible();
  await expect(plan).toContainText(`${p}-1: Changed by a later import or undo since that import: left as it is`);
  await page.getByRole("button", { name: "Confirm: undo this import" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Undo of since.csv");
  await expect(page.getByTestId("import-status")).toHaveText("Ready", { timeout: 30_000 });
  await expect(page.getByTestId("count-deleted")).toHaveText("1");
  await expect(page.getByTestId("count-skipped")).toHaveText("1");
  await expect(page.getByRole("table", { name: "Members left as they are" })).toContainText(`${p}-1Changed since`);
  expect(await target(request, `${p}-1`)).toMatchObject({ first_name: "Anne (changed later)" });
  expect(await target(request, `${p}-2`)).toBeNull();
});
