// Whether staff session cookies are `Secure` (and named `__Secure-…`). No
// server-only imports: the unit tests call it directly. docs/security.md.

export type CookieSecurityInput = {
  /** NODE_ENV is production (`npm start`, `next start`). */
  production: boolean;
  /** BETTER_AUTH_URL, if set. */
  betterAuthUrl?: string;
  /** The request's X-Forwarded-Proto (set by the front server, or by Next.js from the connection). */
  forwardedProto?: string | null;
};

/**
 * - BETTER_AUTH_URL set: Secure unless it starts with `http://`, which is the
 *   explicit opt-in for plain HTTP on a trusted network.
 * - Otherwise, in production: always Secure. A TLS proxy that nobody listed
 *   in TRUSTED_PROXIES makes every request look like plain HTTP, and a
 *   session cookie must never travel without Secure because of that.
 *   Browsers keep Secure cookies from http://localhost and http://127.0.0.1
 *   (secure contexts), so local use keeps working; on any other plain-HTTP
 *   address the login page says that sign-in needs HTTPS.
 * - Otherwise (`next dev`): Secure when the request came over HTTPS.
 */
export function sessionCookiesSecure({ production, betterAuthUrl, forwardedProto }: CookieSecurityInput): boolean {
  if (betterAuthUrl) return !/^http:/i.test(betterAuthUrl);
  if (production) return true;
  return forwardedProto?.split(",")[0]?.trim().toLowerCase() === "https";
}

