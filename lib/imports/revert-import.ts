// Undo a job (contract: "Revert"): its owner (or staff) asks; the undo is a
// job of its own in the merge order (lib/jobs/accept-jobs.ts createRevert).
import "server-only";
import type { AuditBy } from "../audit/audit-actor";
import type { Db } from "../db/client";
import { createRevert, type Accepted } from "../jobs/accept-jobs";
import { signalJobAccepted } from "../jobs/job-signal";
import { findVisibleJob, type Viewer } from "./deferred-result";

/** `by`: who asks, for the audit log (one entry when the undo is accepted, none when asked again). */
export async function requestRevert(d: Db, jobId: string, viewer: Viewer, staffUserId?: string, by?: AuditBy): Promise<Accepted> {
  await findVisibleJob(d, jobId, viewer); // 404 for another API user's job
  const accepted = await createRevert(d.sql, {
    jobId,
    apiUserId: "apiUserId" in viewer ? viewer.apiUserId : null,
    staffUserId: staffUserId ?? null,
    by,
  });
  if (!accepted.reused) signalJobAccepted();
  return accepted;
}
