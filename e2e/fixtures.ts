// Shared by the e2e specs: `import { test, expect, signIn } from "./fixtures"`.
import { execFileSync } from "node:child_process";
import { createHash, randomInt } from "node:crypto";
import { test as base, expect, type Browser, type Page, type Request } from "@playwright/test";
import { NODE_TS } from "../tests/support/node-ts";
import { ADMIN_EMAIL, ADMIN_PASSWORD } from "./accounts";

export { expect };

export const test = base.extend({
  // Each test is its own client address: better-auth limits sign-in to 3
  // tries per 10 s per address, and every test signs in from 127.0.0.1. The
  // front server believes this X-Forwarded-For because the e2e app lists
  // 127.0.0.1 in TRUSTED_PROXIES (playwright.config.ts); without it, it
  // would put the connection's own address there (tests/api/abuse-limits.test.ts).
  extraHTTPHeaders: async ({}, use, testInfo) => {
    const h = createHash("sha256").update(`${testInfo.testId}:${testInfo.retry}:${testInfo.repeatEachIndex}`).digest();
    await use({ "x-forwarded-for": `10.${h[0]}.${h[1]}.${h[2] || 1}` });
  },
});

/** The login form, once React has hydrated it (a click before that does nothing). */
export async function loginForm(page: Page) {
  const form = page.locator('form[data-hydrated="true"]');
  await expect(form).toBeVisible();
  return form;
}

/** Signs in on the /login page the browser is on. */
export async function signIn(page: Page, email = ADMIN_EMAIL, password = ADMIN_PASSWORD) {
  const form = await loginForm(page);
  await form.getByLabel("Email").fill(email);
  await form.getByLabel("Password").fill(password);
  await form.getByRole("button", { name: "Sign in" }).click();
}

/** Creates a staff account with the real command (`npm run user:create`) on the e2e database. */
export function createUser(email: string, password: string, role: "admin" | "staff") {
  try {
    runUserCreate(email, password, role);
  } catch (e) {
    const stderr = String((e as { stderr?: Buffer }).stderr ?? "");
    if (!stderr.includes("already exists")) throw new Error(`user:create failed: ${stderr}`);
  }
}

function runUserCreate(email: string, password: string, role: string) {
  execFileSync(
    process.execPath,
    [...NODE_TS, "scripts/user-create.ts", "--email", email, "--role", role],
    // the password on stdin, as `printf '%s' "$PW" | npm run --silent user:create -- …`
    { env: { ...process.env, DATABASE_URL: process.env.E2E_DATABASE_URL }, input: password, stdio: ["pipe", "pipe", "pipe"] },
  );
}

/** Opens the upload wizard signed out, signs in, and waits for it to hydrate. */
export async function openWizard(page: Page) {
  await page.goto("/imports/new");
  await expect(page).toHaveURL(/\/login/);
  await signIn(page);
  await expect(page).toHaveURL(/\/imports\/new$/);
  await expect(page.locator('.wizard[data-hydrated="true"]')).toBeVisible();
}

/** "Preview changes" (the file sent once, as a dry run), waiting for what it found. */
export async function previewChanges(page: Page, timeout = 30_000) {
  const button = page.getByRole("button", { name: "Preview changes" });
  await expect(button).toBeEnabled();
  await button.click();
  await expect(page.getByTestId("preview-result")).toBeVisible({ timeout });
}

/** Preview, then "Start import" (ticking any confirmation asked for), then the import page once Ready. */
export async function previewAndStart(page: Page, opts: { confirm?: boolean; timeout?: number } = {}) {
  await previewChanges(page, opts.timeout);
  if (opts.confirm) for (const box of await page.getByRole("group", { name: /Check this before you start/ }).getByRole("checkbox").all()) await box.check();
  const start = page.getByRole("button", { name: "Start import" });
  await expect(start).toBeEnabled();
  await start.click();
  await expect(page).toHaveURL(/\/imports\/[0-9a-f-]{36}$/, { timeout: opts.timeout ?? 30_000 });
  await expect(page.getByTestId("import-status")).toHaveText("Ready", { timeout: opts.timeout ?? 30_000 });
}

type CsvFile = { name: string; mimeType: string; buffer: Buffer };

/** Chooses `file` in the wizard (at /imports/new, signed in), waits for its `rows` to be checked, previews and starts it: the import's id once Ready. */
export async function importFile(page: Page, file: CsvFile, rows: number, opts: { confirm?: boolean } = {}): Promise<string> {
  await page.goto("/imports/new");
  await expect(page.locator('.wizard[data-hydrated="true"]')).toBeVisible();
  await page.getByLabel("CSV file").setInputFiles(file);
  await expect(page.getByTestId("check-summary")).toContainText(new RegExp(`\\b${rows.toLocaleString("en-GB")} rows? checked`));
  await previewAndStart(page, opts);
  return new URL(page.url()).pathname.split("/").pop()!;
}

type FieldKind = "Text" | "Number" | "Date (YYYY-MM-DD)";

/** Creates a custom field on the /fields page (signed in as an admin), waiting for it to be listed. */
export async function createField(page: Page, label: string, slug: string, kind: FieldKind = "Text") {
  await page.goto("/fields");
  const form = page.getByRole("form", { name: "New custom field" });
  await form.getByLabel("Label").fill(label);
  await form.getByLabel("Slug").fill(slug);
  await form.getByLabel("Kind").selectOption({ label: kind });
  await form.getByRole("button", { name: "Create field" }).click();
  await expect(page.getByRole("table", { name: "Custom fields" })).toContainText(slug);
}

/** Signs in, creates the custom fields, then opens the wizard with them. */
export async function wizardWithFields(page: Page, fields: [label: string, slug: string, kind?: FieldKind][]) {
  await openWizard(page);
  for (const [label, slug, kind] of fields) await createField(page, label, slug, kind);
  await page.goto("/imports/new");
  await expect(page.locator('.wizard[data-hydrated="true"]')).toBeVisible();
}

/** A CSV file for a file input, its lines ended CRLF as a spreadsheet writes them. */
export function csvFile(name: string, lines: string[]): CsvFile {
  return { name, mimeType: "text/csv", buffer: Buffer.from(lines.join("\r\n") + "\r\n") };
}

/** The number an import's page shows under a label ("Created", "Rejected"…). */
export const countOf = (page: Page, label: string) => page.locator(".counts div").filter({ has: page.getByText(label, { exact: true }) }).locator("dd");

/** The members list for `query` (URL parameters), once its script runs (before that, typing would not search). */
export async function openMembers(page: Page, query: string) {
  await page.goto(`/members?${query}`);
  await expect(page.locator('.members[data-hydrated="true"]')).toBeVisible();
}

/** A page of its own (cookies, client address) signed in as another user, at `path`. */
export async function pageAs(browser: Browser, baseURL: string | undefined, path: string, email: string, password: string): Promise<Page> {
  const context = await browser.newContext({ baseURL, extraHTTPHeaders: { "x-forwarded-for": `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 256)}` } });
  const page = await context.newPage();
  await page.goto(path);
  await expect(page).toHaveURL(/\/login/);
  await signIn(page, email, password);
  await expect(page).not.toHaveURL(/\/login/);
  return page;
}

/** The next server-action call the page makes (its id, router state and body), to replay it as someone else. */
export function nextAction(page: Page): Promise<Request> {
  return page.waitForRequest((r) => r.method() === "POST" && !!r.headers()["next-action"]);
}

/** Sends a server-action call again from `page` (another user's session) with `body`: the answer's text. */
export async function replayAction(page: Page, call: Request, body: string): Promise<string> {
  const res = await page.request.post(call.url(), {
    headers: {
      "next-action": call.headers()["next-action"],
      "next-router-state-tree": call.headers()["next-router-state-tree"] ?? "",
      "content-type": call.headers()["content-type"],
      accept: "text/x-component",
      origin: new URL(call.url()).origin,
    },
    data: body,
  });
  return res.text();
}
