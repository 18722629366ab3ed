// Server actions go through this one wrapper (docs/decisions/022): it
// requires a signed-in staff user (and the role, if one is named), reads the
// input with the action's zod schema, the same one the REST API and the forms
// use, and only then calls the handler, with the input typed by that schema
// and who asks as the audit log records them (the user, from the request's
// address).
// Errors become a result the form can show next to the field (the actions'
// only error mapping; a zod failure is invalid_payload by lib/invalid-payload.ts).
import "server-only";
import type { z } from "zod";
import type { AuditBy } from "../audit/audit-actor";
import { getStaffUser, pendingStepMessage, type StaffUser } from "../auth/staff-session";
import { AppError } from "../errors";
import { parseInput } from "../invalid-payload";
import type { ActionResult } from "./action-result";
import { staffAuditBy } from "./audit-by";

export function staffAction<S extends z.ZodType, T>(
  schema: S,
  handler: (input: z.output<S>, user: StaffUser, by: AuditBy) => Promise<T>,
  // allowPending: the actions of /account, which a user with a pending step
  // (lib/auth/staff-session.ts) must reach; every other action refuses them
  opts: { role?: "admin"; allowPending?: boolean } = {},
): (input: z.input<S>) => Promise<ActionResult<T>> {
  return async (input) => {
    try {
      // who asks comes first: a signed-out caller learns nothing of the schema
      const user = await getStaffUser();
      if (!user) throw new AppError("unauthorized", "Your session has ended: sign in again");
      if (user.pending && !opts.allowPending) throw new AppError("forbidden", pendingStepMessage(user.pending));
      if (opts.role === "admin" && user.role !== "admin") throw new AppError("forbidden", "Only an admin can do this");
      const parsed = parseInput(schema, input);
      return { ok: true, data: await handler(parsed, user, await staffAuditBy(user)) };
    } catch (e) {
      if (e instanceof AppError) return { ok: false, error: { code: e.code, message: e.message, details: e.details } };
      console.error(e);
      return { ok: false, error: { code: "internal_error", message: "Something went wrong on our side; please try again", details: [] } };
    }
  };
}
