// Disable and re-enable: better-auth's ban (which deletes every session of
// the account, so its next request in any tab is signed out, and refuses its
// sign-ins) and unban. Disabling an admin waits its turn among admin changes
// and refuses the last active one (last-admin.ts).
import "server-only";
import type { Db } from "../db/client";
import { AppError } from "../errors";
import { adminsHeld, assertAnotherActiveAdmin } from "./last-admin";
import { adminApi, auditAccount, findAccount, viaBetterAuth, type StaffCaller } from "./staff-caller";
import type { StaffAccountId } from "./staff-schema";

export async function disableStaffAccount(d: Db, caller: StaffCaller, { id }: StaffAccountId): Promise<{ email: string; changed: boolean }> {
  if (id === caller.user.id) throw new AppError("forbidden", "You cannot disable your own account");
  return adminsHeld(d, async () => {
    const account = await findAccount(d, id);
    if (account.banned) return { email: account.email, changed: false };
    if (account.role === "admin") await assertAnotherActiveAdmin(d, id, "disable");
    await viaBetterAuth(() =>
      adminApi(caller).banUser({ body: { userId: id, banReason: `Disabled by ${caller.user.email}` }, headers: caller.headers }),
    );
    await auditAccount(d, caller, "account_disabled", account.email);
    return { email: account.email, changed: true };
  });
}

export async function enableStaffAccount(d: Db, caller: StaffCaller, { id }: StaffAccountId): Promise<{ email: string; changed: boolean }> {
  const account = await findAccount(d, id);
  if (!account.banned) return { email: account.email, changed: false };
  await viaBetterAuth(() => adminApi(caller).unbanUser({ body: { userId: id }, headers: caller.headers }));
  await auditAccount(d, caller, "account_enabled", account.email);
  return { email: account.email, changed: true };
}
