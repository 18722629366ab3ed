// An admin resets a locked-out user's second factor: their sessions end
// (better-auth's revokeUserSessions, the admin's permission checked), their
// TOTP secret and backup codes are deleted and two-factor is off, so they
// sign in with their password alone and set it up again (required again at
// once if two-factor is required of everyone). Audited "two_factor_reset".
import "server-only";
import type { Db } from "../db/client";
import { adminApi, auditAccount, findAccount, viaBetterAuth, type StaffCaller } from "./staff-caller";
import type { StaffAccountId } from "./staff-schema";

export async function resetTwoFactor(d: Db, caller: StaffCaller, { id }: StaffAccountId): Promise<{ email: string }> {
  const account = await findAccount(d, id);
  await viaBetterAuth(() => adminApi(caller).revokeUserSessions({ body: { userId: id }, headers: caller.headers }));
  await d.prisma.$transaction(async (tx) => {
    await tx.staffTwoFactor.deleteMany({ where: { userId: id } });
    await tx.staffUser.update({ where: { id }, data: { twoFactorEnabled: false } });
    await auditAccount(tx, caller, "two_factor_reset", account.email);
  });
  return { email: account.email };
}
