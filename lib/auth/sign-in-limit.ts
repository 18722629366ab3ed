// A limit per email address on failed staff sign-ins, as a better-auth
// plugin: after 5 failed sign-ins for one email within 15 minutes, every
// sign-in for that email is refused (429 TOO_MANY_FAILED_SIGN_INS, with
// Retry-After) until the oldest of them is 15 minutes old, whichever
// addresses the attempts come from. better-auth's own limit (3 tries per
// 10 s per client address, lib/auth/better-auth.ts) still applies first.
//
// The count lives in the database, in better-auth's verification table
// (staff_verification: identifier, value, expiresAt), so every app instance
// on one database shares it: one row per attempt, identifier
// "sign-in-failure:<sha256 of the lower-cased email>", expiring 15 minutes
// later. An attempt takes its row before the password is checked and the
// rows are counted after, so parallel attempts cannot slip past the limit
// together; the row is kept only if the password was wrong. A successful
// sign-in clears the email's rows; a refused attempt leaves none.
//
// A wrong two-factor code (or backup code) at sign-in's second step counts
// the same as a wrong password, against the email of the account the code
// is for (lib/auth/two-factor-challenge.ts), so a stolen password does not
// buy more guesses at the code. A right password with a code still to come
// keeps the email's earlier failures: only a completed sign-in clears them.
//
// It is per email, so it cannot lock everyone out at once; it can lock one
// account's sign-in for 15 minutes (the usual trade-off, docs/security.md).
import { createHash } from "node:crypto";
import type { BetterAuthPlugin, GenericEndpointContext } from "better-auth";
import { APIError, createAuthMiddleware, isAPIError } from "better-auth/api";
import { TOO_MANY_FAILED_SIGN_INS } from "./sign-in-schema";
import { TWO_FACTOR_CODE_PATHS, challengeUser } from "./two-factor-challenge";


export const SIGN_IN_FAILURE_LIMIT = { maxFailures: 5, windowSeconds: 15 * 60 } as const;
export const SIGN_IN_FAILURE_PREFIX = "sign-in-failure:";

const SIGN_IN_PATH = "/sign-in/email";
const MODEL = "verification";

/** The verification row identifier of an email's sign-in attempts (the email itself is not stored). */
export function signInFailureKey(email: string): string {
  return SIGN_IN_FAILURE_PREFIX + createHash("sha256").update(email.toLowerCase()).digest("hex");
}

/** "Wait 15 minutes" / "Wait 1 minute": whole minutes, rounded up. */
export function waitText(seconds: number): string {
  const minutes = Math.max(1, Math.ceil(seconds / 60));
  return `Wait ${minutes} minute${minutes === 1 ? "" : "s"}`;
}

type Attempt = { id: string; key: string };
type Limit = { maxFailures: number; windowSeconds: number };
/** An HTTP sign-in's attempt row, from the before hook to the after hook (both see the same Request object). */
type Attempts = WeakMap<object, Attempt>;
/** Told of each attempt refused for its email's limit (the audit log's "limited"), before the refusal is answered. */
export type OnRefused = (ctx: GenericEndpointContext, email: string) => Promise<void>;

export function signInLimit(opts: Limit = SIGN_IN_FAILURE_LIMIT, onRefused?: OnRefused): BetterAuthPlugin {
  const attempts: Attempts = new WeakMap();
  const isSignIn = (ctx: { path?: string }) => ctx.path === SIGN_IN_PATH || TWO_FACTOR_CODE_PATHS.has(ctx.path ?? "");

  return {
    id: "sign-in-limit",
    hooks: {
      before: [{ matcher: isSignIn, handler: countAttempt(attempts, opts, onRefused) }],
      after: [{ matcher: isSignIn, handler: settleAttempt(attempts) }],
    },
  };
}

/** The email a sign-in attempt is for: as typed with the password, or the account a second-step code is for. */
async function attemptEmail(ctx: GenericEndpointContext): Promise<unknown> {
  if (ctx.path === SIGN_IN_PATH) return ctx.body?.email;
  return (await challengeUser(ctx))?.email;
}

/** Before the password or code is checked: takes the attempt's row, and refuses the sign-in when the email is over its limit. */
function countAttempt(attempts: Attempts, opts: Limit, onRefused?: OnRefused) {
  return createAuthMiddleware(async (ctx) => {
    const request = ctx.request;
    // Server-side calls (none signs in here) are not counted.
    if (!request) return;
    const email = await attemptEmail(ctx);
    // Bodies better-auth refuses anyway, and codes of no pending sign-in, are not counted.
    if (typeof email !== "string") return;
    const { adapter } = ctx.context;
    const key = signInFailureKey(email);
    const now = Date.now();
    // Expired rows of any email go as they are passed.
    await adapter.deleteMany({
      model: MODEL,
      where: [
        { field: "identifier", operator: "starts_with", value: SIGN_IN_FAILURE_PREFIX },
        { field: "expiresAt", operator: "lt", value: new Date(now) },
      ],
    });
    const mine = await adapter.create<Record<string, unknown>, { id: string }>({
      model: MODEL,
      data: {
        identifier: key,
        value: "attempt",
        expiresAt: new Date(now + opts.windowSeconds * 1000),
        createdAt: new Date(now),
        updatedAt: new Date(now),
      },
    });
    const rows = await adapter.findMany<{ id: string; expiresAt: Date | string }>({
      model: MODEL,
      where: [
        { field: "identifier", value: key },
        { field: "expiresAt", operator: "gt", value: new Date(now) },
      ],
    });
    if (rows.length <= opts.maxFailures) {
      attempts.set(request, { id: mine.id, key });
      return;
    }
    await adapter.delete({ model: MODEL, where: [{ field: "id", value: mine.id }] });
    await onRefused?.(ctx, email);
    throw tooManyFailures(rows.filter((r) => r.id !== mine.id), now, opts.maxFailures);
  });
}

/** The refusal of an email over its limit, with how long to wait. */
function tooManyFailures(others: { expiresAt: Date | string }[], now: number, maxFailures: number): APIError {
  // Allowed again once all but maxFailures - 1 of the others have expired.
  const expiries = others.map((r) => new Date(r.expiresAt).getTime()).sort((a, b) => a - b);
  const freeAt = expiries[expiries.length - maxFailures] ?? now;
  const retryAfter = Math.max(1, Math.ceil((freeAt - now) / 1000));
  return new APIError(
    "TOO_MANY_REQUESTS",
    {
      code: TOO_MANY_FAILED_SIGN_INS,
      message: `Too many failed sign-ins for this account. ${waitText(retryAfter)}, then try again, or ask an admin to check the account.`,
      retryAfter,
    },
    { "Retry-After": String(retryAfter) },
  );
}

/** After the sign-in's answer: a wrong password or code keeps its row, anything else removes it. */
function settleAttempt(attempts: Attempts) {
  return createAuthMiddleware(async (ctx) => {
    const attempt = ctx.request ? attempts.get(ctx.request) : undefined;
    if (!attempt || !ctx.request) return;
    attempts.delete(ctx.request);
    const returned = ctx.context.returned;
    const { adapter } = ctx.context;
    try {
      if (isAPIError(returned)) {
        // A wrong email, password or code: the attempt stays counted.
        if (returned.statusCode === 401) return;
        await adapter.delete({ model: MODEL, where: [{ field: "id", value: attempt.id }] });
      } else if (awaitsCode(returned)) {
        // The password was right, but nobody is signed in until the code is.
        await adapter.delete({ model: MODEL, where: [{ field: "id", value: attempt.id }] });
      } else {
        // Signed in: earlier failures no longer count.
        await adapter.deleteMany({ model: MODEL, where: [{ field: "identifier", value: attempt.key }] });
      }
    } catch (e) {
      // The sign-in's own answer stands; a leftover row only expires later.
      ctx.context.logger.error("sign-in limit: could not update the attempt", e);
    }
  });
}

/** better-auth's answer to a right password when a two-factor code must follow. */
export function awaitsCode(returned: unknown): boolean {
  return typeof returned === "object" && returned !== null && (returned as { twoFactorRedirect?: unknown }).twoFactorRedirect === true;
}
