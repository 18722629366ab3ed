// The audit log's sign-in, session, password and two-factor entries, as a
// better-auth plugin: its hooks see every call of these endpoints, from the
// login form's fetch, a server action's auth.api call or a hand-made request
// alike, so each outcome is recorded in this one place (decision 030).
// It also sets StaffUser.lastSignInAt at each sign-in, and clears
// mustChangePassword once the user has chosen a new password.
//
// What a call changes is judged by better-auth's answer (ctx.context.returned:
// an APIError or the endpoint's result); who made it, and what it is about to
// end, is read before the endpoint runs (a signed-out session can no longer
// be read after).
import "server-only";
import type { BetterAuthPlugin, GenericEndpointContext } from "better-auth";
import { createAuthMiddleware, isAPIError } from "better-auth/api";
import type { AuditEvent } from "../audit/audit-entry";
import { recordAudit } from "../audit/record-audit";
import type { Db } from "../db/client";
import { requestAddress } from "../http/request-address";
import { awaitsCode, type OnRefused } from "./sign-in-limit";
import { TWO_FACTOR_CODE_PATHS, challengeUser, signedInUser, type ChallengeUser } from "./two-factor-challenge";

const SIGN_IN = "/sign-in/email";
const VERIFY_TOTP = "/two-factor/verify-totp";
const VERIFY_BACKUP_CODE = "/two-factor/verify-backup-code";
const SESSION_PATHS = new Set(["/sign-out", "/revoke-session", "/revoke-other-sessions", "/revoke-sessions", "/change-password", "/two-factor/disable"]);

/** Why a sign-in failed, from better-auth's error code (anything else is "other", with its code). */
export const SIGN_IN_FAILURE_REASONS: Record<string, string> = {
  INVALID_EMAIL_OR_PASSWORD: "wrong_password",
  INVALID_CODE: "wrong_code",
  INVALID_BACKUP_CODE: "wrong_code",
  TOO_MANY_FAILED_SIGN_INS: "limited",
  TOO_MANY_ATTEMPTS_REQUEST_NEW_CODE: "limited",
  ACCOUNT_TEMPORARILY_LOCKED: "limited",
  BANNED_USER: "disabled",
};

type SignedIn = NonNullable<Awaited<ReturnType<typeof signedInUser>>>;
/** What the before hook learnt, for the after hook of the same call (both see the same ctx.context). */
type Before = { user: SignedIn | null; challenge?: ChallengeUser | null; endedSession?: string | null; otherSessions?: number };

type Ctx = GenericEndpointContext;

export function authAudit(d: Db): BetterAuthPlugin {
  const before = new WeakMap<object, Before>();
  const watched = (ctx: { path?: string }) => SESSION_PATHS.has(ctx.path ?? "") || TWO_FACTOR_CODE_PATHS.has(ctx.path ?? "");
  const isSignIn = (ctx: { path?: string }) => ctx.path === SIGN_IN;

  return {
    id: "auth-audit",
    hooks: {
      before: [
        {
          matcher: watched,
          handler: createAuthMiddleware(async (ctx) => {
            before.set(ctx.context, await readBefore(ctx));
          }),
        },
      ],
      after: [
        { matcher: isSignIn, handler: createAuthMiddleware(async (ctx) => afterSignIn(d, ctx)) },
        {
          matcher: watched,
          handler: createAuthMiddleware(async (ctx) => {
            const seen = before.get(ctx.context);
            before.delete(ctx.context);
            if (seen) await afterCall(d, ctx, seen);
          }),
        },
      ],
    },
  };
}

/** The audit log's "limited" for the limit per email (lib/auth/sign-in-limit.ts), which refuses before any endpoint runs. */
export function auditRefusedSignIn(d: Db): OnRefused {
  return async (ctx, email) => signInFailed(d, ctx, email, "TOO_MANY_FAILED_SIGN_INS");
}

/**
 * better-auth's own limit per client address answers 429 before any
 * endpoint or hook runs, so the auth route records that refusal itself
 * ("limited", by address). `req` is a copy of the request (its body unread).
 */
export async function auditAddressLimited(d: Db, req: Request, res: Response): Promise<void> {
  if (res.status !== 429 || req.method !== "POST" || !new URL(req.url).pathname.endsWith(SIGN_IN)) return;
  const answer: unknown = await res.clone().json().catch(() => null);
  // our limit per email answers with its code, and is recorded where it refuses
  if (answer && typeof answer === "object" && "code" in answer) return;
  const sent: unknown = await req.json().catch(() => null);
  const typed = sent && typeof sent === "object" && "email" in sent && typeof sent.email === "string" ? sent.email : "";
  const email = auditedEmail(typed) || "(no email)";
  const user = await d.prisma.staffUser.findUnique({ where: { email }, select: { id: true } });
  await recordAudit(d, {
    actor: { type: "staff", id: user?.id ?? null, name: email },
    address: requestAddress(req.headers),
    action: "sign_in_failed",
    detail: { reason: "limited", by: "address" },
  });
}

async function readBefore(ctx: Ctx): Promise<Before> {
  const user = await signedInUser(ctx);
  if (TWO_FACTOR_CODE_PATHS.has(ctx.path)) return { user, challenge: user ? null : await challengeUser(ctx) };
  if (!user) return { user };
  if (ctx.path === "/revoke-session") {
    const token: unknown = ctx.body?.token;
    const target = typeof token === "string" ? await ctx.context.internalAdapter.findSession(token) : null;
    return { user, endedSession: target?.session.userId === user.id ? target.session.id : null };
  }
  if (ctx.path === "/revoke-other-sessions" || ctx.path === "/revoke-sessions") {
    const sessions = await ctx.context.internalAdapter.listSessions(user.id);
    const ended = ctx.path === "/revoke-sessions" ? sessions : sessions.filter((s) => s.id !== user.sessionId);
    return { user, otherSessions: ended.length };
  }
  return { user };
}

/** An email as typed at sign-in, as the entry names it (and its account is looked up by). */
const auditedEmail = (typed: string) => typed.trim().toLowerCase().slice(0, 320);

/** better-auth's answer, as the after hooks see it (an APIError or the result). */
const returnedOf = (ctx: Ctx): unknown => (ctx.context as { returned?: unknown }).returned;
const failed = (ctx: Ctx) => {
  const returned = returnedOf(ctx);
  return isAPIError(returned) ? returned : null;
};
const errorCode = (e: { body?: unknown }) => String((e.body as { code?: unknown } | undefined)?.code ?? "UNKNOWN");
const entry = (ctx: Ctx, user: { id: string | null; email: string }, event: Omit<AuditEvent, "actor" | "address">): AuditEvent => ({
  actor: { type: "staff", id: user.id, name: user.email },
  address: ctx.headers ? requestAddress(ctx.headers) : null,
  ...event,
});

async function afterSignIn(d: Db, ctx: Ctx): Promise<void> {
  const error = failed(ctx);
  if (error) {
    const email: unknown = ctx.body?.email;
    if (typeof email === "string") await signInFailed(d, ctx, email, errorCode(error));
    return;
  }
  // A right password with a code still to come: the code's answer is the sign-in.
  if (awaitsCode(returnedOf(ctx))) return;
  const user = ctx.context.newSession?.user;
  if (user) await signedIn(d, ctx, user, "password");
}

async function afterCall(d: Db, ctx: Ctx, seen: Before): Promise<void> {
  const error = failed(ctx);
  if (seen.challenge) {
    if (error) await recordAudit(d, entry(ctx, seen.challenge, signInFailure(errorCode(error))));
    else await signedIn(d, ctx, seen.challenge, ctx.path === VERIFY_BACKUP_CODE ? "backup_code" : "totp");
    return;
  }
  const user = seen.user;
  if (error || !user) return;
  switch (ctx.path) {
    case VERIFY_TOTP:
      // A signed-in user's first right code confirms the setup.
      if (!user.twoFactorEnabled) await recordAudit(d, entry(ctx, user, { action: "two_factor_enabled", subjectType: "account", subject: user.email }));
      return;
    case "/two-factor/disable":
      return recordAudit(d, entry(ctx, user, { action: "two_factor_disabled", subjectType: "account", subject: user.email }));
    case "/change-password":
      await d.prisma.$transaction(async (tx) => {
        await tx.staffUser.update({ where: { id: user.id }, data: { mustChangePassword: false } });
        await recordAudit(tx, entry(ctx, user, { action: "password_changed", subjectType: "account", subject: user.email, detail: { otherSessionsEnded: ctx.body?.revokeOtherSessions === true } }));
      });
      return;
    case "/sign-out":
      return recordAudit(d, entry(ctx, user, { action: "sign_out", subjectType: "session", subject: user.sessionId }));
    case "/revoke-session":
      if (seen.endedSession) await recordAudit(d, entry(ctx, user, { action: "session_ended", subjectType: "session", subject: seen.endedSession }));
      return;
    case "/revoke-other-sessions":
    case "/revoke-sessions":
      if (seen.otherSessions) {
        const which = ctx.path === "/revoke-sessions" ? "all" : "all others";
        await recordAudit(d, entry(ctx, user, { action: "session_ended", subjectType: "session", subject: which, detail: { sessions: seen.otherSessions } }));
      }
      return;
  }
}

function signInFailure(code: string): Omit<AuditEvent, "actor" | "address"> {
  const reason = SIGN_IN_FAILURE_REASONS[code] ?? "other";
  return { action: "sign_in_failed", detail: reason === "other" ? { reason, code } : { reason } };
}

async function signInFailed(d: Db, ctx: Ctx, typed: string, code: string): Promise<void> {
  const email = auditedEmail(typed);
  const user = await ctx.context.internalAdapter.findUserByEmail(email);
  await recordAudit(d, entry(ctx, { id: user?.user.id ?? null, email }, signInFailure(code)));
}

/** A completed sign-in: its entry (with how the last step was passed), and the account's last sign-in. */
async function signedIn(d: Db, ctx: Ctx, user: { id: string; email: string }, method: "password" | "totp" | "backup_code"): Promise<void> {
  await d.prisma.$transaction(async (tx) => {
    await tx.staffUser.update({ where: { id: user.id }, data: { lastSignInAt: new Date() } });
    await recordAudit(tx, entry(ctx, user, { action: "sign_in", detail: { method } }));
    if (method === "backup_code") await recordAudit(tx, entry(ctx, user, { action: "two_factor_backup_code_used", subjectType: "account", subject: user.email }));
  });
}
