// The one mapping from a zod failure to `invalid_payload`, for every edge:
// server actions (lib/http/staff-action.ts), the admin app's routes and the
// REST API (its bulk upsert, custom fields).
import type { z } from "zod";
import { AppError, type ErrorDetail } from "./errors";

type Issue = { path: PropertyKey[]; message: string };

/** zod issues as contract `details`: `records[3].external_id`. */
function zodDetails(issues: readonly Issue[], limit: number): ErrorDetail[] {
  return issues.slice(0, limit).map((i) => ({
    path: i.path.reduce<string>(
      (acc, p) => (typeof p === "number" ? `${acc}[${p}]` : acc ? `${acc}.${String(p)}` : String(p)),
      "",
    ),
    message: i.message,
  }));
}

/**
 * `invalid_payload` naming each bad place (at most 100). Its message names the
 * first, unless the edge keeps a message of its own.
 */
export function invalidPayload(error: z.ZodError | readonly Issue[], message?: string): AppError {
  const details = zodDetails("issues" in error ? error.issues : error, 100);
  const first = details[0] ?? { path: "", message: "not valid" };
  const more = details.length - 1;
  message ??=
    `The payload's format is wrong: ${first.path ? `${first.path} ` : ""}${first.message}` +
    (more > 0 ? ` (and ${more} more problem${more > 1 ? "s" : ""})` : "");
  return new AppError("invalid_payload", message, { details });
}

/** The input as the schema reads it, or `invalid_payload`. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, message?: string): z.output<S> {
  const r = schema.safeParse(input);
  if (!r.success) throw invalidPayload(r.error, message);
  return r.data;
}
