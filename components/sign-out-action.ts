"use server";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { authFor } from "@/lib/auth/better-auth";

/** Ends the session (deleted in the database, cookie cleared) and goes to /login. */
export async function signOutAction(): Promise<void> {
  const h = await headers();
  try {
    await authFor(h).api.signOut({ headers: h });
  } catch {
    // No session left to end (expired, or signed out in another tab).
  }
  redirect("/login");
}
