"use server";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { authFor } from "../auth/better-auth";

/**
 * Ends the session (deleted in the database, cookie cleared) and goes to /login.
 * Not a staffAction: it takes no input, must work when the session has already
 * ended, and ends in redirect(), which that wrapper would catch as an error.
 */
export async function signOutAction(): Promise<void> {
  const h = await headers();
  try {
    await authFor(h).api.signOut({ headers: h });
  } catch {
    // No session left to end (expired, or signed out in another tab).
  }
  redirect("/login");
}
