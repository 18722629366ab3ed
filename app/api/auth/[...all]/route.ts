// better-auth's own endpoints (sign-in, sign-out, session, password reset). The
// catch-all app/api/[...path] answers every other /api path; this more
// specific route wins for /api/auth/*. Each request is served by the instance
// whose cookies match its protocol (Secure on HTTPS).
import { auditAddressLimited } from "@/lib/auth/auth-audit";
import { authFor } from "@/lib/auth/better-auth";
import { db } from "@/lib/db/client";

export const dynamic = "force-dynamic";

// better-auth's admin endpoints are not served over HTTP: accounts change only
// through /staff (lib/staff), which keeps the last active admin and audits
// each change; the app calls those endpoints in-process (auth.api).
const ADMIN_PATH = "/api/auth/admin/";

/** The path as a router might read it: decoded, slashes collapsed, any case (malformed: treated as admin). */
function isAdminPath(pathname: string): boolean {
  try {
    return `${decodeURIComponent(pathname).replace(/\/+/g, "/").toLowerCase()}/`.startsWith(ADMIN_PATH);
  } catch {
    return true;
  }
}

async function handler(req: Request): Promise<Response> {
  if (isAdminPath(new URL(req.url).pathname)) {
    return Response.json({ code: "not_found", message: "Not found" }, { status: 404 });
  }
  const copy = req.method === "POST" ? req.clone() : req;
  const res = await authFor(req.headers).handler(req);
  await auditAddressLimited(db(), copy, res);
  return res;
}

export { handler as GET, handler as POST };
