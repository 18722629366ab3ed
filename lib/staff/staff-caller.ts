// Who changes an account: the signed-in admin and the headers of their
// request. better-auth's admin endpoints are called with those headers, so
// better-auth checks the admin's own session and permission as well.
import "server-only";
import { isAPIError } from "better-auth/api";
import { staffActor } from "../audit/audit-actor";
import type { AuditAction } from "../audit/audit-entry";
import { recordAudit } from "../audit/record-audit";
import type { Db, Tx } from "../db/client";
import { AppError } from "../errors";
import { requestAddress } from "../http/request-address";
import { authFor } from "../auth/better-auth";

export type StaffCaller = { user: { id: string; email: string }; headers: Headers };

/** better-auth's admin API as the caller (its session, its protocol's cookies). */
export const adminApi = (caller: StaffCaller) => authFor(caller.headers).api;

/** Runs a better-auth call; its refusal becomes an AppError with its own words. */
export async function viaBetterAuth<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (e) {
    if (!isAPIError(e)) throw e;
    const message = (e.body as { message?: unknown } | undefined)?.message;
    const text = typeof message === "string" && message ? message : "The account could not be changed";
    const code = (e.body as { code?: unknown } | undefined)?.code;
    if (code === "USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL") throw new AppError("already_exists", "An account with this email already exists");
    if (e.statusCode === 401) throw new AppError("unauthorized", "Your session has ended: sign in again");
    if (e.statusCode === 403) throw new AppError("forbidden", text);
    if (e.statusCode === 404) throw new AppError("not_found", "No such account");
    throw new AppError("invalid_payload", text);
  }
}

/** The one audit entry of an account change, naming the account by its email. */
export function auditAccount(
  to: Db | Tx,
  caller: StaffCaller,
  action: AuditAction,
  email: string,
  detail?: Record<string, string | number | boolean | null>,
): Promise<void> {
  return recordAudit(to, {
    actor: staffActor(caller.user),
    address: requestAddress(caller.headers),
    action,
    subjectType: "account",
    subject: email,
    detail,
  });
}

/** The account, or not_found. */
export async function findAccount(d: Db, id: string) {
  const account = await d.prisma.staffUser.findUnique({ where: { id }, select: { id: true, email: true, role: true, banned: true } });
  if (!account) throw new AppError("not_found", "No such account");
  return account;
}
