// A new staff account, made by an admin through better-auth's createUser
// (their session checked by better-auth too): either with a one-time
// set-password link, or with an initial password the user must change at
// first sign-in (lib/auth/staff-session.ts sends them to /account).
import "server-only";
import type { Db } from "../db/client";
import { issueSetPasswordLink } from "./password-link";
import { adminApi, auditAccount, viaBetterAuth, type StaffCaller } from "./staff-caller";
import type { CreateStaffAccount } from "./staff-schema";

export type CreatedStaffAccount = { id: string; email: string; role: "admin" | "staff"; link: string | null };

export async function createStaffAccount(d: Db, caller: StaffCaller, input: CreateStaffAccount): Promise<CreatedStaffAccount> {
  const { email, role } = input;
  const password = input.setPassword === "initial" ? { password: input.password, data: { mustChangePassword: true } } : {};
  const { user } = await viaBetterAuth(() =>
    adminApi(caller).createUser({ body: { email, name: email.split("@")[0] || email, role, ...password }, headers: caller.headers }),
  );
  // without a password the account cannot sign in until its link is used
  const link = input.setPassword === "link" ? await issueSetPasswordLink(user.email) : null;
  await auditAccount(d, caller, "account_created", user.email, { role, setPassword: input.setPassword });
  return { id: user.id, email: user.email, role, link };
}
