import type { DeferredResult } from "@/lib/imports/deferred-result";
import { memberQueryParams } from "@/lib/targets/member-query";

/** Whether a finished job wrote members the list can find: a real import that created or updated some, or an undo that restored some. */
function wroteMembers(job: DeferredResult): boolean {
  if (job.status !== "ready" || job.dry_run || job.details_expired_at || !job.result) return false;
  return "created" in job.result ? job.result.created + job.result.updated > 0 : job.result.restored > 0;
}

/** "Members changed by this import": the members list of those it wrote (known while its details are kept). */
export function ChangedMembers({ job }: { job: DeferredResult }) {
  if (!wroteMembers(job)) return null;
  return (
    <p>
      <a href={`/members?${memberQueryParams({ changedBy: job.id })}`} data-testid="changed-members">
        Members changed by this {job.source === "revert" ? "undo" : "import"}
      </a>
    </p>
  );
}
