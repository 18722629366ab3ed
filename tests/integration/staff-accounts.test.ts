// Staff accounts (/staff, issue 19): what lib/staff does through
// better-auth's admin plugin, on both databases. The callers are real
// sessions: each admin signs in through better-auth and acts with those
// headers, as the page's server actions do.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { authForServer, createStaffUser } from "@/lib/auth/better-auth";
import { createDb } from "@/lib/db/client";
import { changeStaffRole } from "@/lib/staff/change-staff-role";
import { createStaffAccount } from "@/lib/staff/create-staff-account";
import { parseInput } from "@/lib/invalid-payload";
import { createStaffAccountSchema } from "@/lib/staff/staff-schema";
import { deleteStaffAccount } from "@/lib/staff/delete-staff-account";
import { disableStaffAccount, enableStaffAccount } from "@/lib/staff/disable-staff-account";
import { listStaff } from "@/lib/staff/list-staff";
import { resetStaffPassword } from "@/lib/staff/password-link";
import { resetTwoFactor } from "@/lib/staff/reset-two-factor";
import type { StaffCaller } from "@/lib/staff/staff-caller";
import { authOnDb, sessionHeaders, sessionOf } from "../support/staff-auth";
import { createTestDb, DIALECTS, type TestDb } from "../support/test-db";

const PASSWORD = "a long enough password";

describe.each(DIALECTS)("staff accounts (%s)", (dialect) => {
  let t: TestDb;
  let alice: StaffCaller;
  let bob: StaffCaller;

  async function caller(email: string, password = PASSWORD): Promise<StaffCaller> {
    const headers = await sessionHeaders(email, password);
    const session = await sessionOf(headers);
    return { user: { id: session!.user.id, email }, headers };
  }
  const idOf = async (email: string) => (await t.db.prisma.staffUser.findUniqueOrThrow({ where: { email } })).id;
  const roleOf = async (email: string) => (await t.db.prisma.staffUser.findUniqueOrThrow({ where: { email } })).role;
  // account changes (sign-ins and the like are recorded too, as sessions)
  const entries = (subject: string) => t.db.prisma.auditEntry.findMany({ where: { subject, subjectType: "account" }, orderBy: { id: "asc" } });
  const tokenOf = (link: string) => decodeURIComponent(/reset-password\/([^?]+)/.exec(link)![1]);
  /** Where following the link sends the browser. */
  async function follow(link: string): Promise<string> {
    const res = await authForServer().handler(new Request(`http://localhost${link}`));
    const to = res.headers.get("location");
    if (!to) return `(status ${res.status})`;
    const url = new URL(to, "http://localhost");
    return url.pathname + url.search;
  }
  const setPassword = (link: string, newPassword: string) =>
    authForServer().api.resetPassword({ body: { token: tokenOf(link), newPassword } });
  async function staffAccount(email: string): Promise<string> {
    await createStaffUser({ email, password: PASSWORD, role: "staff" });
    return idOf(email);
  }

  beforeAll(async () => {
    t = await createTestDb(dialect);
    authOnDb(t.db);
    await createStaffUser({ email: "alice@example.org", password: PASSWORD, role: "admin" });
    await createStaffUser({ email: "bob@example.org", password: PASSWORD, role: "admin" });
    alice = await caller("alice@example.org");
    bob = await caller("bob@example.org");
  });
  afterAll(async () => t?.drop());

  test("a set-password link sets the password once, then says it is used; the account then signs in", async () => {
    const made = await createStaffAccount(t.db, alice, parseInput(createStaffAccountSchema, { email: " New@Example.org ", role: "staff", setPassword: "link" }));
    expect(made).toMatchObject({ email: "new@example.org", role: "staff" });
    // no password until the link is used
    expect((await listStaff(t.db)).find((a) => a.email === "new@example.org")?.status).toBe("no-password-yet");
    const link = made.link!;
    expect(await follow(link)).toBe(`/set-password?token=${tokenOf(link)}`);
    await setPassword(link, "chosen by the new user");
    // the password set through the link is audited once, the link's user as the actor
    const set = await t.db.prisma.auditEntry.findMany({ where: { action: "password_changed", subject: "new@example.org" } });
    expect(set.map((e) => [e.actorType, e.actorName, e.detail])).toEqual([["staff", "new@example.org", JSON.stringify({ through: "set-password link" })]]);
    await expect(setPassword(link, "a second try at it")).rejects.toMatchObject({ body: { code: "INVALID_TOKEN" } });
    expect(await follow(link)).toBe("/set-password?error=INVALID_TOKEN");
    expect((await sessionOf(await sessionHeaders("new@example.org", "chosen by the new user")))?.user.email).toBe("new@example.org");
    expect((await listStaff(t.db)).find((a) => a.email === "new@example.org")?.status).toBe("active");
  });

  test("a link lasts 24 hours: aged past that it sets nothing, and the old password still works", async () => {
    const id = await staffAccount("ageing@example.org");
    const { link } = await resetStaffPassword(t.db, alice, { id });
    const row = await t.db.prisma.staffVerification.findFirstOrThrow({ where: { value: id } });
    expect(Math.abs(row.expiresAt.getTime() - Date.now() - 24 * 3600_000)).toBeLessThan(60_000);
    await t.db.prisma.staffVerification.update({ where: { id: row.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await follow(link)).toBe("/set-password?error=INVALID_TOKEN");
    await expect(setPassword(link, "too late for this")).rejects.toMatchObject({ body: { code: "INVALID_TOKEN" } });
    expect(await sessionOf(await sessionHeaders("ageing@example.org", PASSWORD))).toBeTruthy();
  });

  test("an initial password signs in, and the account must change it first", async () => {
    const made = await createStaffAccount(t.db, alice, { email: "initial@example.org", role: "staff", setPassword: "initial", password: "initial password" });
    expect(made.link).toBeNull();
    const session = await sessionOf(await sessionHeaders("initial@example.org", "initial password"));
    expect(session?.user).toMatchObject({ email: "initial@example.org", mustChangePassword: true });
    expect((await listStaff(t.db)).find((a) => a.email === "initial@example.org")?.status).toBe("must-change-password");
    // a password then set through a link is their own: no change is asked of them any more
    const { link } = await resetStaffPassword(t.db, alice, { id: made.id });
    await setPassword(link, "chosen through the link");
    const after = await sessionOf(await sessionHeaders("initial@example.org", "chosen through the link"));
    expect(after?.user.mustChangePassword).toBe(false);
  });

  test("a link's token is not kept in the clear", async () => {
    const id = await staffAccount("hashed@example.org");
    const { link } = await resetStaffPassword(t.db, alice, { id });
    const rows = await t.db.prisma.staffVerification.findMany({ where: { value: id } });
    expect(rows).toHaveLength(1);
    expect(rows[0].identifier).not.toContain(tokenOf(link));
  });

  test("a disabled account's session is refused on its next request, and it cannot sign in until enabled", async () => {
    const id = await staffAccount("disabled@example.org");
    const tab = await sessionHeaders("disabled@example.org", PASSWORD);
    const otherTab = await sessionHeaders("disabled@example.org", PASSWORD);
    expect(await sessionOf(tab)).toBeTruthy();
    expect(await disableStaffAccount(t.db, alice, { id })).toEqual({ email: "disabled@example.org", changed: true });
    expect(await sessionOf(tab)).toBeNull();
    expect(await sessionOf(otherTab)).toBeNull();
    await expect(sessionHeaders("disabled@example.org", PASSWORD)).rejects.toMatchObject({ body: { code: "BANNED_USER" } });
    expect((await listStaff(t.db)).find((a) => a.id === id)?.status).toBe("disabled");
    await enableStaffAccount(t.db, alice, { id });
    expect(await sessionOf(await sessionHeaders("disabled@example.org", PASSWORD))).toBeTruthy();
  });

  test("the last active admin cannot be demoted, disabled or deleted, and the list marks it", async () => {
    const bobId = await idOf("bob@example.org");
    const aliceId = await idOf("alice@example.org");
    await disableStaffAccount(t.db, alice, { id: bobId });
    // an admin who has never set a password is not one who can act
    const waiting = await createStaffAccount(t.db, alice, { email: "no-password-admin@example.org", role: "admin", setPassword: "link" });
    expect((await listStaff(t.db)).filter((a) => a.lastActiveAdmin).map((a) => a.email)).toEqual(["alice@example.org"]);
    await expect(changeStaffRole(t.db, alice, { id: aliceId, role: "staff" })).rejects.toMatchObject({
      code: "forbidden",
      message: "You cannot demote the last active admin: make another account an admin first",
    });
    // alice cannot disable or delete herself either way; another admin could not disable or delete her: she is the last
    await createStaffUser({ email: "dave@example.org", password: PASSWORD, role: "staff" });
    const dave = await caller("dave@example.org");
    await expect(disableStaffAccount(t.db, dave, { id: aliceId })).rejects.toMatchObject({ code: "forbidden" });
    await expect(deleteStaffAccount(t.db, dave, { id: aliceId })).rejects.toMatchObject({ code: "forbidden" });
    expect(await roleOf("alice@example.org")).toBe("admin");
    expect(await t.db.prisma.staffUser.count({ where: { email: "alice@example.org", banned: true } })).toBe(0);
    await deleteStaffAccount(t.db, alice, { id: waiting.id });
    await enableStaffAccount(t.db, alice, { id: bobId });
    expect((await listStaff(t.db)).some((a) => a.lastActiveAdmin)).toBe(false);
    bob = await caller("bob@example.org"); // disabling ended his session
  });

  /** Exactly one of two demotions run at once went through, refused the other (forbidden); then both are admins again. */
  async function exactlyOneDemoted(results: PromiseSettledResult<unknown>[]) {
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(results.find((r) => r.status === "rejected")).toMatchObject({ reason: { code: "forbidden" } });
    const admins = await t.db.prisma.staffUser.findMany({ where: { role: "admin" }, select: { email: true } });
    expect(admins).toHaveLength(1);
    const remaining = admins[0].email === "alice@example.org" ? alice : bob;
    const demoted = remaining === alice ? bob : alice;
    await changeStaffRole(t.db, remaining, { id: demoted.user.id, role: "admin" });
  }

  test("two admins demoting themselves at once: exactly one succeeds, one admin remains", async () => {
    await exactlyOneDemoted(
      await Promise.allSettled([
        changeStaffRole(t.db, alice, { id: alice.user.id, role: "staff" }),
        changeStaffRole(t.db, bob, { id: bob.user.id, role: "staff" }),
      ]),
    );
  });

  test("two admins demoting each other at once: exactly one succeeds, one admin remains", async () => {
    await exactlyOneDemoted(
      await Promise.allSettled([
        changeStaffRole(t.db, alice, { id: bob.user.id, role: "staff" }),
        changeStaffRole(t.db, bob, { id: alice.user.id, role: "staff" }),
      ]),
    );
  });

  // Two app instances on one PostgreSQL database: no queue in the process is shared, only the database's lock.
  test.skipIf(dialect !== "postgresql")("two instances' admins demoting themselves at once: exactly one succeeds", async () => {
    const other = createDb(`${t.url}?application_name=second_instance`);
    try {
      await exactlyOneDemoted(
        await Promise.allSettled([
          changeStaffRole(t.db, alice, { id: alice.user.id, role: "staff" }),
          changeStaffRole(other, bob, { id: bob.user.id, role: "staff" }),
        ]),
      );
    } finally {
      await other.close();
    }
  });

  test("each account action writes exactly one audit entry, naming the admin who did it", async () => {
    const email = "audited@example.org";
    const { id } = await createStaffAccount(t.db, alice, { email, role: "staff", setPassword: "link" });
    await changeStaffRole(t.db, alice, { id, role: "admin" });
    await changeStaffRole(t.db, alice, { id, role: "admin" }); // no change: nothing to record
    await changeStaffRole(t.db, alice, { id, role: "staff" });
    await resetStaffPassword(t.db, alice, { id });
    await disableStaffAccount(t.db, alice, { id });
    await enableStaffAccount(t.db, alice, { id });
    await resetTwoFactor(t.db, alice, { id });
    await deleteStaffAccount(t.db, alice, { id });
    const got = await entries(email);
    expect(got.map((e) => e.action)).toEqual([
      "account_created",
      "account_role_changed",
      "account_role_changed",
      "password_link_created",
      "account_disabled",
      "account_enabled",
      "two_factor_reset",
      "account_deleted",
    ]);
    for (const e of got) {
      expect(e).toMatchObject({ actorType: "staff", actorId: alice.user.id, actorName: "alice@example.org", address: "10.9.8.7", subjectType: "account" });
    }
    expect(got.map((e) => e.detail)).toEqual([
      JSON.stringify({ role: "staff", setPassword: "link" }),
      JSON.stringify({ from: "staff", to: "admin" }),
      JSON.stringify({ from: "admin", to: "staff" }),
      null,
      null,
      null,
      null,
      null,
    ]);
    expect(await t.db.prisma.staffUser.count({ where: { email } })).toBe(0);
  });

  test("a staff user's session cannot change accounts (better-auth checks it too), and nothing is recorded", async () => {
    await createStaffUser({ email: "eve@example.org", password: PASSWORD, role: "staff" });
    const eve = await caller("eve@example.org");
    await expect(createStaffAccount(t.db, eve, { email: "eves-friend@example.org", role: "admin", setPassword: "link" })).rejects.toMatchObject({
      code: "forbidden",
    });
    await expect(changeStaffRole(t.db, eve, { id: eve.user.id, role: "admin" })).rejects.toMatchObject({ code: "forbidden" });
    expect(await roleOf("eve@example.org")).toBe("staff");
    expect(await t.db.prisma.staffUser.count({ where: { email: "eves-friend@example.org" } })).toBe(0);
    expect(await t.db.prisma.auditEntry.count({ where: { actorId: eve.user.id, subjectType: "account" } })).toBe(0);
  });

  test("resetting a second factor removes it and ends the account's sessions", async () => {
    const id = await staffAccount("locked-out@example.org");
    const tab = await sessionHeaders("locked-out@example.org", PASSWORD);
    await t.db.prisma.staffTwoFactor.create({ data: { id: `tf-${id}`, userId: id, secret: "encrypted", backupCodes: "encrypted" } });
    await t.db.prisma.staffUser.update({ where: { id }, data: { twoFactorEnabled: true } });
    expect((await listStaff(t.db)).find((a) => a.id === id)?.twoFactorEnabled).toBe(true);
    await resetTwoFactor(t.db, alice, { id });
    expect(await sessionOf(tab)).toBeNull();
    expect(await t.db.prisma.staffTwoFactor.count({ where: { userId: id } })).toBe(0);
    expect((await listStaff(t.db)).find((a) => a.id === id)?.twoFactorEnabled).toBe(false);
  });

  test("the list flags accounts not used for 90 days (or, never signed in, created that long ago)", async () => {
    const now = new Date();
    const daysAgo = (n: number) => new Date(now.getTime() - n * 24 * 3600_000);
    const recent = await staffAccount("recent@example.org");
    const stale = await staffAccount("stale@example.org");
    const never = await staffAccount("never@example.org");
    await t.db.prisma.staffUser.update({ where: { id: recent }, data: { lastSignInAt: daysAgo(89), createdAt: daysAgo(400) } });
    await t.db.prisma.staffUser.update({ where: { id: stale }, data: { lastSignInAt: daysAgo(91) } });
    await t.db.prisma.staffUser.update({ where: { id: never }, data: { lastSignInAt: null, createdAt: daysAgo(91) } });
    const list = await listStaff(t.db, now);
    const unused = (id: string) => list.find((a) => a.id === id)?.unused;
    expect([unused(recent), unused(stale), unused(never)]).toEqual([false, true, true]);
  });
});
