// First start: with no staff accounts yet and ADMIN_EMAIL / ADMIN_PASSWORD
// set, create that admin (called from instrumentation.ts). Otherwise the
// README's `npm run user:create` makes the first one.
import "server-only";
import { db } from "../db/client";
import { env } from "../env";
import { createStaffUser } from "./better-auth";

export async function bootstrapAdmin(): Promise<void> {
  const { ADMIN_EMAIL: email, ADMIN_PASSWORD: password } = env();
  try {
    const users = await db().prisma.staffUser.count();
    if (users > 0) return;
    if (!email || !password) {
      console.warn(
        "No staff accounts yet: set ADMIN_EMAIL and ADMIN_PASSWORD and restart, or run " +
          "`npm run --silent user:create -- --email <email> --role admin` (it asks for the password)",
      );
      return;
    }
    await createStaffUser({ email, password, role: "admin" });
    console.log(`Created the first admin account, ${email.toLowerCase()}`);
  } catch (e) {
    // Another instance starting at the same moment may have made it first.
    if ((await db().prisma.staffUser.count().catch(() => 0)) > 0) return;
    console.error(`Could not create the first admin account: ${e instanceof Error ? e.message : String(e)}`);
  }
}
