// Where to go after signing in: only a path on this site (no open redirect).
// Shared by proxy.ts (no server-only imports here), the login page and
// requireStaffUser.

export const AFTER_SIGN_IN = "/imports";

/** The request header by which proxy.ts tells server code the path asked for. */
export const REQUEST_PATH_HEADER = "x-staff-request-path";

const BASE = "http://same-origin.invalid";

/** `raw` if it is a same-origin relative path (not /login, not /api), else /imports. */
export function safeNextPath(raw: unknown): string {
  if (typeof raw !== "string" || raw.length === 0 || raw.length > 2000) return AFTER_SIGN_IN;
  // "//host" and "/\host" are other sites to a browser, and browsers drop
  // tabs and newlines from URLs ("/\t/host" is "//host").
  if (!raw.startsWith("/") || raw.startsWith("//") || raw.includes("\\")) return AFTER_SIGN_IN;
  if (/[\u0000-\u001f\u007f]/.test(raw)) return AFTER_SIGN_IN;
  let url: URL;
  try {
    url = new URL(raw, BASE);
  } catch {
    return AFTER_SIGN_IN;
  }
  if (url.origin !== BASE) return AFTER_SIGN_IN;
  const { pathname } = url;
  // Dot segments can turn "/.//host" into "//host" once resolved.
  if (pathname.startsWith("//")) return AFTER_SIGN_IN;
  if (pathname === "/" || pathname === "/login" || pathname.startsWith("/login/")) return AFTER_SIGN_IN;
  if (pathname === "/api" || pathname.startsWith("/api/")) return AFTER_SIGN_IN;
  return pathname + url.search + url.hash;
}

/** The login page's address for someone who asked for `path`. */
export function loginPath(path: string): string {
  return `/login?next=${encodeURIComponent(safeNextPath(path))}`;
}
