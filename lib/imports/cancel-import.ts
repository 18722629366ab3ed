// Cancel a job (contract: "Cancel"): its API user, or on the admin app the
// staff user who uploaded it or any admin. The answer waits (bounded) until
// the job has ended and tells the truth: cancelled, or 409 not_cancellable
// when it ended otherwise first.
import "server-only";
import type { AuditBy } from "../audit/audit-actor";
import type { Db } from "../db/client";
import { AppError } from "../errors";
import { awaitJobEnd, notCancellable, requestCancel } from "../jobs/cancel-job";
import type { JobRow } from "../jobs/job-row";
import { deferredResultOf, findVisibleJob, type DeferredResult } from "./deferred-result";

/** How long the API's answer waits for the engine to stop a merging job (contract: within 60 s). */
export const CANCEL_WAIT_MS = 60_000;

/** Who asks: an API user (their own jobs only), or a staff user. */
export type Canceller = { apiUserId: string } | { staff: { id: string; role: string } };

/** A staff user may cancel their own uploads; an admin, any import. */
export function staffMayCancel(job: Pick<JobRow, "source" | "staffUserId">, user: { id: string; role: string }): boolean {
  return user.role === "admin" || (job.source === "upload" && job.staffUserId === user.id);
}

/**
 * Asks for the cancel and waits up to `waitMs` for the job to end. Returns
 * its deferred result: cancelled, or still running if the engine has not
 * reached its next batch in time (the cancel still stands).
 */
export async function cancelImport(d: Db, jobId: string, who: Canceller, by: AuditBy, waitMs = CANCEL_WAIT_MS): Promise<DeferredResult> {
  const viewer = "apiUserId" in who ? who : { staff: true as const };
  const job = await findVisibleJob(d, jobId, viewer);
  if ("staff" in who && !staffMayCancel(job, who.staff)) {
    throw new AppError("forbidden", "Only an admin, or the person who uploaded it, can cancel this import");
  }
  const requested = await requestCancel(d.sql, jobId, by);
  const status = requested.status === "cancelled" ? "cancelled" : await awaitJobEnd(d.sql, jobId, waitMs);
  if (status === "ready" || status === "failed") throw notCancellable(status);
  return deferredResultOf(d, await findVisibleJob(d, jobId, viewer));
}

/** Whether the import page offers this user "Cancel import" (while it runs). */
export async function staffMayCancelJob(d: Db, jobId: string, user: { id: string; role: string }): Promise<boolean> {
  const job = await d.prisma.importJob.findUnique({ where: { id: jobId }, select: { source: true, staffUserId: true } });
  return !!job && job.source !== "revert" && staffMayCancel(job, user);
}
