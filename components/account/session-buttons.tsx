"use client";

import { useState } from "react";
import { ActionButton } from "@/components/action-button";
import { endOtherSessionsAction, endSessionAction } from "@/lib/actions/account";
import type { ActionResult } from "@/lib/http/action-result";

/** A button that runs an action once, busy meanwhile, with the refusal beside it; the page re-renders on success (revalidatePath). */
function RunButton({ run, label, children }: { run: () => Promise<ActionResult<void>>; label?: string; children: string }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <>
      <ActionButton
        className="secondary"
        aria-label={label}
        disabled={busy}
        aria-busy={busy || undefined}
        onClick={async () => {
          setBusy(true);
          setError(null);
          const r = await run();
          setBusy(false);
          if (!r.ok) setError(r.error.message);
        }}
      >
        {children}
      </ActionButton>
      {error && (
        <span className="field-error" role="alert">
          {error}
        </span>
      )}
    </>
  );
}

export function EndSession({ id, device }: { id: string; device: string }) {
  return (
    <RunButton run={() => endSessionAction(id)} label={`Sign out ${device}`}>
      Sign out
    </RunButton>
  );
}

export function EndOtherSessions() {
  return <RunButton run={() => endOtherSessionsAction(undefined)}>Sign out all other sessions</RunButton>;
}
