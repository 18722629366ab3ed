// Admin ↔ staff, through better-auth's setRole. Demoting waits its turn
// among admin changes and refuses the last active admin (last-admin.ts).
import "server-only";
import type { Db } from "../db/client";
import { adminsHeld, assertAnotherActiveAdmin } from "./last-admin";
import { adminApi, auditAccount, findAccount, viaBetterAuth, type StaffCaller } from "./staff-caller";
import type { ChangeStaffRole } from "./staff-schema";

export async function changeStaffRole(d: Db, caller: StaffCaller, { id, role }: ChangeStaffRole): Promise<{ email: string; changed: boolean }> {
  return adminsHeld(d, async () => {
    const account = await findAccount(d, id);
    const from = account.role === "admin" ? "admin" : "staff";
    if (from === role) return { email: account.email, changed: false };
    if (from === "admin") await assertAnotherActiveAdmin(d, id, "demote");
    await viaBetterAuth(() => adminApi(caller).setRole({ body: { userId: id, role }, headers: caller.headers }));
    await auditAccount(d, caller, "account_role_changed", account.email, { from, to: role });
    return { email: account.email, changed: true };
  });
}
