// Asking for a job's cancel (contract: "Cancel"). One conditional update
// decides, under the job row's lock: only a job still waiting or merging
// takes the request, so a cancel racing the job's end either lands before
// the last batch's fence (the engine then cancels it) or finds it ended.
// A job no engine has claimed yet ends cancelled here and never runs; a
// merging one is stopped by the engine at its next batch (run-job.ts).
import "server-only";
import { byOrSystem, type AuditBy } from "../audit/audit-actor";
import { insertAuditEntries } from "../audit/record-audit";
import type { SqlConn } from "../db/sql-conn";
import { nowTimestampSql } from "../db/sql";
import { AppError } from "../errors";
import { enqueueJobEndDeliveries } from "../webhooks/job-ended";
import { dropJobWork } from "./claim-job";
import { jobStatusSchema, type JobStatus } from "../vocabulary";

/** `asked`: this request set the flag (the first cancel; later ones change nothing). */
export type CancelRequested = { status: JobStatus; asked: boolean };

export function notCancellable(status: string): AppError {
  const why =
    status === "ready" ? "it has finished (ready)" : status === "failed" ? "it has failed, and nothing of it was saved" : "it is an undo";
  return new AppError("not_cancellable", `This job cannot be cancelled: ${why}`);
}

/**
 * Marks the job's cancel as asked for and, if it is still waiting, ends it
 * cancelled at once (its staged rows dropped). The caller has checked that
 * the job exists and may be cancelled by whoever asks. Returns the job's
 * status after the request: cancelled, or running/queued while the engine
 * stops it. Throws not_cancellable for an ended job or an undo.
 */
export async function requestCancel(conn: SqlConn, jobId: string, by?: AuditBy): Promise<CancelRequested> {
  return conn.tx(async (q) => {
    const now = nowTimestampSql(q.dialect);
    const marked = await q.get<{ status: string }>(
      `UPDATE import_job SET cancel_requested_at = ${now}
        WHERE id = ? AND status IN ('queued', 'running') AND source <> 'revert' AND cancel_requested_at IS NULL
        RETURNING status`,
      [jobId],
    );
    if (!marked) {
      // asked before, or past asking: the row as it is now (its lock waited for any racing change)
      const row = await q.get<{ status: string; source: string }>("SELECT status, source FROM import_job WHERE id = ?", [jobId]);
      if (!row) throw new AppError("not_found", `No deferred result with id ${jobId}`);
      if (row.source === "revert" || row.status === "ready" || row.status === "failed") throw notCancellable(row.source === "revert" ? "revert" : row.status);
      return { status: jobStatusSchema.parse(row.status), asked: false };
    }
    await insertAuditEntries(q, [{ ...byOrSystem(by), action: "import_cancelled", subjectType: "job", subject: jobId }]);
    if (marked.status !== "queued") return { status: jobStatusSchema.parse(marked.status), asked: true };
    // no engine holds it: it never runs
    await q.run(`UPDATE import_job SET status = 'cancelled', finished_at = ${now} WHERE id = ? AND status = 'queued'`, [jobId]);
    await dropJobWork(q, jobId);
    await enqueueJobEndDeliveries(q, jobId);
    return { status: "cancelled", asked: true };
  });
}

/** The job's status once it is no longer waiting or merging, or null if that takes longer than `timeoutMs`. */
export async function awaitJobEnd(conn: SqlConn, jobId: string, timeoutMs: number, pollMs = 100): Promise<JobStatus | null> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const row = await conn.get<{ status: string }>("SELECT status FROM import_job WHERE id = ?", [jobId]);
    const status = jobStatusSchema.parse(row?.status);
    if (status !== "queued" && status !== "running") return status;
    if (Date.now() >= end) return null;
    await new Promise((r) => setTimeout(r, pollMs));
  }
}
