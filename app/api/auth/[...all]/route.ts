// better-auth's own endpoints (sign-in, sign-out, session, admin). The
// catch-all app/api/[...path] answers every other /api path; this more
// specific route wins for /api/auth/*. Each request is served by the instance
// whose cookies match its protocol (Secure on HTTPS).
import { authFor } from "@/lib/auth/better-auth";

export const dynamic = "force-dynamic";

async function handler(req: Request): Promise<Response> {
  return authFor(req.headers).handler(req);
}

export { handler as GET, handler as POST };
