// Staff sign-in (issue 3, item 1): /login, redirects, sign-out, roles.
import { ADMIN_EMAIL, ADMIN_PASSWORD, STAFF_EMAIL, STAFF_PASSWORD } from "./accounts";
import { auditRowsOf } from "./audit-rows";
import { createUser, expect, loginForm, pageAs, signIn, test } from "./fixtures";

test("signing in lands on the import history", async ({ page }) => {
  await page.goto("/login");
  await expect(page.getByTestId("needs-https")).toHaveCount(0);
  await signIn(page);
  await expect(page).toHaveURL(/\/imports$/);
  await expect(page.getByRole("heading", { level: 1, name: "Imports" })).toBeVisible();
  const header = page.getByRole("banner");
  await expect(header).toContainText(ADMIN_EMAIL);
  for (const name of ["Imports", "New import", "Fields", "API tokens"]) {
    await expect(header.getByRole("link", { name, exact: true })).toBeVisible();
  }
  await expect(header.getByRole("button", { name: "Sign out" })).toBeVisible();
});

test("a wrong password is refused with one message that does not say which part was wrong", async ({ page }) => {
  await page.goto("/login");
  await signIn(page, ADMIN_EMAIL, "not the password");
  const form = page.locator("form");
  await expect(form.getByRole("alert")).toHaveText(/Wrong email or password/);
  await expect(page).toHaveURL(/\/login$/);

  // An unknown email gets exactly the same words.
  await signIn(page, "nobody@e2e.example.org", "not the password");
  await expect(form.getByRole("alert")).toHaveText(/Wrong email or password/);
  const cookies = await page.context().cookies();
  expect(cookies.some((c) => c.name.includes("session_token"))).toBe(false);
});

test("missing or malformed fields are reported next to the field", async ({ page }) => {
  await page.goto("/login");
  const form = await loginForm(page);
  await form.getByRole("button", { name: "Sign in" }).click();
  await expect(form.getByLabel("Email")).toHaveAccessibleDescription("Enter your email address");
  await expect(form.getByLabel("Password")).toHaveAccessibleDescription("Enter your password");
  await form.getByLabel("Email").fill("not-an-email");
  await form.getByRole("button", { name: "Sign in" }).click();
  await expect(form.getByLabel("Email")).toHaveAccessibleDescription(/Enter an email address/);
});

test("a signed-out visit to /imports goes to /login and back to /imports after signing in", async ({ page }) => {
  await page.goto("/imports");
  await expect(page).toHaveURL(/\/login\?next=%2Fimports$/);
  await signIn(page);
  await expect(page).toHaveURL(/\/imports$/);
  await expect(page.getByRole("heading", { level: 1, name: "Imports" })).toBeVisible();
});

test("a deep link is returned to after signing in", async ({ page }) => {
  await page.goto("/fields?from=e2e");
  await expect(page).toHaveURL(/\/login\?next=%2Ffields%3Ffrom%3De2e$/);
  await signIn(page);
  await expect(page).toHaveURL(/\/fields\?from=e2e$/);
  await expect(page.getByRole("banner").getByRole("link", { name: "Fields" })).toHaveAttribute("aria-current", "page");
});

test("the home page sends a signed-in user to /imports", async ({ page }) => {
  await page.goto("/");
  await signIn(page);
  await expect(page).toHaveURL(/\/imports$/);
  await page.goto("/");
  await expect(page).toHaveURL(/\/imports$/);
});

test("signing out ends the session, not just the cookie", async ({ page, context }) => {
  await page.goto("/login");
  await signIn(page);
  await expect(page).toHaveURL(/\/imports$/);
  const session = (await context.cookies()).find((c) => c.name.endsWith("better-auth.session_token"));
  expect(session?.httpOnly).toBe(true);

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login$/);
  await loginForm(page);
  await page.goto("/imports");
  await expect(page).toHaveURL(/\/login\?next=%2Fimports$/);

  // The old cookie, put back, no longer opens anything: the server checks the
  // session in the database, not just the cookie's presence.
  await context.addCookies([session!]);
  await page.goto("/imports");
  await expect(page).toHaveURL(/\/login\?next=%2Fimports$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(/Sign in/);
});

for (const target of ["https://evil.example", "//evil.example", "/\\evil.example", "/login?next=https://evil.example"]) {
  test(`an open-redirect attempt (next=${target}) lands on /imports`, async ({ page }) => {
    await page.goto(`/login?next=${encodeURIComponent(target)}`);
    await signIn(page);
    await expect(page).toHaveURL(/^http:\/\/127\.0\.0\.1:\d+\/imports$/);
  });
}

test("the login page sends someone already signed in on to next", async ({ page }) => {
  await page.goto("/login");
  await signIn(page);
  await expect(page).toHaveURL(/\/imports$/);
  await page.goto("/login?next=%2Ffields");
  await expect(page).toHaveURL(/\/fields$/);
});

test("sign-up is closed to the public", async ({ request, baseURL }) => {
  const res = await request.post("/api/auth/sign-up/email", {
    headers: { Origin: baseURL! },
    data: { email: "walk-in@e2e.example.org", password: "a long enough password", name: "Walk in" },
  });
  expect(res.status()).toBe(400);
  expect((await res.json()).code).toBe("EMAIL_PASSWORD_SIGN_UP_DISABLED");
});

test("the API keeps its bearer tokens and /api/health stays public", async ({ request }) => {
  const health = await request.get("/api/health", { maxRedirects: 0 });
  expect(health.status()).toBe(200);
  const api = await request.get("/api/deferred_results/x", { maxRedirects: 0 });
  expect(api.status()).toBe(401);
  const session = await request.get("/api/auth/get-session", { maxRedirects: 0 });
  expect(session.status()).toBe(200);
});

test("a staff account signs in, sees no admin-only links, and an admin-only page answers 403", async ({ page }) => {
  createUser(STAFF_EMAIL, STAFF_PASSWORD, "staff");
  await page.goto("/tokens");
  await expect(page).toHaveURL(/\/login\?next=%2Ftokens$/);
  const tokensAnswer = page.waitForResponse((r) => new URL(r.url()).pathname === "/tokens" && r.request().resourceType() === "document");
  await signIn(page, STAFF_EMAIL, STAFF_PASSWORD);
  // the page's own address, with a real 403 (not a redirect to a 200 page)
  expect((await tokensAnswer).status()).toBe(403);
  await expect(page).toHaveURL(/\/tokens$/);
  await expect(page.getByRole("heading", { level: 1, name: "Admins only" })).toBeVisible();
  const header = page.getByRole("banner");
  await expect(header).toContainText(STAFF_EMAIL);
  for (const name of ["Imports", "New import", "Fields"]) await expect(header.getByRole("link", { name, exact: true })).toBeVisible();
  await expect(header.getByRole("link", { name: "API tokens" })).toHaveCount(0);

  const again = await page.goto("/tokens");
  expect(again?.status()).toBe(403);
  await expect(page.getByRole("heading", { level: 1, name: "Admins only" })).toBeVisible();
  expect((await page.goto("/forbidden"))?.status()).toBe(404); // the old 200 page is gone
});

test("sign-in works on http://127.0.0.1 with a Secure session cookie", async ({ page, context }) => {
  await page.goto("/login");
  await signIn(page);
  await expect(page).toHaveURL(/\/imports$/);
  const session = (await context.cookies()).find((c) => c.name.endsWith("better-auth.session_token"));
  expect(session).toMatchObject({ name: "__Secure-better-auth.session_token", secure: true, httpOnly: true, sameSite: "Lax" });
  // and the browser sends it back: a page that needs the session opens
  await page.goto("/fields");
  await expect(page.getByRole("heading", { level: 1, name: "Custom fields" })).toBeVisible();
});

test("on plain HTTP at an address that is not this machine, the login page says sign-in needs HTTPS", async ({ page, baseURL }) => {
  // http://imports.test is the app (each request rewritten to it), but to the
  // browser it is a plain-HTTP site elsewhere: not a secure context.
  const other = "http://imports.test";
  await page.route(`${other}/**`, (route) => route.continue({ url: route.request().url().replace(other, baseURL!) }));
  await page.goto(`${other}/login`);
  await loginForm(page);
  await expect(page.getByTestId("needs-https")).toHaveText(
    /Sign-in needs HTTPS here: open this app over https:\/\/, or set BETTER_AUTH_URL=http:\/\/… .* to allow plain HTTP on a trusted network/,
  );
});

test("repeated wrong passwords from one address are slowed down, and the audit log says so", async ({ page, browser, baseURL }) => {
  const email = `slowed-${Date.now()}@e2e.example.org`;
  createUser(email, "the slowed account's password", "staff");
  await page.goto("/login");
  const form = await loginForm(page);
  for (let i = 0; i < 3; i++) {
    await signIn(page, email, `wrong ${i}`);
    await expect(form.getByRole("alert")).toHaveText(/Wrong email or password/);
  }
  await signIn(page, email, "wrong again");
  await expect(form.getByRole("alert")).toHaveText(/Too many sign-in attempts/);

  const admin = await pageAs(browser, baseURL, "/audit", ADMIN_EMAIL, ADMIN_PASSWORD);
  const rows = (await auditRowsOf(admin, email)).filter({ hasText: "Sign-in failed" });
  await expect(rows.filter({ hasText: "reason: wrong_password" })).toHaveCount(3);
  await expect(rows.filter({ hasText: "reason: limited · by: address" })).toHaveCount(1);
  await admin.context().close();
});

test("5 failed sign-ins for one email lock that email for 15 minutes, whatever addresses they came from", async ({ page }) => {
  const email = `locked-${Date.now()}@e2e.example.org`;
  createUser(email, "the locked account's password", "staff");
  await page.goto("/login");
  const form = await loginForm(page);
  const answer = () => page.waitForResponse((r) => new URL(r.url()).pathname === "/api/auth/sign-in/email");
  for (let i = 0; i < 5; i++) {
    await page.setExtraHTTPHeaders({ "x-forwarded-for": `10.250.${i}.${(Date.now() % 200) + 1}` });
    const answered = answer();
    await signIn(page, email, `wrong ${i}`);
    expect((await answered).status()).toBe(401);
    await expect(form.getByRole("alert")).toHaveText(/Wrong email or password/);
  }
  // the right password, from yet another address: refused, and said so plainly
  await page.setExtraHTTPHeaders({ "x-forwarded-for": `10.251.0.${(Date.now() % 200) + 1}` });
  const refused = answer();
  await signIn(page, email, "the locked account's password");
  expect((await refused).status()).toBe(429);
  await expect(form.getByRole("alert")).toHaveText(/Too many failed sign-ins for this account\. Wait 15 minutes, then try again/);
  await expect(page).toHaveURL(/\/login$/);

  // other accounts are not locked, from the same address
  await signIn(page, ADMIN_EMAIL, ADMIN_PASSWORD);
  await expect(page).toHaveURL(/\/imports$/);
});
