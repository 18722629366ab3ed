// The signed-in staff user, for server components, server actions and the
// admin app's route handlers. proxy.ts only looks for the session cookie (a
// fast redirect); this checks the session against the database every time,
// so a revoked session or removed user is signed out at once.
import "server-only";
import { headers } from "next/headers";
import { forbidden, redirect } from "next/navigation";
import { cache } from "react";
import { authFor } from "./better-auth";
import { AFTER_SIGN_IN, REQUEST_PATH_HEADER, loginPath } from "./safe-next";

export type StaffUser = { id: string; email: string; name: string; role: "admin" | "staff" };

// Once per request however many layouts, pages and helpers ask.
const currentStaffUser = cache(async (): Promise<StaffUser | null> => {
  const h = await headers();
  const session = await authFor(h).api.getSession({ headers: h });
  if (!session) return null;
  const { user } = session;
  return { id: user.id, email: user.email, name: user.name, role: user.role === "admin" ? "admin" : "staff" };
});

/** The signed-in staff user, or null. */
export async function getStaffUser(): Promise<StaffUser | null> {
  return currentStaffUser();
}

/**
 * The signed-in staff user. Signed out: redirects to /login?next=<this page>.
 * With `{ role: "admin" }`, a staff user gets the 403 page instead
 * (forbidden(): app/(admin)/forbidden.tsx, same address, status 403).
 */
export async function requireStaffUser(opts?: { role?: "admin" }): Promise<StaffUser> {
  const user = await currentStaffUser();
  if (!user) {
    const path = (await headers()).get(REQUEST_PATH_HEADER) ?? AFTER_SIGN_IN;
    redirect(loginPath(path));
  }
  if (opts?.role === "admin" && user.role !== "admin") forbidden();
  return user;
}
