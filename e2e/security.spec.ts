// Security headers on pages and API answers, framing refused, and pages that
// still work under their Content-Security-Policy (no console errors: the
// icon, Next's scripts with their nonce, the wizard's Web Worker).
import type { ConsoleMessage, Page } from "@playwright/test";
import { expect, signIn, test } from "./fixtures";

const COMMON = {
  "x-content-type-options": "nosniff",
  "referrer-policy": "same-origin",
  "x-frame-options": "DENY",
};

function expectPageHeaders(headers: Record<string, string>) {
  expect(headers).toMatchObject(COMMON);
  const csp = headers["content-security-policy"];
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{16,}' 'strict-dynamic'/);
  expect(csp).not.toMatch(/script-src[^;]*'unsafe-(inline|eval)'/);
  expect(csp).toContain("object-src 'none'");
  expect(csp).toContain("base-uri 'none'");
}

function expectApiHeaders(headers: Record<string, string>) {
  expect(headers).toMatchObject({ ...COMMON, "content-security-policy": "default-src 'none'; frame-ancestors 'none'" });
}

test("pages and API answers carry the security headers; each page gets its own nonce", async ({ page, request }) => {
  const login = await page.goto("/login");
  expectPageHeaders(login!.headers());
  await signIn(page);
  await expect(page).toHaveURL(/\/imports$/);
  const tokens = await page.goto("/tokens");
  expect(tokens!.status()).toBe(200);
  expectPageHeaders(tokens!.headers());
  const nonce = (h: Record<string, string>) => /'nonce-([^']+)'/.exec(h["content-security-policy"])![1];
  expect(nonce(tokens!.headers())).not.toBe(nonce(login!.headers()));
  // the nonce is on Next's scripts
  expect(await page.locator(`script[nonce]`).count()).toBeGreaterThan(0);

  // a redirect of a signed-out visit
  const redirect = await request.get("/tokens", { maxRedirects: 0 });
  expect(redirect.status()).toBe(307);
  expectPageHeaders(redirect.headers());

  // Next.js's API answers, better-auth's, and the front server's own bulk upsert answer
  expectApiHeaders((await request.get("/api/health")).headers());
  expectApiHeaders((await request.get("/api/auth/get-session")).headers());
  const upsert = await request.post("/api/targets/bulk_upsert", { data: { records: [] } });
  expect(upsert.status()).toBe(401);
  expectApiHeaders(upsert.headers());
});

test("the token page cannot be framed, by another site or by this one", async ({ page, baseURL }) => {
  await page.goto("/tokens");
  await signIn(page);
  await expect(page.getByRole("heading", { level: 1, name: "API tokens" })).toBeVisible();

  // Chromium shows a refused frame as its own error page (chrome-error://):
  // the frame must end there, never on the token page.
  const childFrame = (host: Page) => host.frames().find((f) => f !== host.mainFrame());
  const expectRefused = async (host: Page) => {
    await expect.poll(() => childFrame(host)?.url() ?? "").toMatch(/^chrome-error:/);
    const h1 = await childFrame(host)!
      .evaluate(() => document.querySelector("h1")?.textContent ?? null)
      .catch(() => null);
    expect(h1).not.toBe("API tokens");
  };

  // the check can see a framed page: a page without the policy shows in a frame
  await page.route("http://framer.test/**", (route) =>
    route.fulfill({
      contentType: "text/html",
      body: route.request().url().endsWith("/plain")
        ? "<h1>Plain page</h1>"
        : `<h1>Framer</h1><iframe src="${route.request().url().endsWith("/control") ? "http://framer.test/plain" : `${baseURL}/tokens`}"></iframe>`,
    }),
  );
  await page.goto("http://framer.test/control");
  await expect.poll(() => childFrame(page)?.evaluate(() => document.querySelector("h1")?.textContent ?? null).catch(() => null)).toBe("Plain page");

  // another site
  await page.goto("http://framer.test/");
  await expectRefused(page);

  // this site (a page of ours that tries to frame the token page)
  await page.goto("/imports");
  await page.evaluate(() => {
    const f = document.createElement("iframe");
    f.src = "/tokens";
    document.body.append(f);
  });
  await expectRefused(page);
});

test("a page load logs no console errors: icon, scripts under the policy, and the wizard's Web Worker", async ({ page, request }) => {
  const errors: string[] = [];
  const record = (m: ConsoleMessage) => {
    if (m.type() === "error" || /Content Security Policy/i.test(m.text())) errors.push(`${m.type()}: ${m.text()} (${m.location().url})`);
  };
  page.on("console", record);
  page.on("pageerror", (e) => errors.push(`pageerror: ${e.message}`));
  page.on("response", (r) => {
    if (r.status() === 404) errors.push(`404: ${r.url()}`);
  });

  await page.goto("/login");
  await signIn(page);
  await expect(page).toHaveURL(/\/imports$/);
  await page.goto("/fields");
  await expect(page.getByRole("heading", { level: 1, name: "Custom fields" })).toBeVisible();
  await page.goto("/tokens");
  await expect(page.getByRole("heading", { level: 1, name: "API tokens" })).toBeVisible();

  // the wizard: the file is read and checked in its Web Worker
  await page.goto("/imports/new");
  await expect(page.locator('.wizard[data-hydrated="true"]')).toBeVisible();
  const p = `C${Date.now()}`;
  await page.getByLabel("CSV file").setInputFiles({
    name: "console.csv",
    mimeType: "text/csv",
    buffer: Buffer.from(`external_id,email\n${p}-1,a-${p}@example.org\n${p}-2,b-${p}@example.org\n`),
  });
  await expect(page.getByTestId("check-summary")).toContainText("2 rows checked");
  // a client-side navigation too
  await page.getByRole("banner").getByRole("link", { name: "Imports", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Imports" })).toBeVisible();

  expect(errors).toEqual([]);

  // the icon the pages link to, and the one browsers ask for by themselves
  const icon = await page.locator('link[rel="icon"]').first().getAttribute("href");
  expect(icon).toBeTruthy();
  expect((await request.get(icon!)).status()).toBe(200);
  const favicon = await request.get("/favicon.ico", { maxRedirects: 0 });
  expect(favicon.status()).toBe(200);
  expect(favicon.headers()["content-type"]).toMatch(/image\//);
});
