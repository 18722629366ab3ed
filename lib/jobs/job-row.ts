// Typed reading and writing of import_job's columns. The JSON columns
// (`columns`, `mapping`) are read through zod, never with a bare cast, and
// raw rows of either database (SQLite 0/1 booleans, snake_case names) become
// one `Job` shape.
import "server-only";
import { z } from "zod";
import { conflictStrategySchema, jobSourceSchema, jobStatusSchema } from "../vocabulary";

/** A file's header cells as written, or per column the field key / "skip". */
export const columnListSchema = z.array(z.string());
export type ColumnList = z.infer<typeof columnListSchema>;

const columnListJson = z
  .string()
  .transform((text, ctx) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      ctx.addIssue({ code: "custom", message: "not JSON" });
      return z.NEVER;
    }
  })
  .pipe(columnListSchema);

export function encodeColumnList(list: ColumnList): string {
  return JSON.stringify(list);
}

/** `columns` or `mapping` as stored (JSON text or null) → the list. */
export function decodeColumnList(text: string | null): ColumnList | null {
  return text === null ? null : columnListJson.parse(text);
}

/** A boolean column as read: SQLite answers 0/1, PostgreSQL true/false. */
export const isFlagSet = (v: unknown): boolean => v === true || v === 1;
const flag = z.union([z.boolean(), z.number()]).transform(isFlagSet);
const int = z.union([z.number(), z.bigint()]).transform(Number);

/** The columns the queue and the engine read (SELECT JOB_COLUMNS FROM import_job). */
export const JOB_COLUMNS =
  "id, seq, status, source, conflict_strategy, dry_run, reverts, csv_url, columns, mapping, staged, total, processed, attempts";

export const jobSchema = z
  .object({
    id: z.string(),
    seq: int.nullable(),
    status: jobStatusSchema,
    source: jobSourceSchema,
    conflict_strategy: conflictStrategySchema,
    dry_run: flag,
    reverts: z.string().nullable(),
    csv_url: z.string().nullable(),
    columns: columnListJson.nullable(),
    mapping: columnListJson.nullable(),
    staged: flag,
    total: int.nullable(),
    processed: int,
    attempts: int,
  })
  .transform((r) => ({
    id: r.id,
    seq: r.seq,
    status: r.status,
    source: r.source,
    strategy: r.conflict_strategy,
    dryRun: r.dry_run,
    reverts: r.reverts,
    csvUrl: r.csv_url,
    columns: r.columns,
    mapping: r.mapping,
    staged: r.staged,
    total: r.total,
    processed: r.processed,
    attempts: r.attempts,
  }));
export type Job = z.infer<typeof jobSchema>;

/**
 * A job's field changes as stored (a JSON object of attribute → count). A
 * plain object (React passes no null-prototype one to the browser) holding
 * own keys only: read a key with Object.hasOwn, a slug may be "constructor".
 */
export const fieldChangesSchema = z.record(z.string(), z.number().int());
export function decodeFieldChanges(text: string | null): Record<string, number> {
  if (!text) return {};
  const parsed = fieldChangesSchema.safeParse(JSON.parse(text));
  return parsed.success ? parsed.data : {};
}
