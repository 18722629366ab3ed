import type { z } from "zod";
import type { ErrorDetail } from "./errors";

/** zod issues as contract `details`: `records[3].external_id`. */
export function zodDetails(error: z.ZodError, limit = 100): ErrorDetail[] {
  return error.issues.slice(0, limit).map((i) => ({
    path: i.path.reduce<string>(
      (acc, p) => (typeof p === "number" ? `${acc}[${p}]` : acc ? `${acc}.${String(p)}` : String(p)),
      "",
    ),
    message: i.message,
  }));
}
