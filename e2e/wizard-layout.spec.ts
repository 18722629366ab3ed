// The wizard as a branch secretary meets it at 1280 px: the chosen file is
// named (however it came), no step makes the page scroll sideways, and in the
// fix grid the row number, its problem and the bad cell are in view together.
import type { Locator, Page } from "@playwright/test";
import { csvFile, expect, openWizard, previewChanges, test, wizardWithFields } from "./fixtures";

/** A branch export: many columns, long headers and values; only some are imported. Row 2's mobile is "N/A". */
function branchExport(p: string, rows: number): string[] {
  const lines = [
    "Membership number,Title,Forename,Surname,Email address,Address line 1,Address line 2,Town,Postcode,Branch and ward,Notes from the last branch meeting,SMS opt in,Mobile",
  ];
  for (let i = 1; i <= rows; i++) {
    lines.push(
      [
        `${p}-${i}`,
        "Mx",
        `Forename${i}`,
        `Surname-Double-Barrelled${i}`,
        `member.${i}.${p.toLowerCase()}@example-branch-of-the-union.org.uk`,
        `"Flat ${i}, The Old Chapel Buildings"`,
        "14 Long Lane Industrial Estate",
        "Llanfairpwllgwyngyll",
        "LL61 5UJ",
        `"North Wales Coast and Anglesey branch, Holyhead ward"`,
        `"Spoke at the meeting about the new rota, wants to help with leafleting in the spring, call after 6pm"`,
        i % 2 ? "Y" : "N",
        i === 2 ? "N/A" : `+447723${String(900000 + i)}`,
      ].join(","),
    );
  }
  return lines;
}

/** The page's own horizontal scroll: none at 1280 px. */
async function expectNoSidewaysScroll(page: Page, step: string) {
  const { scrollWidth, clientWidth } = await page.evaluate(() => {
    const root = document.scrollingElement!;
    return { scrollWidth: root.scrollWidth, clientWidth: root.clientWidth };
  });
  expect(scrollWidth, `sideways scroll on ${step}`).toBeLessThanOrEqual(clientWidth);
}

/** The element's box lies wholly inside the container's visible box. */
async function expectWithin(el: Locator, container: Locator) {
  const [a, b] = [await el.boundingBox(), await container.boundingBox()];
  expect(a && b).toBeTruthy();
  expect(a!.x).toBeGreaterThanOrEqual(b!.x - 1);
  expect(a!.x + a!.width).toBeLessThanOrEqual(b!.x + b!.width + 1);
}

test("a dropped or chosen file is named with its size and rows, and the file box holds it", async ({ page }) => {
  const p = `FN${Date.now()}`;
  await openWizard(page);
  const text = branchExport(p, 40).join("\r\n") + "\r\n";
  const kb = (Buffer.byteLength(text) / 1024).toLocaleString("en-GB", { maximumFractionDigits: 1 });
  const dropped = await page.evaluateHandle((t) => {
    const dt = new DataTransfer();
    dt.items.add(new File([t], "branch-export.csv", { type: "text/csv" }));
    return dt;
  }, text);
  await page.locator(".dropzone").dispatchEvent("drop", { dataTransfer: dropped });

  const chosen = page.getByTestId("chosen-file");
  await expect(chosen).toHaveText(`Chosen: branch-export.csv, ${kb} KB, 40 rows`);
  // the file box holds the dropped file (it no longer says "No file chosen")
  const box = page.getByLabel("CSV file");
  await expect.poll(() => box.evaluate((el: HTMLInputElement) => el.files?.[0]?.name)).toBe("branch-export.csv");

  // another file, chosen in the box: named in its place
  await box.setInputFiles(csvFile("second.csv", ["external_id,email", `${p}-a,a@example.org`]));
  await expect(chosen).toHaveText(/^Chosen: second\.csv, \d+ bytes, 1 row$/);
});

test("no wizard step scrolls the page sideways at 1280 px, and the first values show whole", async ({ page }) => {
  const p = `SW${Date.now()}`;
  const ward = `ward_${Date.now()}`;
  // a custom field with a long label, as a branch names it
  await wizardWithFields(page, [["Branch and ward, as the regional office writes them on the membership cards", ward]]);
  await expectNoSidewaysScroll(page, "the file step");
  await page.getByLabel("CSV file").setInputFiles(csvFile("branch-export.csv", branchExport(p, 30)));
  await expect(page.getByLabel("Membership number", { exact: true })).toHaveValue("external_id");
  await page.getByLabel("Branch and ward", { exact: true }).selectOption(ward);
  await expect(page.getByTestId("check-summary")).toContainText("30 rows checked; 1 has problems");
  await expectNoSidewaysScroll(page, "the mapping and check");
  // the first values of each column: wholly inside the mapping table's card, not cut short
  const card = page.locator("section", { has: page.getByRole("heading", { name: "2. Match the columns" }) });
  for (const cell of await page.getByRole("table", { name: "Column mapping" }).locator("td.sample").all()) {
    await expectWithin(cell, card);
    expect(await cell.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
  }

  await page.getByText("Preview of the first rows").click();
  await expect(page.getByRole("table", { name: "Preview" })).toBeVisible();
  await expectNoSidewaysScroll(page, "the preview of the first rows");
  await page.getByRole("button", { name: "Fix the rows with problems here" }).click();
  await expect(page.getByTestId("fix-status")).toContainText("0 of 1 row fixed.");
  await expectNoSidewaysScroll(page, "the fix grid");
  await previewChanges(page);
  await expectNoSidewaysScroll(page, "the preview of the changes");
});

test("the fix grid keeps the row number and its problem beside the bad cell, in compact rows", async ({ page }) => {
  const p = `FG${Date.now()}`;
  await openWizard(page);
  await page.getByLabel("CSV file").setInputFiles(csvFile("branch-export.csv", branchExport(p, 30)));
  // six columns imported: the grid is wider than its card, and the bad mobile is the last
  await expect(page.getByTestId("check-summary")).toContainText("30 rows checked; 1 has problems");
  await page.getByRole("button", { name: "Fix the rows with problems here" }).click();
  const grid = page.getByRole("region", { name: "Scrolling grid" });
  const row = grid.getByTestId("fix-row-2");
  await expect(row).toBeVisible();
  await grid.scrollIntoViewIfNeeded();

  const rowNo = row.getByRole("rowheader");
  const problem = row.locator("td.fix-problems");
  const badCell = row.getByLabel("Row 2, Mobile");
  await expect(problem).toContainText('"N/A" is not a valid phone number');
  await expect(badCell).toHaveAttribute("aria-invalid", "true");
  // all three in view at once, without scrolling the grid by hand
  await expect(rowNo).toBeInViewport({ ratio: 1 });
  await expect(problem).toBeInViewport({ ratio: 1 });
  await expect(badCell).toBeInViewport({ ratio: 1 });

  // scrolled sideways either way, the row number and its problem stay at the left
  for (const to of ["start", "end"] as const) {
    await grid.evaluate((el, end) => (el.scrollLeft = end ? el.scrollWidth : 0), to === "end");
    await expect(rowNo).toBeInViewport({ ratio: 1 });
    await expect(problem).toBeInViewport({ ratio: 1 });
    expect(Math.abs((await rowNo.boundingBox())!.x - (await grid.boundingBox())!.x)).toBeLessThanOrEqual(2);
  }
  // compact rows: one line of inputs, no empty space
  for (const r of await grid.locator("tbody tr:not([aria-hidden])").all()) expect((await r.boundingBox())!.height).toBeLessThanOrEqual(41);
});
