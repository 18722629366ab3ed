// Whose sign-in a two-factor code is for. After a right password, better-auth's
// two-factor plugin signs nobody in: it sets a signed "two_factor" cookie
// naming a verification row whose value is the user's id, and the code is
// then sent to /two-factor/verify-totp or /two-factor/verify-backup-code.
// The same endpoints also check a code for a signed-in user (confirming the
// setup); only the first kind is a sign-in.
import type { GenericEndpointContext } from "better-auth";

export const TWO_FACTOR_CODE_PATHS = new Set(["/two-factor/verify-totp", "/two-factor/verify-backup-code"]);
const TWO_FACTOR_COOKIE = "two_factor";

export type ChallengeUser = { id: string; email: string };

/** The user a code request completes the sign-in of, or null (a signed-in user's check, or no valid challenge). */
export async function challengeUser(ctx: GenericEndpointContext): Promise<ChallengeUser | null> {
  if (await signedInUser(ctx)) return null;
  const cookie = ctx.context.createAuthCookie(TWO_FACTOR_COOKIE);
  const identifier = await ctx.getSignedCookie(cookie.name, ctx.context.secret);
  if (!identifier) return null;
  const challenge = await ctx.context.internalAdapter.findVerificationValue(identifier);
  if (!challenge || challenge.expiresAt < new Date()) return null;
  const user = await ctx.context.internalAdapter.findUserById(challenge.value);
  return user ? { id: user.id, email: user.email } : null;
}

/**
 * The request's session and its user, read from the session cookie as
 * better-auth signed it, without renewing it or touching the cookie (a hook
 * must not change what the endpoint then sees).
 */
export async function signedInUser(ctx: GenericEndpointContext) {
  const token = await ctx.getSignedCookie(ctx.context.authCookies.sessionToken.name, ctx.context.secret);
  if (!token) return null;
  const found = await ctx.context.internalAdapter.findSession(token);
  if (!found || found.session.expiresAt < new Date()) return null;
  return { id: found.user.id, email: found.user.email, twoFactorEnabled: found.user.twoFactorEnabled === true, sessionId: found.session.id };
}
