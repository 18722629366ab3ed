// Whether the import page offers "Undo this import", and if not, why: the
// same rules as createRevert (lib/jobs/job.ts), told to staff. Pure.
import type { DeferredResult } from "./deferred-result";

export type Revertability =
  | { can: true }
  | { can: false; why: string }
  /** Asked for already: the undo's own page shows it. */
  | { can: false; revertedBy: string };

export function revertability(job: DeferredResult): Revertability {
  if (job.source === "revert") return { can: false, why: "This is itself an undo; it cannot be undone." };
  if (job.reverted_by) return { can: false, revertedBy: job.reverted_by };
  if (job.dry_run) return { can: false, why: "This was a preview (a dry run): it changed nothing, so there is nothing to undo." };
  if (job.status === "running") return { can: false, why: "It can be undone once it has finished." };
  if (job.status === "failed") return { can: false, why: "It failed, and nothing of it was saved: there is nothing to undo." };
  if (job.details_expired_at) {
    return { can: false, why: "It can no longer be undone: what it changed was deleted after the retention period." };
  }
  return { can: true };
}
