import type { z } from "zod";
import type { ErrorDetail } from "./errors";

type Issue = { path: PropertyKey[]; message: string };

/** zod issues as contract `details`: `records[3].external_id`. */
export function zodDetails(error: z.ZodError | readonly Issue[], limit = 100): ErrorDetail[] {
  const issues: readonly Issue[] = "issues" in error ? error.issues : error;
  return issues.slice(0, limit).map((i) => ({
    path: i.path.reduce<string>(
      (acc, p) => (typeof p === "number" ? `${acc}[${p}]` : acc ? `${acc}.${String(p)}` : String(p)),
      "",
    ),
    message: i.message,
  }));
}
