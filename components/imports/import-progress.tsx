"use client";

import type { DeferredResult, ImportResult, RevertResult } from "@/lib/imports/deferred-result";
import { CONFLICT_STRATEGY_LABEL, JOB_SOURCE_LABEL, PUBLIC_STATUS_LABEL } from "@/lib/vocabulary";
import { QueryProvider } from "@/components/query-provider";
import { Refused, usePoll } from "@/components/use-poll";
import { ChangedMembers } from "./changed-members";
import { ImportCounts, RevertCounts } from "./import-counts";
import { RejectedRows } from "./rejected-rows";
import { CancelImport } from "./cancel-import";
import { UndoImport } from "./undo-import";

async function readStatus(id: string): Promise<DeferredResult> {
  const r = await fetch(`/imports/${id}/status`, { cache: "no-store" });
  if (r.ok) return r.json();
  const message = (await r.json().catch(() => null))?.error?.message;
  // the app's own answer is final; anything else (a proxy's) is tried again
  throw typeof message === "string" ? new Refused(message) : new Error(`HTTP ${r.status}`);
}

type Props = { id: string; initial: DeferredResult; /** The signed-in user may cancel it (its uploader, or an admin). */ mayCancel: boolean };

function Progress({ id, initial, mayCancel }: Props) {
  const { data, error } = usePoll({ key: ["import", id], read: () => readStatus(id), again: (j) => j.status === "running", initial });
  const job = data ?? initial;
  const { processed, total } = job.progress;
  const counts: ImportResult | undefined = job.result && "created" in job.result ? job.result : undefined;
  const undone: RevertResult | undefined = job.result && "deleted" in job.result ? job.result : undefined;
  return (
    <section aria-label="Import status">
      {job.reverts && (
        <p>
          This undoes <a href={`/imports/${job.reverts}`}>an earlier import</a>.
        </p>
      )}
      {job.dry_run && <p>This was a preview (a dry run): it changed nothing.</p>}
      {/* a live region: "Running" → "Ready" is announced, the row counts are not */}
      <p role="status">
        <span className={`status status-${job.status}`} data-testid="import-status">
          {PUBLIC_STATUS_LABEL[job.status]}
        </span>{" "}
        · {JOB_SOURCE_LABEL[job.source]} · conflicts: {CONFLICT_STRATEGY_LABEL[job.conflict_strategy]}
      </p>
      {error && <p role="status">{error}</p>}
      <label className="progress">
        Progress: {processed.toLocaleString("en-GB")} of {total === null ? "…" : total.toLocaleString("en-GB")}{" "}
        {job.source === "revert" ? "members" : "rows"}
        <progress value={processed} max={total ?? undefined} />
      </label>
      {job.status === "cancelled" && (
        <p className="note">This {job.dry_run ? "preview" : "import"} was cancelled: nothing from it was saved (what it had done was undone).</p>
      )}
      {job.status === "failed" && job.error && (
        <p className="failure" role="alert">
          This {job.source === "revert" ? "undo" : "import"} failed and nothing from it was saved (what it had done was undone):{" "}
          {job.error.message}
        </p>
      )}
      {job.details_expired_at && (
        <p className="note">
          The rows and problems of this import were deleted on {new Date(job.details_expired_at).toLocaleDateString("en-GB")}, as
          the retention setting asks; its counts remain.
          {!job.revertible && !job.dry_run && job.source !== "revert" && job.status === "ready"
            ? " The data needed to undo it was deleted too: it can no longer be undone."
            : ""}
        </p>
      )}
      {counts && (
        <>
          <ImportCounts result={counts} />
          {counts.rejected > 0 && !job.details_expired_at && (
            <p>
              <a href={`/imports/${id}/rejected.csv`} download>
                Download rejected rows
              </a>{" "}
              (the original rows with the reason, ready to fix and import again)
              {job.source === "upload" && (
                <>
                  {" "}
                  or <a href={`/imports/new?from=${id}`}>Fix and import again</a> here, with the same columns
                </>
              )}
            </p>
          )}
          {counts.errors.length > 0 && <RejectedRows id={id} byRow={job.source !== "records"} first={counts} />}
        </>
      )}
      {undone && <RevertCounts result={undone} />}
      <ChangedMembers job={job} />
      {job.status === "running" && mayCancel && job.source !== "revert" && <CancelImport job={job} />}
      {job.status !== "running" && <UndoImport job={job} />}
    </section>
  );
}

export function ImportProgress(props: Props) {
  return (
    <QueryProvider>
      <Progress {...props} />
    </QueryProvider>
  );
}
