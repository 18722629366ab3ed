// Next.js 16 proxy (formerly middleware), for every page request:
// - the Content-Security-Policy, with a fresh nonce that Next.js puts on its
//   own scripts (docs/security.md: why a nonce);
// - a fast, cookie-only check: a page request without a session cookie goes
//   to /login?next=<path>; the session itself is checked against the database
//   by requireStaffUser (lib/auth/staff-session.ts) in the admin layout and
//   each page.
// /api/* is not touched: the REST API has its bearer tokens, /api/auth/* is
// better-auth's own, /api/health is public (their headers: next.config.js).
import { getSessionCookie } from "better-auth/cookies";
import { NextResponse, type NextRequest } from "next/server";
import { REQUEST_PATH_HEADER, loginPath } from "./lib/auth/safe-next";

function isPublic(pathname: string): boolean {
  return (
    pathname === "/login" ||
    pathname.startsWith("/login/") ||
    // a one-time set-password link's page (its token is the key)
    pathname === "/set-password" ||
    pathname === "/api" ||
    pathname.startsWith("/api/") ||
    pathname.startsWith("/_next/") ||
    pathname === "/favicon.ico" ||
    pathname === "/icon.svg"
  );
}

/**
 * The pages' policy. Scripts: only those carrying this response's nonce
 * (Next.js adds it to its own inline and bundle scripts) and what they load
 * ('strict-dynamic': the page's chunks). Styles may be inline (Next.js's
 * built-in pages use style attributes; CSS cannot run code). Nothing may be
 * framed, nor frame us; fetches, the upload wizard's Web Worker, forms and
 * images stay on this origin.
 */
function contentSecurityPolicy(nonce: string): string {
  const dev = process.env.NODE_ENV === "development";
  return [
    "default-src 'self'",
    // React's development build evaluates code for its error overlays.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "worker-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-src 'none'",
    "frame-ancestors 'none'",
  ].join("; ");
}

export function proxy(request: NextRequest) {
  const { pathname, searchParams } = request.nextUrl;
  const nonce = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));
  const csp = contentSecurityPolicy(nonce);
  const withCsp = (res: NextResponse) => (res.headers.set("Content-Security-Policy", csp), res);

  // Next.js reads the nonce from the request's policy.
  const headers = new Headers(request.headers);
  headers.set("Content-Security-Policy", csp);
  headers.delete(REQUEST_PATH_HEADER);
  if (isPublic(pathname)) return withCsp(NextResponse.next({ request: { headers } }));

  const search = new URLSearchParams(searchParams);
  search.delete("_rsc");
  const path = pathname + (search.size ? `?${search}` : "");

  // Only navigations are redirected; a server action or other POST without a
  // session gets its own "sign in again" answer from the server check.
  if (!getSessionCookie(request.headers) && (request.method === "GET" || request.method === "HEAD")) {
    return withCsp(NextResponse.redirect(new URL(loginPath(path), request.url)));
  }
  // Tell the server check which page was asked for (never trust a client's value).
  headers.set(REQUEST_PATH_HEADER, path);
  return withCsp(NextResponse.next({ request: { headers } }));
}

export const config = {
  matcher: ["/((?!api/|api$|_next/static|_next/image|favicon.ico|icon.svg).*)"],
};
