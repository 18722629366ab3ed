// The audit log's sign-in, session, password and two-factor entries
// (lib/auth/auth-audit.ts), and a wrong two-factor code counting against the
// sign-in limit (lib/auth/sign-in-limit.ts): the app's own better-auth on a
// test database of each dialect, driven through its HTTP handler as the
// login form and the browser drive it.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createStaffAuth, type Auth } from "@/lib/auth/better-auth";
import { setRequireTwoFactor } from "@/lib/settings/change-setting";
import { getSetting } from "@/lib/settings/app-settings";
import { createTestDb, DIALECTS, type TestDb } from "../support/test-db";
import { totpCode } from "../support/totp";

const BASE = "http://localhost:3000";
process.env.BETTER_AUTH_URL = BASE;
process.env.BETTER_AUTH_SECRET ??= "integration-test-secret-of-at-least-32-characters";
const ADDRESS = "203.0.113.7";
const PASSWORD = "the right password";

type Answer = { status: number; body: Record<string, unknown> | null };

/** A browser: its cookies, sent with each call to better-auth's handler. */
class Browser {
  private jar = new Map<string, string>();
  constructor(private auth: Auth) {}

  async post(path: string, body: object = {}): Promise<Answer> {
    const res = await this.auth.handler(
      new Request(`${BASE}/api/auth${path}`, {
        method: "POST",
        headers: { "content-type": "application/json", origin: BASE, "x-forwarded-for": ADDRESS, cookie: this.cookie() },
        body: JSON.stringify(body),
      }),
    );
    for (const c of res.headers.getSetCookie()) {
      const [pair, ...attrs] = c.split(";");
      const [name, value] = [pair.slice(0, pair.indexOf("=")), pair.slice(pair.indexOf("=") + 1)];
      if (value === "" || attrs.some((a) => /max-age=0\b/i.test(a.trim()))) this.jar.delete(name);
      else this.jar.set(name, value);
    }
    return { status: res.status, body: (await res.json().catch(() => null)) as Answer["body"] };
  }

  headers(): Headers {
    return new Headers({ cookie: this.cookie(), "x-forwarded-for": ADDRESS, origin: BASE });
  }

  private cookie() {
    return [...this.jar].map(([k, v]) => `${k}=${v}`).join("; ");
  }
}

describe.each(DIALECTS)("sign-in and account audit entries (%s)", (dialect) => {
  let t: TestDb;
  let auth: Auth;
  let seen = 0;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    t = await createTestDb(dialect);
    auth = createStaffAuth(t.db, false);
    for (const name of ["ann", "bob", "cat", "dan", "eve", "fay"]) {
      const { user } = await auth.api.createUser({ body: { email: `${name}@example.org`, password: PASSWORD, name, role: "staff" } });
      ids[name] = user.id;
    }
  });
  afterAll(async () => t?.drop());

  /** The entries written since the last call, as the audit page would list them. */
  async function newEntries() {
    const rows = await t.db.prisma.auditEntry.findMany({ where: { id: { gt: seen } }, orderBy: { id: "asc" } });
    seen = rows.at(-1)?.id ?? seen;
    return rows.map((r) => ({
      action: r.action,
      actor: `${r.actorType}:${r.actorId}:${r.actorName}`,
      address: r.address,
      ...(r.subjectType ? { subject: `${r.subjectType}:${r.subject}` } : {}),
      ...(r.detail ? { detail: JSON.parse(r.detail) as unknown } : {}),
    }));
  }
  const actor = (name: string) => `staff:${ids[name]}:${name}@example.org`;

  async function signedIn(name: string): Promise<Browser> {
    const b = new Browser(auth);
    expect((await b.post("/sign-in/email", { email: `${name}@example.org`, password: PASSWORD })).status).toBe(200);
    return b;
  }

  /** Sets up two-factor for a signed-in browser as /account does: the otpauth URI and backup codes. */
  async function setUpTwoFactor(b: Browser) {
    const setup = await auth.api.enableTwoFactor({ headers: b.headers(), body: { password: PASSWORD } });
    if (setup.method !== "totp") throw new Error("TOTP was not set up");
    expect((await b.post("/two-factor/verify-totp", { code: await totpCode(setup.totpURI) })).status).toBe(200);
    return { uri: setup.totpURI, backupCodes: setup.backupCodes };
  }

  test("a sign-in: one sign_in entry with its actor and address, and the account's last sign-in set", async () => {
    await newEntries();
    const before = Date.now();
    await signedIn("ann");
    expect(await newEntries()).toEqual([{ action: "sign_in", actor: actor("ann"), address: ADDRESS, detail: { method: "password" } }]);
    const user = await t.db.prisma.staffUser.findUniqueOrThrow({ where: { id: ids.ann } });
    expect(user.lastSignInAt!.getTime()).toBeGreaterThanOrEqual(before - 1000);
  });

  test("failed sign-ins: one entry each, with the reason (wrong password, unknown email, disabled account)", async () => {
    await newEntries();
    const b = new Browser(auth);
    expect((await b.post("/sign-in/email", { email: "bob@example.org", password: "wrong" })).status).toBe(401);
    expect((await b.post("/sign-in/email", { email: "Nobody@Example.org", password: "wrong" })).status).toBe(401);
    await t.db.prisma.staffUser.update({ where: { id: ids.fay }, data: { banned: true } });
    expect((await b.post("/sign-in/email", { email: "fay@example.org", password: PASSWORD })).status).toBe(403);
    expect(await newEntries()).toEqual([
      { action: "sign_in_failed", actor: actor("bob"), address: ADDRESS, detail: { reason: "wrong_password" } },
      { action: "sign_in_failed", actor: "staff:null:nobody@example.org", address: ADDRESS, detail: { reason: "wrong_password" } },
      { action: "sign_in_failed", actor: actor("fay"), address: ADDRESS, detail: { reason: "disabled" } },
    ]);
    const bob = await t.db.prisma.staffUser.findUniqueOrThrow({ where: { id: ids.bob } });
    expect(bob.lastSignInAt).toBeNull();
  });

  test("an email over its limit: the refusal is one sign_in_failed entry, limited", async () => {
    const b = new Browser(auth);
    for (let i = 0; i < 5; i++) expect((await b.post("/sign-in/email", { email: "cat@example.org", password: `wrong ${i}` })).status).toBe(401);
    await newEntries();
    expect((await b.post("/sign-in/email", { email: "cat@example.org", password: PASSWORD })).status).toBe(429);
    expect(await newEntries()).toEqual([{ action: "sign_in_failed", actor: actor("cat"), address: ADDRESS, detail: { reason: "limited" } }]);
  });

  test("two-factor: set up, then sign-in with a code, a wrong code, and a backup code (used once)", async () => {
    const b = await signedIn("dan");
    await newEntries();
    const { uri, backupCodes } = await setUpTwoFactor(b);
    expect(await newEntries()).toEqual([
      { action: "two_factor_enabled", actor: actor("dan"), address: ADDRESS, subject: `account:dan@example.org` },
    ]);

    // the password alone signs nobody in: no entry until the code
    const c = new Browser(auth);
    expect((await c.post("/sign-in/email", { email: "dan@example.org", password: PASSWORD })).body).toMatchObject({ twoFactorRedirect: true });
    expect(await newEntries()).toEqual([]);
    expect((await c.post("/two-factor/verify-totp", { code: "000000" === (await totpCode(uri)) ? "111111" : "000000" })).status).toBe(401);
    expect((await c.post("/two-factor/verify-totp", { code: await totpCode(uri) })).status).toBe(200);
    expect(await newEntries()).toEqual([
      { action: "sign_in_failed", actor: actor("dan"), address: ADDRESS, detail: { reason: "wrong_code" } },
      { action: "sign_in", actor: actor("dan"), address: ADDRESS, detail: { method: "totp" } },
    ]);

    const d = new Browser(auth);
    await d.post("/sign-in/email", { email: "dan@example.org", password: PASSWORD });
    expect((await d.post("/two-factor/verify-backup-code", { code: backupCodes[0] })).status).toBe(200);
    expect(await newEntries()).toEqual([
      { action: "sign_in", actor: actor("dan"), address: ADDRESS, detail: { method: "backup_code" } },
      { action: "two_factor_backup_code_used", actor: actor("dan"), address: ADDRESS, subject: `account:dan@example.org` },
    ]);
    const e = new Browser(auth);
    await e.post("/sign-in/email", { email: "dan@example.org", password: PASSWORD });
    expect((await e.post("/two-factor/verify-backup-code", { code: backupCodes[0] })).status).toBe(401);
    expect(await newEntries()).toEqual([{ action: "sign_in_failed", actor: actor("dan"), address: ADDRESS, detail: { reason: "wrong_code" } }]);

    await auth.api.disableTwoFactor({ headers: b.headers(), body: { password: PASSWORD } });
    expect(await newEntries()).toEqual([{ action: "two_factor_disabled", actor: actor("dan"), address: ADDRESS, subject: `account:dan@example.org` }]);
  });

  test("a wrong two-factor code counts against the same limit as a wrong password", async () => {
    const b = await signedIn("eve");
    const { uri } = await setUpTwoFactor(b);
    const c = new Browser(auth);
    for (let i = 0; i < 3; i++) expect((await c.post("/sign-in/email", { email: "eve@example.org", password: `wrong ${i}` })).status).toBe(401);
    // a right password does not wipe those failures while a code is still to come
    expect((await c.post("/sign-in/email", { email: "eve@example.org", password: PASSWORD })).body).toMatchObject({ twoFactorRedirect: true });
    const wrong = (await totpCode(uri)) === "123456" ? "654321" : "123456";
    for (let i = 0; i < 2; i++) expect((await c.post("/two-factor/verify-totp", { code: wrong })).status).toBe(401);
    await newEntries();
    // five failures: now even the right code is refused, and so is the password
    const refused = await c.post("/two-factor/verify-totp", { code: await totpCode(uri) });
    expect(refused).toMatchObject({ status: 429, body: { code: "TOO_MANY_FAILED_SIGN_INS" } });
    expect((await new Browser(auth).post("/sign-in/email", { email: "eve@example.org", password: PASSWORD })).status).toBe(429);
    expect(await newEntries()).toEqual([
      { action: "sign_in_failed", actor: actor("eve"), address: ADDRESS, detail: { reason: "limited" } },
      { action: "sign_in_failed", actor: actor("eve"), address: ADDRESS, detail: { reason: "limited" } },
    ]);
  });

  test("sessions: a sign-out, one session ended, the others ended: one entry each", async () => {
    const [one, two, three, four] = [await signedIn("ann"), await signedIn("ann"), await signedIn("ann"), await signedIn("ann")];
    const sessions = await auth.api.listSessions({ headers: one.headers() });
    const twoSession = (await auth.api.getSession({ headers: two.headers() }))!.session;
    await newEntries();
    await auth.api.revokeSession({ headers: one.headers(), body: { token: sessions.find((s) => s.id === twoSession.id)!.token } });
    expect(await newEntries()).toEqual([{ action: "session_ended", actor: actor("ann"), address: ADDRESS, subject: `session:${twoSession.id}` }]);
    expect(await auth.api.getSession({ headers: two.headers() })).toBeNull();

    const threeSession = (await auth.api.getSession({ headers: three.headers() }))!.session;
    expect((await three.post("/sign-out")).status).toBe(200);
    expect(await newEntries()).toEqual([{ action: "sign_out", actor: actor("ann"), address: ADDRESS, subject: `session:${threeSession.id}` }]);

    const left = (await auth.api.listSessions({ headers: one.headers() })).length;
    await auth.api.revokeOtherSessions({ headers: one.headers() });
    expect(await newEntries()).toEqual([
      { action: "session_ended", actor: actor("ann"), address: ADDRESS, subject: "session:all others", detail: { sessions: left - 1 } },
    ]);
    expect(await auth.api.getSession({ headers: four.headers() })).toBeNull();
    expect(await auth.api.getSession({ headers: one.headers() })).not.toBeNull();
  });

  test("a password change: one password_changed entry, and a required change is done", async () => {
    await t.db.prisma.staffUser.update({ where: { id: ids.bob }, data: { mustChangePassword: true } });
    const b = await signedIn("bob");
    await newEntries();
    await expect(auth.api.changePassword({ headers: b.headers(), body: { currentPassword: "wrong", newPassword: "a new password" } })).rejects.toThrow();
    expect(await newEntries()).toEqual([]);
    await auth.api.changePassword({ headers: b.headers(), body: { currentPassword: PASSWORD, newPassword: "a new password", revokeOtherSessions: true } });
    expect(await newEntries()).toEqual([
      { action: "password_changed", actor: actor("bob"), address: ADDRESS, subject: `account:bob@example.org`, detail: { otherSessionsEnded: true } },
    ]);
    expect((await t.db.prisma.staffUser.findUniqueOrThrow({ where: { id: ids.bob } })).mustChangePassword).toBe(false);
  });

  test("the require-two-factor setting: one setting_changed entry per change, none when saved unchanged or refused", async () => {
    await newEntries();
    const by = { actor: { type: "staff" as const, id: ids.ann, name: "ann@example.org" }, address: ADDRESS };
    // an admin without two-factor cannot require it (it would lock them out of every page at once)
    await expect(setRequireTwoFactor(t.db, by, { twoFactorEnabled: false }, true)).rejects.toMatchObject({ code: "forbidden" });
    expect(await getSetting(t.db, "requireTwoFactor")).toBe(false);
    const admin = { twoFactorEnabled: true };
    expect(await setRequireTwoFactor(t.db, by, admin, true)).toBe(true);
    expect(await setRequireTwoFactor(t.db, by, admin, true)).toBe(false);
    expect(await getSetting(t.db, "requireTwoFactor")).toBe(true);
    expect(await setRequireTwoFactor(t.db, by, { twoFactorEnabled: false }, false)).toBe(true);
    expect(await newEntries()).toEqual([
      { action: "setting_changed", actor: actor("ann"), address: ADDRESS, subject: "setting:requireTwoFactor", detail: { from: false, to: true } },
      { action: "setting_changed", actor: actor("ann"), address: ADDRESS, subject: "setting:requireTwoFactor", detail: { from: true, to: false } },
    ]);
  });
});
