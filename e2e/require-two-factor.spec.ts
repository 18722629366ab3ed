// "Require two-factor for every staff account" (issue 19, part 3): a user
// without it is sent to set it up, and reaches no other page until they
// have. The setting holds for every session of the shared e2e app, so this
// spec runs in a project of its own, after all the others (playwright.config.ts).
import { randomInt } from "node:crypto";
import { createUser, expect, pageAs, test } from "./fixtures";
import { auditRowsOf } from "./audit-rows";
import { setUpTwoFactor } from "./two-factor";

const PASSWORD = "require two-factor e2e password";

test("requiring two-factor sends a user without it to the setup, and nowhere else until it is done", async ({ page, browser, baseURL }) => {
  const run = randomInt(1e9);
  const admin = `tf-admin-${run}@e2e.example.org`;
  const staff = `tf-staff-${run}@e2e.example.org`;
  createUser(admin, PASSWORD, "admin");
  createUser(staff, PASSWORD, "staff");

  const adminPage = await pageAs(browser, baseURL, "/settings", admin, PASSWORD);
  const form = adminPage.getByRole("form", { name: "Two-factor sign-in" });
  const setting = form.getByLabel("Require two-factor sign-in for every staff account");
  const save = form.getByRole("button", { name: "Save" });
  // an admin without two-factor cannot require it (it would shut them out of every page but /account)
  await setting.check();
  await save.click();
  await expect(form.getByRole("alert")).toHaveText(/Set up two-factor sign-in for your own account first/);
  await adminPage.goto("/account");
  await setUpTwoFactor(adminPage, PASSWORD);
  await adminPage.goto("/settings");
  await setting.check();
  await save.click();
  await expect(form.getByRole("status")).toHaveText(/every staff account now needs two-factor sign-in/);

  try {
    // the change is in the audit log, by the admin who made it
    const changes = (await auditRowsOf(adminPage, admin)).filter({ hasText: "Setting changed" });
    await expect(changes).toHaveCount(1);
    await expect(changes).toContainText("requireTwoFactor");

    // the staff user signs in and lands on /account, told why, offered no other page
    await page.goto("/imports");
    await page.getByLabel("Email").fill(staff);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/account$/);
    await expect(page.getByTestId("pending-step")).toHaveText(/Set up two-factor sign-in first/);
    const nav = page.getByRole("navigation", { name: "Main" });
    await expect(nav.getByRole("link")).toHaveText(["Your account"]);
    for (const path of ["/imports", "/members", "/imports/new", "/fields", "/mappings"]) {
      await page.goto(path);
      await expect(page).toHaveURL(/\/account$/);
    }

    // once set up, every page opens again
    await setUpTwoFactor(page, PASSWORD);
    await expect(page.getByTestId("pending-step")).toHaveCount(0);
    await page.goto("/imports");
    await expect(page.getByRole("heading", { level: 1, name: "Imports" })).toBeVisible();
    await expect(nav.getByRole("link", { name: "Members" })).toBeVisible();
  } finally {
    // the setting is the whole app's: off again for whatever runs next
    await adminPage.goto("/settings");
    await setting.uncheck();
    await save.click();
    await expect(form.getByRole("status")).toHaveText(/up to each staff user/);
    await adminPage.context().close();
  }
});
