// Staff sign-in (issue 3, item 1): /login, redirects, sign-out, roles.
import { ADMIN_EMAIL, STAFF_EMAIL, STAFF_PASSWORD } from "./accounts";
import { createUser, expect, loginForm, signIn, test } from "./fixtures";

test("signing in lands on the import history", async ({ page }) => {
  await page.goto("/login");
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

test("a staff account signs in but cannot open admin-only pages", async ({ page }) => {
  createUser(STAFF_EMAIL, STAFF_PASSWORD, "staff");
  await page.goto("/tokens");
  await expect(page).toHaveURL(/\/login\?next=%2Ftokens$/);
  await signIn(page, STAFF_EMAIL, STAFF_PASSWORD);
  await expect(page).toHaveURL(/\/forbidden$/);
  await expect(page.getByRole("heading", { level: 1, name: "Admins only" })).toBeVisible();
  await expect(page.getByRole("banner")).toContainText(STAFF_EMAIL);
});

test("repeated wrong passwords are slowed down", async ({ page }) => {
  await page.goto("/login");
  const form = await loginForm(page);
  for (let i = 0; i < 3; i++) {
    await signIn(page, ADMIN_EMAIL, `wrong ${i}`);
    await expect(form.getByRole("alert")).toHaveText(/Wrong email or password/);
  }
  await signIn(page, ADMIN_EMAIL, "wrong again");
  await expect(form.getByRole("alert")).toHaveText(/Too many sign-in attempts/);
});
