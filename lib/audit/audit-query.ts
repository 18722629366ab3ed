// What the /audit page and its CSV ask for, as it is written in the URL:
// filters by actor, action and a date range (UTC days, both ends
// included), and a keyset cursor (the last id shown: entries run newest
// first). Pure: the page builds its links with it.
import { z } from "zod";
import { auditActionSchema } from "./audit-entry";

export const AUDIT_PAGE_SIZE = 50;
/** The actor filter's value for entries the service wrote itself (a script, the engine). */
export const SYSTEM_ACTOR_FILTER = "system";

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "a date as YYYY-MM-DD").refine((s) => !Number.isNaN(Date.parse(s)), "not a date");

export const auditQuerySchema = z.object({
  /** A staff user's or API user's id, or "system". */
  actor: z.string().min(1).max(100).optional(),
  action: auditActionSchema.optional(),
  from: day.optional(),
  to: day.optional(),
  cursor: z.coerce.number<string | number>().int().positive().optional(),
});
export type AuditQuery = z.infer<typeof auditQuerySchema>;

const blankToUndefined = (v: string | null) => (v === null || v === "" ? undefined : v);

/** The page's and CSV's URL parameters as a query (not yet checked). */
export function auditQueryFromParams(params: URLSearchParams): Record<string, unknown> {
  return Object.fromEntries((["actor", "action", "from", "to", "cursor"] as const).map((k) => [k, blankToUndefined(params.get(k))]));
}

/** The inverse: a query's URL parameters, empty ones left out. */
export function auditQueryParams(query: Partial<AuditQuery>): URLSearchParams {
  const out = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== "") out.set(k, String(v));
  return out;
}
