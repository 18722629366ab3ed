// Deleting an account: better-auth's removeUser (its sessions, password and
// second factor go with it; saved mappings it made stay, unattributed).
// Deleting an admin waits its turn among admin changes and refuses the last
// active one (last-admin.ts).
import "server-only";
import type { Db } from "../db/client";
import { AppError } from "../errors";
import { adminsHeld, assertAnotherActiveAdmin } from "./last-admin";
import { adminApi, auditAccount, findAccount, viaBetterAuth, type StaffCaller } from "./staff-caller";
import type { StaffAccountId } from "./staff-schema";

export async function deleteStaffAccount(d: Db, caller: StaffCaller, { id }: StaffAccountId): Promise<{ email: string }> {
  if (id === caller.user.id) throw new AppError("forbidden", "You cannot delete your own account");
  return adminsHeld(d, async () => {
    const account = await findAccount(d, id);
    if (account.role === "admin") await assertAnotherActiveAdmin(d, id, "delete");
    await viaBetterAuth(() => adminApi(caller).removeUser({ body: { userId: id }, headers: caller.headers }));
    await auditAccount(d, caller, "account_deleted", account.email);
    return { email: account.email };
  });
}
