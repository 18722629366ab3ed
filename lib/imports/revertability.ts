// Whether the import page offers "Undo this import", and if not, why: the
// rules of the revert verb itself (lib/jobs/revertible.ts), told to staff. Pure.
import { whyNotRevertible } from "../jobs/revertible";
import type { DeferredResult } from "./deferred-result";

export type Revertability =
  | { can: true }
  | { can: false; why: string }
  /** Asked for already: the undo's own page shows it. */
  | { can: false; revertedBy: string };

export function revertability(job: DeferredResult): Revertability {
  if (job.reverted_by) return { can: false, revertedBy: job.reverted_by };
  const why = whyNotRevertible({
    status: job.status,
    dryRun: job.dry_run,
    source: job.source,
    detailsPurged: job.details_expired_at != null,
  });
  return why ? { can: false, why: `This cannot be undone: ${why}.` } : { can: true };
}
