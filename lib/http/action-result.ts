import type { ErrorDetail } from "../errors";

/** What a server action answers (lib/http/staff-action.ts): its data, or an error a form can show next to its fields. */
export type ActionResult<T> =
  | { ok: true; data: T }
  | { ok: false; error: { code: string; message: string; details: ErrorDetail[] } };
