// Wrappers for route handlers, one per kind of caller. They own
// authentication and the mapping of errors to responses, so a handler only
// parses, calls lib/ and returns data.
import "server-only";
import type { AuditBy } from "../audit/audit-actor";
import { requireApiUser } from "../auth/api-tokens";
import { getStaffUser, pendingStepMessage, type StaffUser } from "../auth/staff-session";
import { db, type Db } from "../db/client";
import { AppError } from "../errors";
import { requestAuditBy } from "./audit-by";
import { errorResponse } from "./errors";

/** by: who asks, for the audit log (the API user, by its name, from the request's address). */
export type ApiContext<P> = { req: Request; params: P; db: Db; apiUserId: string; by: AuditBy };

type RouteArgs<P> = { params: Promise<P> };

export function withApiUser<P = Record<string, never>>(handler: (ctx: ApiContext<P>) => Promise<Response>) {
  return async (req: Request, args: RouteArgs<P>): Promise<Response> => {
    try {
      const d = db();
      const apiUser = await requireApiUser(d, req.headers.get("authorization"));
      return await handler({ req, params: await args.params, db: d, apiUserId: apiUser.id, by: requestAuditBy(req, { api: apiUser }) });
    } catch (err) {
      return errorResponse(err);
    }
  };
}

export function withPublic(handler: (req: Request) => Promise<Response>) {
  return async (req: Request): Promise<Response> => {
    try {
      return await handler(req);
    } catch (err) {
      return errorResponse(err);
    }
  };
}

/** by: who asks, for the audit log (the staff user, from the request's address). */
export type StaffContext<P> = { req: Request; params: P; db: Db; user: StaffUser; by: AuditBy };

/** For the admin app's data routes (outside /api): a signed-in staff user. */
export function withStaffUser<P = Record<string, never>>(handler: (ctx: StaffContext<P>) => Promise<Response>) {
  return async (req: Request, args: RouteArgs<P>): Promise<Response> => {
    try {
      const user = await getStaffUser();
      if (!user) throw new AppError("unauthorized", "Your session has ended: sign in again");
      if (user.pending) throw new AppError("forbidden", pendingStepMessage(user.pending));
      return await handler({ req, params: await args.params, db: db(), user, by: requestAuditBy(req, { staff: user }) });
    } catch (err) {
      return errorResponse(err);
    }
  };
}
