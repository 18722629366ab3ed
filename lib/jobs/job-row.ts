// Typed reading and writing of import_job's columns. The JSON columns
// (`columns`, `mapping`) are read through zod, never with a bare cast, and
// raw rows of either database (SQLite 0/1 booleans, snake_case names) become
// fields of the one row type, JobRow.
import "server-only";
import { z } from "zod";
import type { ImportJob } from "../generated/sqlite/client";
import {
  conflictStrategySchema,
  jobSourceSchema,
  jobStatusSchema,
  type ConflictStrategy,
  type JobSource,
  type JobStatus,
} from "../vocabulary";

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

/**
 * The one row type of import_job: Prisma's model, generated from
 * prisma/schema.prisma (both databases' clients come from one model).
 */
export type JobRow = ImportJob;

/** What the queue and the engine read of a job: JobRow's fields, the vocabulary's values narrowed. */
export type QueuedJob = Pick<JobRow, "id" | "seq" | "dryRun" | "reverts" | "csvUrl" | "columns" | "mapping" | "staged" | "total" | "processed" | "attempts"> & {
  status: JobStatus;
  source: JobSource;
  conflictStrategy: ConflictStrategy;
  /** Its cancel was asked for (contract: "Cancel"): the engine undoes it and ends it cancelled. */
  cancelRequested: boolean;
};

/** The columns the queue and the engine read (SELECT QUEUED_JOB_COLUMNS FROM import_job). */
export const QUEUED_JOB_COLUMNS =
  "id, seq, status, source, conflict_strategy, dry_run, reverts, csv_url, columns, mapping, staged, total, processed, attempts, cancel_requested_at";

/** A raw row of QUEUED_JOB_COLUMNS, from either database, as a QueuedJob. */
export const queuedJobSchema = z
  .object({
    id: z.string(),
    seq: int.nullable(),
    status: jobStatusSchema,
    source: jobSourceSchema,
    conflict_strategy: conflictStrategySchema,
    dry_run: flag,
    reverts: z.string().nullable(),
    csv_url: z.string().nullable(),
    columns: z.string().nullable(),
    mapping: z.string().nullable(),
    staged: flag,
    total: int.nullable(),
    processed: int,
    attempts: int,
    cancel_requested_at: z.unknown(),
  })
  .transform(
    (r): QueuedJob => ({
      id: r.id,
      seq: r.seq,
      status: r.status,
      source: r.source,
      conflictStrategy: r.conflict_strategy,
      dryRun: r.dry_run,
      reverts: r.reverts,
      csvUrl: r.csv_url,
      columns: r.columns,
      mapping: r.mapping,
      staged: r.staged,
      total: r.total,
      processed: r.processed,
      attempts: r.attempts,
      cancelRequested: r.cancel_requested_at !== null && r.cancel_requested_at !== undefined,
    }),
  );

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
