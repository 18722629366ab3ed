"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { planRevertAction, revertImportAction } from "@/lib/actions/undo-import";
import type { DeferredResult } from "@/lib/imports/deferred-result";
import type { RevertPlan } from "@/lib/imports/revert-plan";
import { revertability } from "@/lib/imports/revertability";
import { RevertPlanView } from "./revert-plan-view";
import { ActionButton } from "@/components/action-button";

/**
 * "Undo this import": shows first what undoing it would delete, restore and
 * leave as it is (and why), asks for confirmation, then opens the undo's own
 * page (its progress and result). Says why when it cannot be undone.
 */
export function UndoImport({ job }: { job: DeferredResult }) {
  const router = useRouter();
  const [plan, setPlan] = useState<RevertPlan | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const r = revertability(job);
  if (!r.can) {
    return (
      <section aria-labelledby="undo-heading">
        <h2 id="undo-heading">Undo</h2>
        {"revertedBy" in r ? (
          <p>
            This import was undone: <a href={`/imports/${r.revertedBy}`}>see the undo</a>.
          </p>
        ) : (
          <p data-testid="undo-unavailable">{r.why}</p>
        )}
      </section>
    );
  }
  async function act<T>(fn: () => Promise<{ ok: true; data: T } | { ok: false; error: { message: string } }>, then: (t: T) => void) {
    setBusy(true);
    setError(null);
    const res = await fn().catch((e: Error) => ({ ok: false as const, error: { message: e.message } }));
    if (res.ok) then(res.data);
    else setError(res.error.message);
    setBusy(false);
  }
  return (
    <section aria-labelledby="undo-heading">
      <h2 id="undo-heading">Undo</h2>
      {!plan && (
        <ActionButton disabled={busy} onClick={() => act(() => planRevertAction(job.id), setPlan)}>
          Undo this import…
        </ActionButton>
      )}
      {busy && !plan && <p role="status">Working out what undoing it would do…</p>}
      {plan && (
        <>
          <RevertPlanView plan={plan} />
          <p>If any of these members change before the undo runs, it leaves them as they are.</p>
          <button
            type="button"
            className="danger"
            disabled={busy || plan.total === 0}
            onClick={() => act(() => revertImportAction(job.id), (d) => router.push(`/imports/${d.id}`))}
          >
            Confirm: undo this import
          </button>{" "}
          <button type="button" disabled={busy} onClick={() => setPlan(null)}>
            Cancel
          </button>
        </>
      )}
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
