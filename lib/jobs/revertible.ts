// Whether a job can be undone (contract: "Revert"), in one place: the revert
// verb refuses with this reason (409 not_revertible), and the deferred result
// and the history say the same before anyone asks.

export type RevertFacts = {
  status: string;
  dryRun: boolean;
  source: string;
  /** Its before-images were deleted with its other details (RETENTION_DAYS). */
  detailsPurged: boolean;
};

/** The reason when only retention stands in the way (the history says "can no longer be undone"). */
export const PURGED_REASON = "what it changed was deleted after the retention period, so it can no longer be undone";

/** Why the job cannot be undone, or null when it can. */
export function whyNotRevertible(j: RevertFacts): string | null {
  if (j.source === "revert") return "it is itself an undo, and an undo cannot itself be undone";
  if (j.dryRun) return "it was a preview (a dry run) and changed nothing, so there is nothing to undo";
  if (j.status === "failed") return "it failed and nothing of it was saved, so there is nothing to undo";
  if (j.status === "cancelled") return "it was cancelled and nothing of it was saved, so there is nothing to undo";
  if (j.status !== "ready") return "it has not finished yet; it can be undone once it has finished";
  if (j.detailsPurged) return PURGED_REASON;
  return null;
}

/** The message of the 409 not_revertible answer. */
export function notRevertibleMessage(reason: string): string {
  return `This job cannot be undone: ${reason}`;
}
