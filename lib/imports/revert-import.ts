// Undo a job (contract: "Revert"): its owner (or staff) asks; the undo is a
// job of its own in the merge order (lib/jobs/accept-jobs.ts createRevert).
import "server-only";
import type { Db } from "../db/client";
import { createRevert, type Accepted } from "../jobs/accept-jobs";
import { signalJobAccepted } from "../jobs/job-signal";
import { findVisibleJob, type Viewer } from "./deferred-result";

export async function requestRevert(d: Db, jobId: string, viewer: Viewer, staffUserId?: string): Promise<Accepted> {
  await findVisibleJob(d, jobId, viewer); // 404 for another API user's job
  const accepted = await createRevert(d.sql, {
    jobId,
    apiUserId: "apiUserId" in viewer ? viewer.apiUserId : null,
    staffUserId: staffUserId ?? null,
  });
  if (!accepted.reused) signalJobAccepted();
  return accepted;
}
