// The signed-in staff user, for server components, server actions and the
// admin app's route handlers. proxy.ts only looks for the session cookie (a
// fast redirect); this checks the session against the database every time,
// so a revoked session, a disabled account or a removed user is signed out
// at once.
import "server-only";
import { cookies, headers } from "next/headers";
import { forbidden, redirect } from "next/navigation";
import { cache } from "react";
import { db } from "../db/client";
import { getSetting } from "../settings/app-settings";
import { authFor } from "./better-auth";
import { AFTER_SIGN_IN, REQUEST_PATH_HEADER, loginPath } from "./safe-next";

/**
 * What a user must do before any page but /account: choose their own
 * password (an account an admin created with an initial one), or set up
 * two-factor sign-in (when an admin requires it of every account).
 */
export type PendingStep = "change-password" | "set-up-two-factor";

export type StaffUser = {
  id: string;
  email: string;
  name: string;
  role: "admin" | "staff";
  twoFactorEnabled: boolean;
  pending: PendingStep | null;
};

/** Where a user with a pending step is sent, and the only pages they reach. */
export const PENDING_STEP_PATH = "/account";

const PENDING_MESSAGE: Record<PendingStep, string> = {
  "change-password": "Choose your own password first (on Your account)",
  "set-up-two-factor": "Set up two-factor sign-in first (on Your account)",
};

/**
 * The request's headers, with its cookies as they are now. A server action
 * that replaces the session (a password change, two-factor turned on or off:
 * better-auth makes a new session and deletes the old) sets the new cookie,
 * and Next.js renders the page again in the same request: cookies() has the
 * new one, headers() still the old, deleted one.
 */
export async function currentRequestHeaders(): Promise<Headers> {
  const h = new Headers(await headers());
  // name=value pairs only (the cookies set in this request carry their attributes too)
  const jar = (await cookies()).getAll().filter((c) => c.value !== "");
  h.set("cookie", jar.map((c) => `${c.name}=${encodeURIComponent(c.value)}`).join("; "));
  return h;
}

// Once per request however many layouts, pages and helpers ask.
const currentStaffUser = cache(async (): Promise<StaffUser | null> => {
  const h = await currentRequestHeaders();
  const session = await authFor(h).api.getSession({ headers: h });
  if (!session) return null;
  const { user } = session;
  const twoFactorEnabled = user.twoFactorEnabled === true;
  let pending: PendingStep | null = null;
  if (user.mustChangePassword === true) pending = "change-password";
  else if (!twoFactorEnabled && (await getSetting(db(), "requireTwoFactor"))) pending = "set-up-two-factor";
  return { id: user.id, email: user.email, name: user.name, role: user.role === "admin" ? "admin" : "staff", twoFactorEnabled, pending };
});

/** The signed-in staff user, or null (whether or not a step is pending). */
export async function getStaffUser(): Promise<StaffUser | null> {
  return currentStaffUser();
}

type Require = { role?: "admin"; allowPending?: boolean };

/**
 * The signed-in staff user. Signed out: redirects to /login?next=<this page>.
 * With a pending step: redirects to /account, unless the page allows it
 * (`allowPending`: /account itself). With `{ role: "admin" }`, a staff user
 * gets the 403 page instead (forbidden(): app/(admin)/forbidden.tsx, same
 * address, status 403).
 */
export async function requireStaffUser(opts?: Require): Promise<StaffUser> {
  const user = await currentStaffUser();
  if (!user) {
    const path = (await headers()).get(REQUEST_PATH_HEADER) ?? AFTER_SIGN_IN;
    redirect(loginPath(path));
  }
  if (user.pending && !opts?.allowPending) redirect(PENDING_STEP_PATH);
  if (opts?.role === "admin" && user.role !== "admin") forbidden();
  return user;
}

/** The message an action or data route refuses with while a step is pending. */
export function pendingStepMessage(step: PendingStep): string {
  return PENDING_MESSAGE[step];
}
