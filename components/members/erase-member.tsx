"use client";

import { useState, useTransition } from "react";
import { eraseMemberAction } from "@/lib/actions/members";
import { ActionButton } from "@/components/action-button";

function keptForUndo(imports: number): string {
  if (imports === 0) return "any values kept to undo imports that changed them";
  const which = imports === 1 ? "the import" : `the ${imports.toLocaleString("en-GB")} imports and undos`;
  return `the values kept to undo ${which} that changed them (an undo will leave this member out)`;
}

/**
 * "Erase this member" (admins only; the action checks it too): first what
 * erasing removes, then a confirmation. The action then opens the members
 * list, which says the member was erased.
 */
export function EraseMember({ externalId, imports }: { externalId: string; imports: number }) {
  const [asked, setAsked] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, startTransition] = useTransition();
  const erase = () =>
    startTransition(async () => {
      setError(null);
      // on success the action redirects; only a refusal comes back
      const r = await eraseMemberAction(externalId).catch((e: Error) => ({ ok: false as const, error: { message: e.message } }));
      if (r && !r.ok) setError(r.error.message);
    });
  return (
    <section aria-labelledby="erase-heading">
      <h2 id="erase-heading">Erase</h2>
      {!asked ? (
        <ActionButton onClick={() => setAsked(true)}>Erase this member…</ActionButton>
      ) : (
        <div role="group" aria-labelledby="erase-confirm-heading" data-testid="erase-confirm">
          <h3 id="erase-confirm-heading">Erasing {externalId} removes, for good:</h3>
          <ul>
            <li>the member and every value stored for them;</li>
            <li>{keptForUndo(imports)};</li>
            <li>their rows in finished imports and the details of problems that name them.</li>
          </ul>
          <p>This cannot be undone. An import still waiting to run that includes them will add them again.</p>
          <button type="button" className="danger" disabled={busy} onClick={erase}>
            Confirm: erase this member
          </button>{" "}
          <button type="button" disabled={busy} onClick={() => setAsked(false)}>
            Cancel
          </button>
          {busy && <p role="status">Erasing…</p>}
        </div>
      )}
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
