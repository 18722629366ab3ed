import "server-only";
import { z } from "zod";
import type { Db } from "../db/client";
import { AppError, JOB_FAILURE_CODES } from "../errors";
import {
  conflictStrategySchema,
  jobSourceSchema,
  jobStatusSchema,
  publicStatusOf,
  publicStatusSchema,
  resultCodeSchema,
} from "../vocabulary";

// The deferred result as the API shows it (contract: "Deferred result").
export const errorEntrySchema = z.object({
  index: z.number().int().optional().describe("0-based position in records (JSON jobs)"),
  row: z.number().int().optional().describe("1-based data row number (CSV jobs)"),
  external_id: z.string().nullable(),
  code: resultCodeSchema,
  field: z.string().nullable(),
  message: z.string(),
  conflicting_external_ids: z.array(z.string()).optional(),
});

export const deferredResultSchema = z.object({
  id: z.string(),
  status: publicStatusSchema,
  conflict_strategy: conflictStrategySchema,
  source: jobSourceSchema,
  created_at: z.string(),
  started_at: z.string().nullable(),
  finished_at: z.string().nullable(),
  progress: z.object({ processed: z.number().int(), total: z.number().int().nullable() }),
  details_expired_at: z
    .string()
    .nullable()
    .describe("When the job's rows and problems were deleted (RETENTION_DAYS after it ended); its counts remain"),
  error: z
    .object({ code: z.enum([...JOB_FAILURE_CODES, "internal_error"]), message: z.string() })
    .nullable()
    .describe("Why the job failed (only when failed)"),
  result: z
    .object({
      total: z.number().int(),
      created: z.number().int(),
      updated: z.number().int(),
      unchanged: z.number().int(),
      rejected: z.number().int(),
      conflicts_ignored: z.number().int(),
      errors: z.array(errorEntrySchema),
      errors_next: z.string().nullable(),
    })
    .optional(),
});

export const errorsPageSchema = z.object({
  errors: z.array(errorEntrySchema),
  errors_next: z.string().nullable(),
});

export type DeferredResult = z.infer<typeof deferredResultSchema>;
export type ErrorEntry = z.infer<typeof errorEntrySchema>;

export const ERRORS_PAGE_SIZE = 100;

const conflictingIds = z.array(z.string());
const failureCode = z.enum([...JOB_FAILURE_CODES, "internal_error"]);

/** Who asks: an API user sees only their own jobs; staff see every job. */
export type Viewer = { apiUserId: string } | { staff: true };

export type JobRow = NonNullable<Awaited<ReturnType<Db["prisma"]["importJob"]["findUnique"]>>>;

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

async function readErrors(d: Db, job: JobRow, fromSeq: number): Promise<{ errors: ErrorEntry[]; next: string | null }> {
  const rows = await d.prisma.importError.findMany({
    where: { jobId: job.id, seq: { gte: fromSeq } },
    orderBy: { seq: "asc" },
    take: ERRORS_PAGE_SIZE,
  });
  const byRow = job.source !== "records";
  const errors = rows.map((r) => {
    const entry: ErrorEntry = {
      ...(byRow ? { row: r.position + 1 } : { index: r.position }),
      external_id: r.externalId,
      code: resultCodeSchema.parse(r.code),
      field: r.field,
      message: r.message,
    };
    if (r.conflictingExternalIds) entry.conflicting_external_ids = conflictingIds.parse(JSON.parse(r.conflictingExternalIds));
    return entry;
  });
  const last = fromSeq + rows.length;
  return { errors, next: rows.length === ERRORS_PAGE_SIZE && last < job.errorCount ? errorsPath(job.id, last) : null };
}

export async function getDeferredResult(d: Db, id: string, viewer: Viewer): Promise<DeferredResult> {
  const job = await findVisibleJob(d, id, viewer);
  const status = publicStatusOf(jobStatusSchema.parse(job.status));
  const out: DeferredResult = {
    id: job.id,
    status,
    conflict_strategy: conflictStrategySchema.parse(job.conflictStrategy),
    source: jobSourceSchema.parse(job.source),
    created_at: job.createdAt.toISOString(),
    started_at: job.startedAt?.toISOString() ?? null,
    finished_at: job.finishedAt?.toISOString() ?? null,
    progress: { processed: job.processed, total: job.total },
    details_expired_at: job.detailsPurgedAt?.toISOString() ?? null,
    error: status === "failed" ? { code: failureCode.catch("internal_error").parse(job.failureCode), message: job.failureMessage ?? "" } : null,
  };
  if (status === "ready") {
    const { errors, next } = await readErrors(d, job, 0);
    out.result = {
      total: job.total ?? job.processed,
      created: job.created,
      updated: job.updated,
      unchanged: job.unchanged,
      rejected: job.rejected,
      conflicts_ignored: job.conflictsIgnored,
      errors,
      errors_next: next,
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
