// Saved mappings: one staff member saves a mapping, another uses it on a
// file whose columns stand in another order, and only the author may rename
// or delete it.
import type { Browser, Page } from "@playwright/test";
import { createUser, csvFile, expect, previewAndStart, signIn, test } from "./fixtures";

const PASSWORD = "e2e mapper password";

async function wizardAs(browser: Browser, baseURL: string | undefined, email: string, ip: string): Promise<Page> {
  const context = await browser.newContext({ baseURL, extraHTTPHeaders: { "x-forwarded-for": ip } });
  const page = await context.newPage();
  await page.goto("/imports/new");
  await signIn(page, email, PASSWORD);
  await expect(page).toHaveURL(/\/imports\/new$/);
  await expect(page.locator('.wizard[data-hydrated="true"]')).toBeVisible();
  return page;
}

test("a mapping saved by one staff member is used by another, and only its author changes it", async ({ browser, baseURL }) => {
  // two users over four pages, ~50 steps: ~30 s alone, and past 60 s twice in
  // CI beside another worker (each step still has its own 15 s)
  test.slow();
  const run = Date.now();
  const [a, b] = [`mapper-a-${run}@e2e.example.org`, `mapper-b-${run}@e2e.example.org`];
  createUser(a, PASSWORD, "staff");
  createUser(b, PASSWORD, "staff");
  const name = `Branch export ${run}`;

  // A: headers auto-map cannot read; chooses the fields and saves the mapping.
  const pageA = await wizardAs(browser, baseURL, a, `10.91.${run % 250}.1`);
  await pageA.getByLabel("CSV file").setInputFiles(csvFile("branch-a.csv", ["Member No,Mail Address,Given,Notes", "A1,a1@example.org,Ann,x"]));
  const saveAs = pageA.getByRole("button", { name: "Save as…" });
  await expect(pageA.getByLabel("Mail Address", { exact: true })).toHaveValue("skip");
  await expect(saveAs).toBeEnabled();
  await pageA.getByLabel("Mail Address", { exact: true }).selectOption("email");
  await pageA.getByLabel("Given", { exact: true }).selectOption("first_name");
  await saveAs.click();
  const saveForm = pageA.getByRole("form", { name: "Save this mapping as" });
  await saveForm.getByLabel("Name").fill(`${name} draft`);
  await saveForm.getByRole("button", { name: "Save" }).click();
  await expect(pageA.getByTestId("saved-mapping-status")).toHaveText(`Saved as “${name} draft”: everyone on the staff can now use it.`);
  // the same name again, in other case: refused, said next to the name
  await saveAs.click();
  await saveForm.getByLabel("Name").fill(`${name} DRAFT`.toLowerCase());
  await saveForm.getByRole("button", { name: "Save" }).click();
  await expect(saveForm.getByRole("alert")).toContainText("is already called");
  await saveForm.getByRole("button", { name: "Cancel" }).click();
  // the author renames it
  await pageA.getByRole("button", { name: `Rename “${name} draft”` }).click();
  const renameForm = pageA.getByRole("form", { name: `Rename “${name} draft”` });
  await renameForm.getByLabel("Name").fill(name);
  await renameForm.getByRole("button", { name: "Rename" }).click();
  await expect(pageA.getByTestId("saved-mapping-status")).toHaveText(`Renamed “${name} draft” to “${name}”.`);

  // B: a file with the same columns in another order and one more column.
  const pageB = await wizardAs(browser, baseURL, b, `10.92.${run % 250}.2`);
  const p = `SM${run}`;
  await pageB.getByLabel("CSV file").setInputFiles(
    csvFile("branch-b.csv", ["Given,Notes,Mail Address,Member No,Extra", `Bea,n,${p}-1@example.org,${p}-1,e`, `Cy,n,${p}-2@example.org,${p}-2,e`]),
  );
  await expect(pageB.getByLabel("Mail Address", { exact: true })).toHaveValue("skip");
  const select = pageB.getByLabel("Use a saved mapping");
  await expect(select.locator("optgroup", { hasText: name })).toHaveAttribute("label", "Saved mappings");
  const option = select.locator("option", { hasText: name });
  await expect(option).toHaveText(new RegExp(`^${name} \\(saved by .+\\)$`));
  await select.selectOption((await option.getAttribute("value"))!);
  await expect(pageB.getByLabel("Mail Address", { exact: true })).toHaveValue("email");
  await expect(pageB.getByLabel("Given", { exact: true })).toHaveValue("first_name");
  await expect(pageB.getByLabel("Member No", { exact: true })).toHaveValue("external_id");
  await expect(pageB.getByLabel("Notes", { exact: true })).toHaveValue("skip");
  await expect(pageB.getByTestId("saved-mapping-status")).toHaveText(`Used “${name}”. It does not cover “Extra”: check that column.`);
  // not B's to change
  await expect(pageB.getByRole("button", { name: /^(Rename|Delete) “/ })).toHaveCount(0);
  await expect(pageB.getByText(`or an admin can rename or delete “${name}”`)).toBeVisible();

  await expect(pageB.getByTestId("check-summary")).toContainText("2 rows checked");
  await previewAndStart(pageB, { confirm: true });
  await expect(pageB.locator(".counts div").filter({ has: pageB.getByText("Created", { exact: true }) }).locator("dd")).toHaveText("2");

  // The shared list: B sees it, without Rename or Delete.
  await pageB.goto("/mappings");
  const rowB = pageB.getByRole("table", { name: "Saved mappings" }).getByRole("row", { name: new RegExp(name) });
  await expect(rowB).toContainText("Mail Address → email");
  await expect(rowB).toContainText("not imported: Notes");
  await expect(rowB.getByRole("button")).toHaveCount(0);

  // A deletes it from the list; B's wizard no longer offers it.
  const listA = await pageA.context().newPage();
  // The server's HTML has the button disabled: a click before React attaches
  // its handler would be lost, so it waits for hydration instead.
  const html = await (await listA.request.get("/mappings")).text();
  expect(html.match(new RegExp(`<button[^>]*aria-label="Delete “${name}”"[^>]*>`))?.[0]).toContain('disabled=""');
  await listA.goto("/mappings");
  const rowA = listA.getByRole("table", { name: "Saved mappings" }).getByRole("row", { name: new RegExp(name) });
  await rowA.getByRole("button", { name: `Delete “${name}”` }).click();
  await rowA.getByRole("button", { name: "Delete it" }).click();
  await expect(rowA).toHaveCount(0);
  await pageB.goto("/imports/new");
  await expect(pageB.locator('.wizard[data-hydrated="true"]')).toBeVisible();
  await pageB.getByLabel("CSV file").setInputFiles(csvFile("branch-b.csv", ["Member No,Mail Address", "x,y@example.org"]));
  await expect(pageB.getByLabel("Use a saved mapping")).toBeEnabled();
  await expect(pageB.getByLabel("Use a saved mapping").locator("option", { hasText: name })).toHaveCount(0);
});
