// The per-email sign-in limit (lib/auth/sign-in-limit.ts) inside a real
// better-auth, on its in-memory database adapter, through its HTTP handler.
import { betterAuth } from "better-auth";
import { memoryAdapter } from "better-auth/adapters/memory";
import { afterEach, describe, expect, test, vi } from "vitest";
import { SIGN_IN_FAILURE_PREFIX, signInFailureKey, signInLimit, waitText } from "@/lib/auth/sign-in-limit";
import { TOO_MANY_FAILED_SIGN_INS } from "@/lib/auth/sign-in-schema";

const BASE = "http://localhost:3000";
const PASSWORD = "the right password";

async function makeAuth(limit = { maxFailures: 3, windowSeconds: 60 }) {
  const tables: Record<string, Record<string, unknown>[]> = { user: [], session: [], account: [], verification: [] };
  const auth = betterAuth({
    baseURL: BASE,
    secret: "a unit test secret that is long enough to use",
    database: memoryAdapter(tables),
    emailAndPassword: { enabled: true },
    // the per-address limit is better-auth's; here only ours is under test
    rateLimit: { enabled: false },
    logger: { disabled: true },
    telemetry: { enabled: false },
    plugins: [signInLimit(limit)],
  });
  for (const email of ["ann@example.org", "bob@example.org"]) {
    await auth.api.signUpEmail({ body: { email, password: PASSWORD, name: email } });
  }
  const signIn = async (email: string, password: string) => {
    const res = await auth.handler(
      new Request(`${BASE}/api/auth/sign-in/email`, {
        method: "POST",
        headers: { "content-type": "application/json", origin: BASE },
        body: JSON.stringify({ email, password }),
      }),
    );
    const body = (await res.json().catch(() => null)) as { code?: string; message?: string } | null;
    return { status: res.status, code: body?.code, message: body?.message, retryAfter: res.headers.get("retry-after") };
  };
  const failureRows = () => tables.verification.filter((r) => String(r.identifier).startsWith(SIGN_IN_FAILURE_PREFIX));
  return { signIn, failureRows };
}

afterEach(() => {
  vi.useRealTimers();
});

describe("per-email sign-in limit", () => {
  test("after maxFailures wrong passwords the email is refused, even with the right password", async () => {
    const { signIn } = await makeAuth();
    for (let i = 0; i < 3; i++) expect((await signIn("ann@example.org", `wrong ${i}`)).status).toBe(401);
    const refused = await signIn("ann@example.org", PASSWORD);
    expect(refused.status).toBe(429);
    expect(refused.code).toBe(TOO_MANY_FAILED_SIGN_INS);
    expect(refused.message).toMatch(/Too many failed sign-ins for this account\. Wait 1 minute/);
    expect(Number(refused.retryAfter)).toBeGreaterThan(0);
    expect(Number(refused.retryAfter)).toBeLessThanOrEqual(60);
  });

  test("the limit is per email (other accounts are not locked), and letter case does not make a new email", async () => {
    const { signIn } = await makeAuth();
    for (let i = 0; i < 3; i++) await signIn(i % 2 ? "ANN@example.org" : "ann@example.org", "wrong");
    expect((await signIn("Ann@Example.org", PASSWORD)).status).toBe(429);
    expect((await signIn("bob@example.org", PASSWORD)).status).toBe(200);
  });

  test("unknown emails are counted the same (429 says nothing about which accounts exist)", async () => {
    const { signIn } = await makeAuth();
    for (let i = 0; i < 3; i++) expect((await signIn("nobody@example.org", "wrong")).status).toBe(401);
    expect((await signIn("nobody@example.org", "wrong")).code).toBe(TOO_MANY_FAILED_SIGN_INS);
  });

  test("a successful sign-in does not count and clears the failures before it", async () => {
    const { signIn, failureRows } = await makeAuth();
    for (let round = 0; round < 3; round++) {
      expect((await signIn("ann@example.org", "wrong")).status).toBe(401);
      expect((await signIn("ann@example.org", "wrong")).status).toBe(401);
      expect((await signIn("ann@example.org", PASSWORD)).status).toBe(200);
      expect(failureRows()).toHaveLength(0);
    }
  });

  test("refused attempts do not extend the lock; it lifts when the oldest failure leaves the window", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const t0 = new Date("2026-12-01T10:00:00Z").getTime();
    vi.setSystemTime(t0);
    const { signIn, failureRows } = await makeAuth();
    await signIn("ann@example.org", "wrong"); // t0
    vi.setSystemTime(t0 + 20_000);
    await signIn("ann@example.org", "wrong");
    await signIn("ann@example.org", "wrong");
    vi.setSystemTime(t0 + 30_000);
    for (let i = 0; i < 5; i++) expect((await signIn("ann@example.org", PASSWORD)).status).toBe(429);
    expect(failureRows()).toHaveLength(3);
    vi.setSystemTime(t0 + 59_000);
    const stillLocked = await signIn("ann@example.org", PASSWORD);
    expect(stillLocked.status).toBe(429);
    expect(stillLocked.retryAfter).toBe("1");
    vi.setSystemTime(t0 + 60_001); // the first failure has expired
    expect((await signIn("ann@example.org", PASSWORD)).status).toBe(200);
  });

  test("parallel guesses cannot slip past the limit together: at most maxFailures passwords are checked", async () => {
    const { signIn } = await makeAuth();
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => signIn("ann@example.org", `wrong ${i}`)));
    // (refusing them all is allowed: attempts in flight count)
    expect(results.filter((r) => r.status === 401).length).toBeLessThanOrEqual(3);
    expect(results.filter((r) => r.status === 429).length).toBeGreaterThanOrEqual(9);
  });

  test("requests better-auth refuses before checking a password are not counted", async () => {
    const { signIn, failureRows } = await makeAuth();
    for (let i = 0; i < 5; i++) expect((await signIn("not an email", "x")).status).toBe(400);
    expect(failureRows()).toHaveLength(0);
  });

  test("the email is stored only as a hash", () => {
    expect(signInFailureKey("Ann@Example.org")).toBe(signInFailureKey("ann@example.org"));
    expect(signInFailureKey("ann@example.org")).toMatch(/^sign-in-failure:[0-9a-f]{64}$/);
    expect(waitText(900)).toBe("Wait 15 minutes");
    expect(waitText(61)).toBe("Wait 2 minutes");
    expect(waitText(1)).toBe("Wait 1 minute");
  });
});
