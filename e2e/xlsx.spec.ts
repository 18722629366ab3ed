// Excel workbooks: the sheet it opens on and the sheet picker, ids with
// leading zeros kept through their number format, dates from serial numbers,
// and a clear message for a file that is not what it says.
import { makeXlsx } from "../tests/support/make-xlsx";
import { apiReader } from "./api-reader";
import { countOf, expect, openWizard, previewAndStart, test, wizardWithFields } from "./fixtures";

test("an .xlsx opens on its member table, not a one-cell Readme first; the chosen sheet is imported, leading zeros and dates as Excel shows them", async ({ page }) => {
  const run = Date.now() % 100_000; // ids like 0012345: zero-padded numbers
  const since = `since_${Date.now()}`;
  await wizardWithFields(page, [["Since", since, "Date (YYYY-MM-DD)"]]);

  const id = (i: number) => ({ v: run * 100 + i, format: "000000000" });
  const book = makeXlsx([
    { name: "Readme", rows: [["Exported from the branch system: members are on the next sheet"]] },
    {
      name: "Members",
      rows: [
        ["Member number", "First name", since],
        [id(1), "Ann", { v: 43845, format: "dd/mm/yyyy" }],
        [id(2), "Bob", { v: 44000, format: "d mmm yyyy" }],
        [id(3), "Cat", null],
      ],
    },
  ]);
  await page.getByLabel("CSV file").setInputFiles({ name: "branch.xlsx", mimeType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", buffer: Buffer.from(book) });
  // opened on the sheet that looks like the member table, not the Readme before it
  const sheet = page.getByLabel(/^Sheet/);
  await expect(sheet).toHaveValue("Members");
  await expect(page.getByLabel("Member number", { exact: true })).toHaveValue("external_id");
  // the other sheet is still a choice, and back
  await sheet.selectOption("Readme");
  await expect(page.getByLabel("Exported from the branch system: members are on the next sheet", { exact: true })).toBeVisible();
  await page.getByLabel(/^Sheet/).selectOption("Members");
  await expect(page.getByLabel("Member number", { exact: true })).toHaveValue("external_id");
  await expect(page.getByLabel(/^Sheet/)).toHaveValue("Members");
  const padded = (i: number) => String(run * 100 + i).padStart(9, "0");
  await page.getByText("Preview of the first rows").click();
  await expect(page.getByRole("table", { name: "Preview" })).toContainText(padded(1));
  await expect(page.getByRole("table", { name: "Preview" })).toContainText("2020-01-15");
  await expect(page.getByLabel(`Format of ${since}`)).toHaveValue(JSON.stringify({ kind: "date", order: "ymd" }));
  await expect(page.getByTestId("check-summary")).toContainText("3 rows checked; no rows with problems.");

  await previewAndStart(page, { confirm: true });
  await expect(countOf(page, "Created")).toHaveText("3");
  await expect(countOf(page, "Rejected")).toHaveText("0");

  const get = await apiReader(page, `xlsx ${run}`);
  expect(await get(padded(2))).toMatchObject({ external_id: padded(2), first_name: "Bob", [since]: "2020-06-18" });
});

test("a file named .xlsx that is not a workbook says so", async ({ page }) => {
  await openWizard(page);
  await page.getByLabel("CSV file").setInputFiles({ name: "members.xlsx", mimeType: "application/octet-stream", buffer: Buffer.from("PK\u0003\u0004 not really a zip") });
  await expect(page.locator(".wizard").getByRole("alert")).toContainText("We could not read this file: This is not an Excel .xlsx file");
});
