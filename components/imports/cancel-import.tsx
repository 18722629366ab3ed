"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { cancelImportAction } from "@/lib/actions/cancel-import";
import type { DeferredResult } from "@/lib/imports/deferred-result";
import { ActionButton } from "@/components/action-button";

/**
 * "Cancel import" on a running import's page (its uploader, or an admin):
 * asks for confirmation, then stops it; the page's status then says
 * Cancelled (the engine stops it at its next batch and undoes what it merged).
 */
export function CancelImport({ job }: { job: DeferredResult }) {
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function cancel() {
    setBusy(true);
    setError(null);
    const res = await cancelImportAction(job.id).catch((e: Error) => ({ ok: false as const, error: { message: e.message } }));
    if (res.ok) {
      queryClient.setQueryData(["import", job.id], res.data);
      setConfirming(false);
    } else {
      setError(res.error.message);
    }
    setBusy(false);
  }
  return (
    <section aria-labelledby="cancel-heading">
      <h2 id="cancel-heading">Cancel</h2>
      {!confirming ? (
        <ActionButton onClick={() => setConfirming(true)}>Cancel import…</ActionButton>
      ) : (
        <>
          <p id="cancel-warning">
            Cancel this import? It stops at its next batch of rows and what it has saved so far is undone: nothing from it is kept.
          </p>
          <button type="button" className="danger" aria-describedby="cancel-warning" disabled={busy} onClick={cancel}>
            Confirm: cancel this import
          </button>{" "}
          <button type="button" disabled={busy} onClick={() => setConfirming(false)}>
            Keep it running
          </button>
        </>
      )}
      {busy && <p role="status">Cancelling: undoing what it has saved…</p>}
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
