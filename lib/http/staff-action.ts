// Server actions go through this one wrapper: it requires a signed-in staff
// user and turns errors into a result the form can show next to the field
// (the actions' only error mapping). Inputs are checked by lib/ with the same
// zod schemas the REST API uses.
import "server-only";
import { getStaffUser, type StaffUser } from "../auth/staff-session";
import { AppError, type ErrorDetail } from "../errors";

export type ActionResult<T> =
  | { ok: true; data: T }
  | { ok: false; error: { code: string; message: string; details: ErrorDetail[] } };

export function staffAction<A extends unknown[], T>(
  fn: (user: StaffUser, ...args: A) => Promise<T>,
  opts: { role?: "admin" } = {},
): (...args: A) => Promise<ActionResult<T>> {
  return async (...args: A) => {
    try {
      const user = await getStaffUser();
      if (!user) throw new AppError("unauthorized", "Your session has ended: sign in again");
      if (opts.role === "admin" && user.role !== "admin") throw new AppError("forbidden", "Only an admin can do this");
      return { ok: true, data: await fn(user, ...args) };
    } catch (e) {
      if (e instanceof AppError) return { ok: false, error: { code: e.code, message: e.message, details: e.details } };
      console.error(e);
      return { ok: false, error: { code: "internal_error", message: "Something went wrong on our side; please try again", details: [] } };
    }
  };
}
