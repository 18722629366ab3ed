// Next.js 16 proxy (formerly middleware): a fast, cookie-only check. A page
// request without a session cookie goes to /login?next=<path>; the session
// itself is checked against the database by requireStaffUser
// (lib/auth/staff-session.ts) in the admin layout and each page.
// /api/* is not touched: the REST API has its bearer tokens, /api/auth/* is
// better-auth's own, /api/health is public.
import { getSessionCookie } from "better-auth/cookies";
import { NextResponse, type NextRequest } from "next/server";
import { REQUEST_PATH_HEADER, loginPath } from "./lib/auth/safe-next";

function isPublic(pathname: string): boolean {
  return (
    pathname === "/login" ||
    pathname.startsWith("/login/") ||
    pathname === "/api" ||
    pathname.startsWith("/api/") ||
    pathname.startsWith("/_next/") ||
    pathname === "/favicon.ico"
  );
}

export function proxy(request: NextRequest) {
  const { pathname, searchParams } = request.nextUrl;
  if (isPublic(pathname)) return NextResponse.next();

  const search = new URLSearchParams(searchParams);
  search.delete("_rsc");
  const path = pathname + (search.size ? `?${search}` : "");

  // Only navigations are redirected; a server action or other POST without a
  // session gets its own "sign in again" answer from the server check.
  if (!getSessionCookie(request.headers) && (request.method === "GET" || request.method === "HEAD")) {
    return NextResponse.redirect(new URL(loginPath(path), request.url));
  }
  // Tell the server check which page was asked for (never trust a client's value).
  const headers = new Headers(request.headers);
  headers.set(REQUEST_PATH_HEADER, path);
  return NextResponse.next({ request: { headers } });
}

export const config = {
  matcher: ["/((?!api/|api$|_next/static|_next/image|favicon.ico).*)"],
};
