// Filterable custom fields (decision 027) in a browser: an admin ticks a
// field, the engine builds its index and the page says "ready"; staff see
// the state; the members filter says which fields are read member by member.
import { STAFF_EMAIL, STAFF_PASSWORD } from "./accounts";
import { createField, createUser, expect, openMembers, pageAs, signIn, test } from "./fixtures";

test("an admin makes a field filterable; it becomes ready; the members filter says which are slow", async ({ page, browser, baseURL }) => {
  const quick = `region_${Date.now()}`;
  const slow = `shift_${Date.now()}`;
  await page.goto("/fields");
  await signIn(page);
  await expect(page).toHaveURL(/\/fields$/);
  await createField(page, `Region ${quick}`, quick);
  await createField(page, `Shift ${slow}`, slow);

  const row = page.getByRole("table", { name: "Custom fields" }).locator("tr", { hasText: quick });
  const box = row.getByLabel(`Filter members by Region ${quick}`);
  await expect(box).not.toBeChecked();
  await box.check();
  // the engine builds the index when idle; the page refreshes itself meanwhile
  await expect(row.getByRole("status")).toHaveText("ready", { timeout: 20_000 });
  await expect(page.locator("#filter-members-note")).toContainText("makes imports slower");

  createUser(STAFF_EMAIL, STAFF_PASSWORD, "staff");
  const staff = await pageAs(browser, baseURL, "/fields", STAFF_EMAIL, STAFF_PASSWORD);
  const staffTable = staff.getByRole("table", { name: "Custom fields" });
  await expect(staffTable.locator("tr", { hasText: quick })).toContainText("Yes, ready");
  await expect(staffTable.locator("tr", { hasText: slow })).toContainText("No");
  await expect(staff.getByRole("checkbox")).toHaveCount(0);

  await openMembers(page, "");
  await page.locator("summary", { hasText: "Filters" }).click();
  await page.getByLabel("Custom field").selectOption({ label: `Shift ${slow}` });
  await expect(page.locator("#custom-field-slow")).toContainText("slow on a long list");
  await page.getByLabel("Custom field").selectOption({ label: `Region ${quick}` });
  await expect(page.locator("#custom-field-slow")).toHaveCount(0);

  await page.goto("/fields");
  await row.getByLabel(`Filter members by Region ${quick}`).uncheck();
  await expect(row.getByRole("status")).toHaveCount(0);
  await expect(row.getByLabel(`Filter members by Region ${quick}`)).not.toBeChecked();
});
