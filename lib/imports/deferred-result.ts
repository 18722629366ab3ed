import "server-only";
import { z } from "zod";
import type { Db } from "../db/client";
import { AppError, JOB_FAILURE_CODES } from "../errors";
import { decodeFieldChanges, type JobRow } from "../jobs/job-row";
import { whyNotRevertible, type RevertFacts } from "../jobs/revertible";
import {
  conflictStrategySchema,
  jobSourceSchema,
  jobStatusSchema,
  publicStatusOf,
  publicStatusSchema,
  resultCodeSchema,
} from "../vocabulary";

// The deferred result as the API shows it (contract: "Deferred result",
// "Dry run", "Revert").
export const errorEntrySchema = z.object({
  index: z.number().int().optional().describe("0-based position in records (JSON jobs)"),
  row: z.number().int().optional().describe("1-based data row number (CSV jobs)"),
  external_id: z.string().nullable(),
  code: resultCodeSchema,
  field: z.string().nullable(),
  message: z.string(),
  conflicting_external_ids: z.array(z.string()).optional(),
});

/** A target a revert left as it was, and why (external_id null: the member was erased). */
export const revertEntrySchema = z.object({
  external_id: z.string().nullable(),
  code: z.enum(["changed_since", "conflict"]),
  message: z.string(),
  conflicting_external_ids: z.array(z.string()).optional(),
});

const count = z.number().int();
const errorsNext = z.string().nullable();

/** An import's counts: its result as the job listing shows it (contract: "Job listing"). */
export const importSummarySchema = z.object({
  total: count,
  created: count,
  updated: count,
  unchanged: count,
  rejected: count,
  conflicts_ignored: count,
  field_changes: z
    .record(z.string(), count)
    .describe("For the records counted as updated: how many changed the stored value of each attribute (clearing included)"),
});
export const importResultSchema = importSummarySchema.extend({ errors: z.array(errorEntrySchema), errors_next: errorsNext });

/** An undo's counts, as the job listing shows them. */
export const revertSummarySchema = z.object({
  total: count.describe("Distinct targets the undone job created or updated"),
  deleted: count,
  restored: count,
  skipped: count,
});
export const revertResultSchema = revertSummarySchema.extend({ errors: z.array(revertEntrySchema), errors_next: errorsNext });

const RESULT_WHEN = "Only when ready; null when cancelled (contract: \"Cancel\"), absent while running or when failed";

/** A job as the job listing shows it: the deferred result without result.errors and result.errors_next. */
export const deferredResultSummarySchema = z.object({
  id: z.string(),
  status: publicStatusSchema,
  dry_run: z.boolean().describe("A dry run: judged in its turn, wrote nothing"),
  conflict_strategy: conflictStrategySchema,
  source: jobSourceSchema,
  reverts: z.string().optional().describe("An undo (source revert): the job it undoes"),
  reverted_by: z.string().nullable().optional().describe("The undo of this job, once asked for (else null)"),
  revertible: z
    .boolean()
    .describe(
      "Whether POST /api/deferred_results/{id}/revert would be accepted now (an undo already asked for is answered again); false for a dry run, an undo, a job not ready, or one past the retention period",
    ),
  created_at: z.string(),
  started_at: z.string().nullable(),
  finished_at: z.string().nullable(),
  progress: z.object({ processed: count, total: count.nullable() }),
  details_expired_at: z
    .string()
    .nullable()
    .describe("When the job's rows and problems were deleted (RETENTION_DAYS after it ended); its counts remain"),
  error: z
    .object({ code: z.enum([...JOB_FAILURE_CODES, "internal_error"]), message: z.string() })
    .nullable()
    .describe("Why the job failed (only when failed): nothing of it was written"),
  result: z.union([importSummarySchema, revertSummarySchema]).nullable().optional().describe(RESULT_WHEN),
});

export const deferredResultSchema = deferredResultSummarySchema.extend({
  result: z.union([importResultSchema, revertResultSchema]).nullable().optional().describe(RESULT_WHEN),
});

export const errorsPageSchema = z.object({
  errors: z.union([z.array(errorEntrySchema), z.array(revertEntrySchema)]),
  errors_next: z.string().nullable(),
});

export type DeferredResult = z.infer<typeof deferredResultSchema>;
export type DeferredResultSummary = z.infer<typeof deferredResultSummarySchema>;
export type ImportResult = z.infer<typeof importResultSchema>;
export type RevertResult = z.infer<typeof revertResultSchema>;
export type ErrorEntry = z.infer<typeof errorEntrySchema>;
export type RevertEntry = z.infer<typeof revertEntrySchema>;

/** The result of a ready import (not an undo); throws for anything else. */
export function importResultOf(d: DeferredResult): ImportResult {
  if (!d.result || !("created" in d.result)) throw new Error(`deferred result ${d.id} is not a ready import`);
  return d.result;
}

/** The result of a ready undo; throws for anything else. */
export function revertResultOf(d: DeferredResult): RevertResult {
  if (!d.result || !("deleted" in d.result)) throw new Error(`deferred result ${d.id} is not a ready undo`);
  return d.result;
}

export const ERRORS_PAGE_SIZE = 100;

const conflictingIds = z.array(z.string());
/** A problem's conflicting_external_ids as stored (JSON text) → the list. */
export const decodeConflictingIds = (text: string): string[] => conflictingIds.parse(JSON.parse(text));
const failureCode = z.enum([...JOB_FAILURE_CODES, "internal_error"]);

/** Who asks: an API user sees only their own jobs; staff see every job. */
export type Viewer = { apiUserId: string } | { staff: true };

export function revertFactsOf(job: JobRow): RevertFacts {
  return { status: job.status, dryRun: job.dryRun, source: job.source, detailsPurged: job.detailsPurgedAt !== null };
}

export async function findVisibleJob(d: Db, id: string, viewer: Viewer): Promise<JobRow> {
  const job = await d.prisma.importJob.findUnique({ where: { id } });
  if (!job || job.status === "uploading" || ("apiUserId" in viewer && job.apiUserId !== viewer.apiUserId)) {
    throw new AppError("not_found", `No deferred result with id ${id}`);
  }
  return job;
}

function errorsPath(id: string, afterSeq: number): string {
  return `/api/deferred_results/${encodeURIComponent(id)}/errors?cursor=${Buffer.from(String(afterSeq)).toString("base64url")}`;
}

async function readErrors(d: Db, job: JobRow, fromSeq: number): Promise<{ errors: ErrorEntry[] | RevertEntry[]; next: string | null }> {
  const rows = await d.prisma.importError.findMany({
    where: { jobId: job.id, seq: { gte: fromSeq } },
    orderBy: { seq: "asc" },
    take: ERRORS_PAGE_SIZE,
  });
  const conflicting = (text: string | null) => (text ? { conflicting_external_ids: decodeConflictingIds(text) } : {});
  const byRow = job.source === "csv_url" || job.source === "upload";
  const errors =
    job.source === "revert"
      ? rows.map(
          (r): RevertEntry => ({
            external_id: r.externalId,
            code: revertEntrySchema.shape.code.parse(r.code),
            message: r.message,
            ...conflicting(r.conflictingExternalIds),
          }),
        )
      : rows.map(
          (r): ErrorEntry => ({
            ...(byRow ? { row: r.position + 1 } : { index: r.position }),
            external_id: r.externalId,
            code: resultCodeSchema.parse(r.code),
            field: r.field,
            message: r.message,
            ...conflicting(r.conflictingExternalIds),
          }),
        );
  const last = fromSeq + rows.length;
  return { errors, next: rows.length === ERRORS_PAGE_SIZE && last < job.errorCount ? errorsPath(job.id, last) : null };
}

export async function getDeferredResult(d: Db, id: string, viewer: Viewer): Promise<DeferredResult> {
  return deferredResultOf(d, await findVisibleJob(d, id, viewer));
}

/** The deferred result of a job row already found (and visible to its viewer). */
export async function deferredResultOf(d: Db, job: JobRow): Promise<DeferredResult> {
  const { result, ...summary } = deferredResultSummaryOf(job);
  if (!result) return result === null ? { ...summary, result } : summary;
  const { errors, next } = await readErrors(d, job, 0);
  return "deleted" in result
    ? { ...summary, result: { ...result, errors: errors as RevertEntry[], errors_next: next } }
    : { ...summary, result: { ...result, errors: errors as ErrorEntry[], errors_next: next } };
}

/** A job row as the listing shows it: the deferred result without its errors, read from the row alone. */
export function deferredResultSummaryOf(job: JobRow): DeferredResultSummary {
  const status = publicStatusOf(jobStatusSchema.parse(job.status));
  const source = jobSourceSchema.parse(job.source);
  const out: DeferredResultSummary = {
    id: job.id,
    status,
    dry_run: job.dryRun,
    conflict_strategy: conflictStrategySchema.parse(job.conflictStrategy),
    source,
    ...(source === "revert" ? { reverts: job.reverts ?? undefined } : { reverted_by: job.revertedBy }),
    created_at: job.createdAt.toISOString(),
    started_at: job.startedAt?.toISOString() ?? null,
    finished_at: job.finishedAt?.toISOString() ?? null,
    progress: { processed: job.processed, total: job.total },
    details_expired_at: job.detailsPurgedAt?.toISOString() ?? null,
    revertible: job.revertedBy !== null || whyNotRevertible(revertFactsOf(job)) === null,
    error: status === "failed" ? { code: failureCode.catch("internal_error").parse(job.failureCode), message: job.failureMessage ?? "" } : null,
  };
  if (status === "cancelled") out.result = null; // a cancelled job has no result (contract: "Cancel")
  if (status === "ready") {
    const total = job.total ?? job.processed;
    out.result =
      source === "revert"
        ? { total, deleted: job.deleted, restored: job.restored, skipped: job.skipped }
        : {
            total,
            created: job.created,
            updated: job.updated,
            unchanged: job.unchanged,
            rejected: job.rejected,
            conflicts_ignored: job.conflictsIgnored,
            field_changes: decodeFieldChanges(job.fieldChanges),
          };
  }
  return out;
}

export async function listImportErrors(
  d: Db,
  id: string,
  viewer: Viewer,
  cursor: string | null,
): Promise<z.infer<typeof errorsPageSchema>> {
  const job = await findVisibleJob(d, id, viewer);
  let from = 0;
  if (cursor !== null) {
    from = Number(Buffer.from(cursor, "base64url").toString());
    if (!Number.isSafeInteger(from) || from < 0) {
      throw new AppError("invalid_payload", "The cursor is not one this API gave out", {
        details: [{ path: "cursor", message: "unknown cursor" }],
      });
    }
  }
  if (job.status !== "ready") return { errors: [], errors_next: null };
  const { errors, next } = await readErrors(d, job, from);
  return { errors, errors_next: next };
}
