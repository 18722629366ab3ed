// Two-factor sign-in (issue 19, parts 2 and 3): set up on /account by
// keyboard alone, axe-clean at each step; then sign-in asks for the code
// after the password, and a backup code works once instead.
import { randomInt } from "node:crypto";
import { audit } from "./a11y";
import { createUser, expect, loginForm, pageAs, signIn, test } from "./fixtures";
import { ADMIN_EMAIL, ADMIN_PASSWORD } from "./accounts";
import { auditRowsOf } from "./audit-rows";
import { changePassword, enterCode, setUpTwoFactor } from "./two-factor";

const PASSWORD = "two-factor e2e password";

test("set up two-factor on /account with the keyboard alone, then sign in with a code, and with a backup code", async ({ page, browser, baseURL }) => {
  const email = `tf-${randomInt(1e9)}@e2e.example.org`;
  createUser(email, PASSWORD, "staff");
  await page.goto("/account");
  await signIn(page, email, PASSWORD);
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByRole("heading", { level: 1, name: "Your account" })).toBeVisible();
  await expect(page.getByRole("table", { name: "Your sessions" })).toContainText("This session");
  await audit(page, "/account");

  const { secret, backupCodes } = await setUpTwoFactor(page, PASSWORD, { onEachStep: (step) => audit(page, `/account, ${step}`) });
  expect(secret.replace(/\s/g, "")).toMatch(/^[A-Z2-7]{32,}$/);
  expect(backupCodes.length).toBeGreaterThanOrEqual(8);
  await audit(page, "/account, two-factor on");

  // the password alone no longer signs in: the code is asked for next
  await page.getByRole("banner").getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login$/);
  await signIn(page, email, PASSWORD);
  await expect(page.getByLabel("Code from your app")).toBeFocused();
  await audit(page, "/login, the code step");
  await page.getByLabel("Code from your app").fill("12345");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByLabel("Code from your app")).toHaveAccessibleDescription("Enter the 6 digits your app shows");
  await enterCode(page, secret);
  await expect(page).toHaveURL(/\/imports$/);

  // a backup code instead, from another browser (its own address: better-auth allows 3 code tries per 10 s per address)
  const other = await browser.newContext({ baseURL, extraHTTPHeaders: { "x-forwarded-for": `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 256)}` } });
  const second = await other.newPage();
  await second.goto("/login");
  await signIn(second, email, PASSWORD);
  await second.getByRole("button", { name: "Use a backup code instead" }).click();
  await second.getByLabel("Backup code").fill(backupCodes[0]);
  await second.getByRole("button", { name: "Sign in" }).click();
  await expect(second).toHaveURL(/\/imports$/);

  // and the app's code from a third (its own address again)
  const thirdAddress = `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 256)}`;
  const third = await browser.newContext({ baseURL, extraHTTPHeaders: { "x-forwarded-for": thirdAddress } });
  const thirdPage = await third.newPage();
  await thirdPage.goto("/login");
  await signIn(thirdPage, email, PASSWORD);
  await enterCode(thirdPage, secret);
  await expect(thirdPage).toHaveURL(/\/imports$/);

  // all three sign-ins are listed on /account (device, address), and the others can be signed out from here
  await page.goto("/account");
  const sessions = page.getByRole("table", { name: "Your sessions" });
  await expect(sessions.getByRole("row")).toHaveCount(4);
  await expect(sessions.getByRole("row").filter({ hasText: "This session" })).toContainText(/Chrome on \w+/);
  await sessions.getByRole("row").filter({ hasText: thirdAddress }).getByRole("button", { name: /^Sign out / }).click();
  await expect(sessions.getByRole("row")).toHaveCount(3);
  await thirdPage.goto("/imports");
  await expect(thirdPage).toHaveURL(/\/login/);
  await page.getByRole("button", { name: "Sign out all other sessions" }).click();
  await expect(sessions.getByRole("row")).toHaveCount(2);
  await second.goto("/imports");
  await expect(second).toHaveURL(/\/login/);
  await third.close();

  // a backup code works once
  await signIn(second, email, PASSWORD);
  await second.getByRole("button", { name: "Use a backup code instead" }).click();
  await second.getByLabel("Backup code").fill(backupCodes[0]);
  await second.getByRole("button", { name: "Sign in" }).click();
  await expect((await loginForm(second)).getByRole("alert")).toHaveText(/not right, or it has been used/);
  await other.close();

  // the audit log has each of these, filtered by the user
  const admin = await pageAs(browser, baseURL, "/audit", ADMIN_EMAIL, ADMIN_PASSWORD);
  const rows = await auditRowsOf(admin, email);
  await expect(rows.filter({ hasText: "Two-factor set up" })).toHaveCount(1);
  await expect(rows.filter({ hasText: "Signed in" }).filter({ hasText: "method: totp" })).toHaveCount(2);
  await expect(rows.filter({ hasText: "Signed in" }).filter({ hasText: "method: backup_code" })).toHaveCount(1);
  await expect(rows.filter({ hasText: "Backup code used" })).toHaveCount(1);
  // the used backup code (the 5-digit code never left the browser)
  await expect(rows.filter({ hasText: "Sign-in failed" }).filter({ hasText: "reason: wrong_code" })).toHaveCount(1);
  await expect(rows.filter({ hasText: "Session ended" })).toHaveCount(2);
  await admin.context().close();
});

test("changing your password asks for the current one and signs your other sessions out", async ({ page, browser, baseURL }) => {
  const email = `pw-${randomInt(1e9)}@e2e.example.org`;
  createUser(email, PASSWORD, "staff");
  const elsewhere = await pageAs(browser, baseURL, "/imports", email, PASSWORD);
  await page.goto("/account");
  await signIn(page, email, PASSWORD);
  await expect(page).toHaveURL(/\/account$/);
  const form = await changePassword(page, "not my password", "a brand new password");
  await expect(form.getByLabel("Current password")).toHaveAccessibleDescription("That is not your current password");
  await form.getByLabel("Current password").fill(PASSWORD);
  await form.getByRole("button", { name: "Change password" }).click();
  await expect(form.getByRole("status")).toHaveText(/Your password is changed/);
  // still signed in here (the new session's cookie is the one the page is drawn with again)
  await expect(page).toHaveURL(/\/account$/);
  await page.reload();
  await expect(page.getByRole("heading", { level: 1, name: "Your account" })).toBeVisible();
  await elsewhere.goto("/imports");
  await expect(elsewhere).toHaveURL(/\/login/);
  await elsewhere.context().close();
});

test("an account made with an initial password must choose its own before any other page", async ({ page, browser, baseURL }) => {
  const email = `initial-${randomInt(1e9)}@e2e.example.org`;
  await page.goto("/staff");
  await signIn(page);
  const create = page.getByRole("form", { name: "New staff account" });
  // typed only once React runs the form (its button is disabled until then)
  await expect(create.getByRole("button", { name: "Create account" })).toBeEnabled();
  await create.getByLabel("Email").fill(email);
  await create.getByRole("radio", { name: /An initial password/ }).check();
  await create.getByLabel("Initial password", { exact: true }).fill("an initial password");
  await create.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByRole("status").filter({ hasText: email })).toContainText("can sign in with the initial password");

  const user = await pageAs(browser, baseURL, "/imports", email, "an initial password");
  await expect(user).toHaveURL(/\/account$/);
  await expect(user.getByTestId("pending-step")).toHaveText(/Choose your own password first/);
  await expect(user.getByRole("navigation", { name: "Main" }).getByRole("link")).toHaveText(["Your account"]);
  await user.goto("/members");
  await expect(user).toHaveURL(/\/account$/);

  const form = await changePassword(user, "an initial password", "my very own password");
  await expect(form.getByRole("status")).toHaveText(/Your password is changed/);
  await expect(user.getByTestId("pending-step")).toHaveCount(0);
  await user.goto("/members");
  await expect(user.getByRole("heading", { level: 1, name: "Members" })).toBeVisible();
  await user.context().close();
});
