// One-time set-password links: better-auth's password reset, its token handed
// to us (lib/auth/set-password-link.ts) instead of emailed. The link is
// better-auth's own: it checks the token and sends the browser on to
// /set-password?token=… (or ?error=INVALID_TOKEN when used or expired).
// Shown to the admin once; we never store it.
import "server-only";
import type { Db } from "../db/client";
import { authForServer } from "../auth/better-auth";
import { captureSetPasswordToken } from "../auth/set-password-link";
import { auditAccount, findAccount, viaBetterAuth, type StaffCaller } from "./staff-caller";

export const SET_PASSWORD_PATH = "/set-password";

/** A new link for the account of `email`: a path on this app (the page adds its origin). */
export async function issueSetPasswordLink(email: string): Promise<string> {
  const token = await captureSetPasswordToken(email, () =>
    viaBetterAuth(() => authForServer().api.requestPasswordReset({ body: { email, redirectTo: SET_PASSWORD_PATH } })),
  );
  return `/api/auth/reset-password/${encodeURIComponent(token)}?callbackURL=${encodeURIComponent(SET_PASSWORD_PATH)}`;
}

/** "Reset password": a new one-time link for the account; its password stays until the link is used. */
export async function resetStaffPassword(d: Db, caller: StaffCaller, { id }: { id: string }): Promise<{ email: string; link: string }> {
  const account = await findAccount(d, id);
  const link = await issueSetPasswordLink(account.email);
  await auditAccount(d, caller, "password_link_created", account.email);
  return { email: account.email, link };
}
