// /staff (issue 19): an admin makes an account that sets its own password
// with a one-time link, then disables it while its tab is open; the page by
// keyboard alone, axe-clean; better-auth's admin endpoints closed over HTTP.
import { randomInt } from "node:crypto";
import type { Browser, Page } from "@playwright/test";
import { audit, tabTo } from "./a11y";
import { createUser, expect, signIn, test } from "./fixtures";
import { ADMIN_EMAIL } from "./accounts";
import { auditRowsOf } from "./audit-rows";

async function openStaff(page: Page) {
  await page.goto("/staff");
  await expect(page).toHaveURL(/\/login/);
  await signIn(page);
  await expect(page).toHaveURL(/\/staff$/);
  await expect(page.getByRole("form", { name: "New staff account" }).getByRole("button", { name: "Create account" })).toBeEnabled();
}

/** A browser of its own (cookies, client address): the new staff user's. */
async function otherBrowser(browser: Browser, baseURL: string | undefined): Promise<Page> {
  const context = await browser.newContext({ baseURL, extraHTTPHeaders: { "x-forwarded-for": `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 256)}` } });
  return context.newPage();
}

const rowOf = (page: Page, email: string) => page.getByRole("table", { name: "Staff accounts" }).getByRole("row").filter({ hasText: email });

test("an admin creates an account; its link sets a password once; disabled, its open tab is signed out on its next click", async ({ page, browser, baseURL }) => {
  const email = `new-${Date.now()}@e2e.example.org`;
  const password = "the new user's own password";
  await openStaff(page);
  const form = page.getByRole("form", { name: "New staff account" });
  await form.getByLabel("Email").fill(email);
  await form.getByRole("button", { name: "Create account" }).click();
  const link = await page.getByTestId("set-password-link").textContent();
  expect(link).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/auth\/reset-password\//);
  await expect(rowOf(page, email)).toContainText("No password yet");

  const staff = await otherBrowser(browser, baseURL);
  await staff.goto(link!);
  await expect(staff).toHaveURL(/\/set-password\?token=/);
  const choose = staff.locator('form[data-hydrated="true"]');
  await choose.getByLabel("New password").fill(password);
  await choose.getByLabel("The same password again").fill(password);
  await choose.getByRole("button", { name: "Set password" }).click();
  await expect(staff.getByRole("status")).toContainText("Your password is set");
  await staff.getByRole("link", { name: "Sign in" }).click();
  await signIn(staff, email, password);
  await expect(staff).toHaveURL(/\/imports$/);
  await expect(staff.getByRole("banner")).toContainText(email);

  // the link works once
  const again = await otherBrowser(browser, baseURL);
  await again.goto(link!);
  await expect(again.getByRole("main").getByRole("alert")).toHaveText("This link has already been used or has expired. Ask an admin for a new one.");

  await page.reload();
  const row = rowOf(page, email);
  await expect(row).toContainText("Active");
  await row.getByRole("button", { name: "Disable" }).click();
  await expect(row).toContainText("Disabled");

  // the staff user's open tab: its next click is signed out
  await staff.getByRole("banner").getByRole("link", { name: "Members" }).click();
  await expect(staff).toHaveURL(/\/login/);
  await signIn(staff, email, password);
  await expect(staff.getByRole("main").getByRole("alert")).toHaveText("This account cannot sign in at the moment. Ask an admin.");

  // the audit log has each step, filtered by who did it
  const theirs = await auditRowsOf(page, email);
  await expect(theirs.filter({ hasText: "Password changed" })).toHaveCount(1);
  await expect(theirs.filter({ hasText: "Signed in" })).toHaveCount(1);
  await expect(theirs.filter({ hasText: "Sign-in failed" })).toContainText("reason: disabled");
  const admins = await auditRowsOf(page, ADMIN_EMAIL);
  await expect(admins.filter({ hasText: "Account created" }).filter({ hasText: email })).toHaveCount(1);
  await expect(admins.filter({ hasText: "Account disabled" }).filter({ hasText: email })).toHaveCount(1);
});

test("/staff with the keyboard alone, axe-clean: create an account with an initial password, make it an admin", async ({ page }) => {
  const email = `kb-${Date.now()}@e2e.example.org`;
  await openStaff(page);
  await audit(page, "/staff");
  const form = page.getByRole("form", { name: "New staff account" });
  await tabTo(page, form.getByLabel("Email"));
  await page.keyboard.type(email);
  // a radio group is one Tab stop, on its checked choice; the arrows choose
  await tabTo(page, form.getByRole("radio", { name: /A one-time link/ }));
  await page.keyboard.press("ArrowDown");
  await expect(form.getByRole("radio", { name: /An initial password/ })).toBeChecked();
  await tabTo(page, form.getByLabel("Initial password", { exact: true }));
  await page.keyboard.type("an initial password");
  await tabTo(page, form.getByRole("button", { name: "Create account" }));
  await page.keyboard.press("Enter");
  await expect(page.getByRole("status").filter({ hasText: email })).toContainText("can sign in with the initial password");
  const row = rowOf(page, email);
  await expect(row).toContainText("Must choose a password");
  await audit(page, "/staff, an account made");

  await tabTo(page, row.getByRole("button", { name: "Make admin" }));
  await page.keyboard.press("Enter");
  await expect(row.getByRole("cell").nth(1)).toHaveText("Admin");
  await tabTo(page, row.getByRole("button", { name: "Reset password" }), { max: 120 });
  await page.keyboard.press("Enter");
  await expect(row.getByTestId("set-password-link")).toBeVisible();
  await audit(page, "/staff, a password link shown");
  // the signed-in admin's own row offers no way to disable or delete itself
  const own = rowOf(page, `${ADMIN_EMAIL} (you)`);
  await expect(own.getByRole("button", { name: "Disable" })).toHaveCount(0);
  await expect(own.getByRole("button", { name: /^Delete/ })).toHaveCount(0);
});

test("better-auth's admin endpoints answer 404 over HTTP, even to an admin; a staff user gets 403 at /staff", async ({ page, browser, baseURL }) => {
  await openStaff(page);
  for (const path of ["/api/auth/admin/set-role", "/api/auth//admin/ban-user", "/api/auth/Admin/remove-user", "/api/auth/admin%2Fset-role"]) {
    const res = await page.request.post(path, { data: { userId: "x", role: "staff" }, headers: { origin: new URL(page.url()).origin } });
    expect(res.status(), path).toBe(404);
  }
  const staffEmail = `staff-403-${Date.now()}@e2e.example.org`;
  createUser(staffEmail, "a staff password here", "staff");
  const staff = await otherBrowser(browser, baseURL);
  await staff.goto("/staff");
  await expect(staff).toHaveURL(/\/login/);
  const answer = staff.waitForResponse((r) => new URL(r.url()).pathname === "/staff" && r.request().resourceType() === "document");
  await signIn(staff, staffEmail, "a staff password here");
  expect((await answer).status()).toBe(403);
  await expect(staff.getByRole("banner").getByRole("link", { name: "Staff" })).toHaveCount(0);
});
