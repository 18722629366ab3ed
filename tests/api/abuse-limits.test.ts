// Limits that stop abuse, through real HTTP against the built app (`npm
// start`'s own script, so the front server decides who the client is), on
// both databases: sign-in per address and per email, and the custom-field cap.
import { spawnSync } from "node:child_process";
import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { MAX_CUSTOM_FIELDS } from "@/lib/custom-fields/custom-field-schema";
import { startAppServer, type AppServer } from "../support/app-server";
import { DIALECTS, NODE_TS } from "../support/test-db";

const ROOT = resolve(import.meta.dirname, "../..");
const PASSWORD = "an account's password";

/** The real command, password on stdin. */
function createStaff(databaseUrl: string, email: string) {
  const r = spawnSync(process.execPath, [...NODE_TS, "scripts/user-create.ts", "--email", email, "--role", "staff"], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: databaseUrl },
    input: PASSWORD,
    encoding: "utf8",
  });
  if (r.status !== 0) throw new Error(`user:create: ${r.stderr}`);
}

async function signIn(app: AppServer, email: string, password: string, forwardedFor?: string) {
  const headers: Record<string, string> = { "content-type": "application/json", origin: app.baseUrl };
  if (forwardedFor) headers["x-forwarded-for"] = forwardedFor;
  const r = await fetch(`${app.baseUrl}/api/auth/sign-in/email`, { method: "POST", headers, body: JSON.stringify({ email, password }) });
  const body = (await r.json().catch(() => ({}))) as { code?: string; message?: string };
  return { status: r.status, code: body.code, message: body.message, secureCookie: /^__Secure-/.test(r.headers.get("set-cookie") ?? "") };
}

describe.each(DIALECTS)("abuse limits (%s)", (dialect) => {
  // As deployed by default: no TRUSTED_PROXIES.
  let app: AppServer;
  beforeAll(async () => {
    app = await startAppServer(dialect);
    createStaff(app.t.url, "ann@example.org");
  });
  afterAll(async () => app?.stop());

  test("a client cannot choose its sign-in bucket with X-Forwarded-For: the front server puts the connection's address there", async () => {
    for (let i = 1; i <= 3; i++) {
      const r = await signIn(app, "nobody@example.org", "wrong", `203.0.113.${i}`);
      expect(r.status).toBe(401);
    }
    const fourth = await signIn(app, "nobody@example.org", "wrong", "203.0.113.4");
    expect(fourth.status).toBe(429);
    expect(fourth.code).not.toBe("TOO_MANY_FAILED_SIGN_INS"); // better-auth's per-address limit, not the per-email one
    await new Promise((r) => setTimeout(r, 10_500)); // its window
    const ok = await signIn(app, "ann@example.org", PASSWORD, "203.0.113.5");
    expect(ok.status).toBe(200);
    expect(ok.secureCookie).toBe(true); // production: Secure without BETTER_AUTH_URL
  }, 60_000);

  test(`POST /api/custom_fields beyond ${MAX_CUSTOM_FIELDS} fields is 409 limit_reached, also when creates race`, async () => {
    const post = (slug: string) => app.api("/api/custom_fields", { method: "POST", json: { slug, label: slug, kind: "text" } });
    await app.t.db.prisma.customField.createMany({
      data: Array.from({ length: MAX_CUSTOM_FIELDS - 1 }, (_, i) => ({ slug: `f_${i}`, label: `F ${i}`, kind: "text" })),
    });
    expect((await post("last_one")).status).toBe(201);
    const over = await post("one_too_many");
    expect(over.status).toBe(409);
    const body = await over.json();
    expect(body.error.code).toBe("limit_reached");
    expect(body.error.message).toContain(`already ${MAX_CUSTOM_FIELDS} custom fields`);
    expect(body.error.limit).toBe(MAX_CUSTOM_FIELDS);
    expect(await app.t.db.prisma.customField.count()).toBe(MAX_CUSTOM_FIELDS);

    // 5 free places, 20 creates at once: never more than the limit
    await app.t.db.prisma.customField.deleteMany({ where: { slug: { in: ["f_0", "f_1", "f_2", "f_3", "f_4"] } } });
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => post(`racing_${i}`)));
    const statuses = answers.map((a) => a.status);
    expect(statuses.every((s) => s === 201 || s === 409)).toBe(true);
    const created = statuses.filter((s) => s === 201).length;
    expect(created).toBeLessThanOrEqual(5);
    expect(await app.t.db.prisma.customField.count()).toBe(MAX_CUSTOM_FIELDS - 5 + created);
  }, 60_000);

  describe("behind a trusted proxy, two instances on one database", () => {
    let first: AppServer;
    let second: AppServer;
    beforeAll(async () => {
      first = await startAppServer(dialect, { TRUSTED_PROXIES: "127.0.0.1", WORKER_IN_APP: "false" });
      second = await startAppServer(dialect, { TRUSTED_PROXIES: "127.0.0.1", WORKER_IN_APP: "false", DATABASE_URL: first.t.url });
      createStaff(first.t.url, "bob@example.org");
      createStaff(first.t.url, "cy@example.org");
    });
    afterAll(async () => {
      await second?.stop();
      await first?.stop();
    });

    test("5 failed sign-ins for one email, from 5 addresses over both instances, lock that email on both; others sign in", async () => {
      for (let i = 1; i <= 5; i++) {
        const r = await signIn(i % 2 ? first : second, "bob@example.org", `wrong ${i}`, `198.51.100.${i}`);
        expect(r.status).toBe(401);
      }
      for (const [app, ip] of [
        [first, "198.51.100.6"],
        [second, "198.51.100.7"],
      ] as const) {
        const r = await signIn(app, "bob@example.org", PASSWORD, ip);
        expect(r.status).toBe(429);
        expect(r.code).toBe("TOO_MANY_FAILED_SIGN_INS");
        expect(r.message).toMatch(/Too many failed sign-ins for this account\. Wait 15 minutes, then try again/);
      }
      expect((await signIn(second, "cy@example.org", PASSWORD, "198.51.100.6")).status).toBe(200);
    }, 60_000);

    test("successful sign-ins do not count", async () => {
      for (let round = 0; round < 3; round++) {
        for (let i = 0; i < 2; i++) expect((await signIn(first, "cy@example.org", "wrong", `192.0.2.${round * 10 + i}`)).status).toBe(401);
        expect((await signIn(second, "cy@example.org", PASSWORD, `192.0.2.${round * 10 + 5}`)).status).toBe(200);
      }
    }, 60_000);
  });
});
