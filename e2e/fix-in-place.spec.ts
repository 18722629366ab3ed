// Fix in place: the rows with problems in an editable, virtualised grid; an
// edit is checked again at once; "Replace everywhere" handles a repeated bad
// value; the fixed file imports with no rejections.
import { countOf, expect, openWizard, previewAndStart, test } from "./fixtures";

test("problem rows are fixed in place and the file imports with no rejections", async ({ page }) => {
  const p = `FX${Date.now()}`;
  const ROWS = 3000;
  const lines = ["external_id,email,phone_number"];
  for (let i = 1; i <= ROWS; i++) {
    // every other row's phone is N/A; row 2's email is wrong
    const email = i === 2 ? "bob(at)example.org" : `${p}-${i}@example.org`;
    const phone = i % 2 === 0 ? "N/A" : `+447400${String(i).padStart(6, "0")}`;
    lines.push(`${p}-${i},${email},${phone}`);
  }
  await openWizard(page);
  await page.getByLabel("CSV file").setInputFiles({ name: "fix.csv", mimeType: "text/csv", buffer: Buffer.from(lines.join("\n") + "\n") });
  const summary = page.getByTestId("check-summary");
  await expect(summary).toContainText("3,000 rows checked; 1,500 have problems and will be rejected.");

  await page.getByRole("button", { name: "Fix the rows with problems here" }).click();
  await expect(page.getByTestId("fix-status")).toContainText("0 of 1,500 rows fixed.");
  const grid = page.getByRole("table", { name: "Rows with problems" });
  // only the rows in view are drawn
  expect(await grid.locator("tbody tr:not([aria-hidden])").count()).toBeLessThan(50);
  await expect(grid.getByTestId("fix-row-2")).toContainText("bob(at)example.org");
  // scrolling draws the last rows
  await page.getByRole("region", { name: "Scrolling grid" }).evaluate((el) => (el.scrollTop = el.scrollHeight));
  await expect(grid.getByTestId(`fix-row-${ROWS}`)).toBeVisible();
  await page.getByRole("region", { name: "Scrolling grid" }).evaluate((el) => (el.scrollTop = 0));

  // an edit is checked again at once: still wrong, then right
  const email = page.getByLabel("Row 2, email");
  await email.fill("bob@");
  await email.press("Enter");
  await expect(grid.getByTestId("fix-row-2")).toContainText('"bob@" is not a valid email address');
  await page.getByLabel("Row 2, email").fill(`${p}-2@example.org`);
  await page.getByLabel("Row 2, email").press("Enter");
  await expect(grid.getByTestId("fix-row-2")).toContainText(`"N/A" is not a valid phone number`); // its phone remains wrong
  await expect(grid.getByTestId("fix-row-2")).not.toContainText("email address");

  // N/A → blank, everywhere in the phone column
  const replace = page.getByRole("form", { name: "Replace everywhere" });
  await replace.getByLabel("In the column").selectOption({ label: "phone_number" });
  await replace.getByLabel("replace").fill("N/A");
  await replace.getByRole("button", { name: "Replace everywhere" }).click();
  await expect(page.getByTestId("fix-status")).toContainText("1,500 of 1,500 rows fixed.");
  await expect(grid.getByTestId("fix-row-2")).toContainText("Fixed");
  // the whole file is checked again with the edits
  await expect(summary).toContainText("3,000 rows checked; no rows with problems.");

  await previewAndStart(page, { confirm: true });
  await expect(countOf(page, "Created")).toHaveText(ROWS.toLocaleString("en-GB"));
  await expect(countOf(page, "Rejected")).toHaveText("0");
});

test("the rejected rows of a finished import open in the wizard with its mapping, are fixed and imported", async ({ page }) => {
  const p = `RJ${Date.now()}`;
  await openWizard(page);
  const lines = ["Member no,Mail,Mobile phone", `${p}-1,${p}-1@example.org,+447400100001`, `${p}-2,not-an-email,+447400100002`, `${p}-3,${p}-3@example.org,N/A`];
  await page.getByLabel("CSV file").setInputFiles({ name: "first.csv", mimeType: "text/csv", buffer: Buffer.from(lines.join("\n") + "\n") });
  await page.getByLabel("Mail", { exact: true }).selectOption("email");
  await page.getByLabel("Mobile phone", { exact: true }).selectOption("phone_number");
  await expect(page.getByTestId("check-summary")).toContainText("3 rows checked; 2 have problems and will be rejected.");
  await previewAndStart(page, { confirm: true });
  await expect(countOf(page, "Rejected")).toHaveText("2");
  const first = page.url().split("/").pop();

  await page.getByRole("link", { name: "Fix and import again" }).click();
  await expect(page).toHaveURL(new RegExp(`/imports/new\\?from=${first}$`));
  // the rejected rows, with the mapping chosen for the first import; the reason column is not imported
  await expect(page.getByLabel("Mail", { exact: true })).toHaveValue("email");
  await expect(page.getByLabel("Mobile phone", { exact: true })).toHaveValue("phone_number");
  await expect(page.getByLabel("rejection_reason", { exact: true })).toHaveValue("skip");
  await expect(page.getByTestId("check-summary")).toContainText("2 rows checked; 2 have problems and will be rejected.");
  await page.getByRole("button", { name: "Fix the rows with problems here" }).click();
  await page.getByLabel("Row 1, Mail").fill(`${p}-2@example.org`);
  await page.getByLabel("Row 1, Mail").press("Enter");
  await page.getByLabel("Row 2, Mobile phone").fill("07400100003");
  await page.getByLabel("Row 2, Mobile phone").press("Enter");
  await expect(page.getByTestId("fix-status")).toContainText("2 of 2 rows fixed.");
  await expect(page.getByTestId("check-summary")).toContainText("2 rows checked; no rows with problems.");
  await previewAndStart(page, { confirm: true });
  await expect(countOf(page, "Created")).toHaveText("2");
  await expect(countOf(page, "Rejected")).toHaveText("0");
});
