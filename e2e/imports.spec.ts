// The upload wizard, the import page and the history, in a real browser
// against the real server.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import type { Page } from "@playwright/test";
import { countOf, csvFile, expect, openWizard, previewAndStart, test } from "./fixtures";


const startAndOpenResult = (page: Page) => previewAndStart(page);

test("messy headers, checks before and after submit, reject, and the rejected-rows download", async ({ page }) => {
  const p = `W${Date.now()}`;
  await openWizard(page);
  await page.getByLabel("CSV file").setInputFiles(
    csvFile("members.csv", [
      "Member Number,Forename,SURNAME,E-mail,Mobile,Shoe size",
      `${p}-1,Ann,Smith,${p}.ann@example.org,07565 000001,5`,
      `${p}-2,Bob,Jones,not-an-email,,9`,
      `${p}-3,Cy,Lee,${p}.ANN@example.org,,7`,
      `${p}-4,=Dee,Ray,,0756,8`,
    ]),
  );
  // matched from the headers; the unknown column is left out
  await expect(page.getByLabel("Member Number", { exact: true })).toHaveValue("external_id");
  await expect(page.getByLabel("Forename", { exact: true })).toHaveValue("first_name");
  await expect(page.getByLabel("SURNAME", { exact: true })).toHaveValue("last_name");
  await expect(page.getByLabel("E-mail", { exact: true })).toHaveValue("email");
  await expect(page.getByLabel("Mobile", { exact: true })).toHaveValue("phone_number");
  await expect(page.getByLabel("Shoe size", { exact: true })).toHaveValue("skip");

  const summary = page.getByTestId("check-summary");
  await expect(summary).toContainText("4 rows checked");
  await expect(summary).toContainText("1 row: invalid email");
  await expect(summary).toContainText("1 row: invalid phone number");
  await expect(summary).toContainText(`Row 2 (${p}-2)`);
  // the shared email of rows 1 and 3 is seen before the import
  await expect(summary).toContainText("1 row: email also on another member's row in this file");
  await expect(summary).toContainText(`Row 3 (${p}-3)`);

  await expect(page.getByRole("radio", { name: /^Reject/ })).toBeChecked();
  await startAndOpenResult(page);
  await expect(countOf(page, "Created")).toHaveText("1");
  await expect(countOf(page, "Rejected")).toHaveText("3");
  const problems = page.getByRole("table", { name: "Problems" });
  await expect(problems).toContainText("Email address is not valid");
  await expect(problems).toContainText("Email or phone already belongs to another member");
  await expect(problems).toContainText(`${p}-1`);

  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "Download rejected rows" }).click();
  const file = await (await download).path();
  const text = readFileSync(file!, "utf8");
  const lines = text.trim().split(/\r?\n/);
  expect(lines[0]).toBe("Member Number,Forename,SURNAME,E-mail,Mobile,Shoe size,rejection_reason");
  expect(lines).toHaveLength(4);
  expect(text).toContain("'=Dee");
});

test("ignore imports colliding rows and counts them", async ({ page }) => {
  const p = `I${Date.now()}`;
  await openWizard(page);
  await page.getByLabel("CSV file").setInputFiles(
    csvFile("twins.csv", ["external_id;email", `${p}-1;${p}@example.org`, `${p}-2;${p}@example.org`]),
  );
  await expect(page.getByTestId("check-summary")).toContainText("2 rows checked");
  await page.getByRole("radio", { name: /^Ignore/ }).check();
  await startAndOpenResult(page);
  await expect(countOf(page, "Created")).toHaveText("2");
  await expect(countOf(page, "Conflicts ignored")).toHaveText("1");
  await expect(countOf(page, "Rejected")).toHaveText("0");
});

test("a mapping made by hand is remembered for the same headers", async ({ page }) => {
  const p = `R${Date.now()}`;
  const headers = `Ref ${p},Col A`;
  await openWizard(page);
  await page.getByLabel("CSV file").setInputFiles(csvFile("a.csv", [headers, `${p}-1,Zed`]));
  await page.getByLabel(`Ref ${p}`, { exact: true }).selectOption("external_id");
  await page.getByLabel("Col A", { exact: true }).selectOption("first_name");
  await expect(page.getByTestId("check-summary")).toContainText("1 row checked");
  await startAndOpenResult(page);

  await page.goto("/imports/new");
  await expect(page.locator('.wizard[data-hydrated="true"]')).toBeVisible();
  await page.getByLabel("CSV file").setInputFiles(csvFile("b.csv", [headers, `${p}-2,Yan`]));
  await expect(page.getByText("We used the choices you made last time")).toBeVisible();
  await expect(page.getByLabel("Col A", { exact: true })).toHaveValue("first_name");
  await expect(page.getByLabel(`Ref ${p}`, { exact: true })).toHaveValue("external_id");
});

test("the history lists uploads and API jobs, with links to each", async ({ page }) => {
  const token = execFileSync("npm", ["run", "--silent", "token:create", "--", "--name", "E2E client"], {
    env: { ...process.env, DATABASE_URL: process.env.E2E_DATABASE_URL },
  })
    .toString()
    .trim();
  const r = await page.request.post("/api/targets/bulk_upsert", {
    headers: { authorization: `Bearer ${token}` },
    data: { records: [{ external_id: `API${Date.now()}` }] },
  });
  expect(r.status()).toBe(200);
  const { deferred_result_id } = await r.json();

  await openWizard(page);
  await page.getByLabel("CSV file").setInputFiles(csvFile("history.csv", ["external_id", `H${Date.now()}`]));
  await startAndOpenResult(page);

  await page.goto("/imports");
  const table = page.getByRole("table", { name: "Imports" });
  await expect(table).toContainText("E2E client (API)");
  await expect(table).toContainText("history.csv");
  await page.getByLabel("Source").selectOption("records");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(table).not.toContainText("history.csv");
  await table.locator(`a[href="/imports/${deferred_result_id}"]`).click();
  await expect(page.getByTestId("import-status")).toHaveText("Ready");
});
