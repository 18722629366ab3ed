"use client";

import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { setFilterableAction } from "@/lib/actions/custom-fields";
import type { CustomField } from "@/lib/custom-fields/custom-field-schema";

type State = { filterable: boolean; ready: boolean };

/** What a field's filter index is doing, in words. */
export function filterStateText({ filterable, ready }: State): string {
  if (!filterable) return "No";
  return ready ? "Yes, ready" : "Yes, being prepared";
}

/**
 * An admin's "Filter members by it" for one field (decision 027). While its
 * index is being prepared the page is refreshed now and then, so "ready"
 * shows without a reload.
 */
export function FilterableToggle({ field, state, full }: { field: CustomField; state: State; full: boolean }) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const preparing = state.filterable && !state.ready;
  useEffect(() => {
    if (!preparing) return;
    const timer = setInterval(() => router.refresh(), 5_000);
    return () => clearInterval(timer);
  }, [preparing, router]);
  return (
    <>
      <label>
        <input
          type="checkbox"
          checked={state.filterable}
          // at the limit, only fields already filterable can change (be turned off)
          disabled={busy || (full && !state.filterable)}
          onChange={async (e) => {
            setBusy(true);
            setError(null);
            const r = await setFilterableAction({ slug: field.slug, filterable: e.target.checked });
            setBusy(false);
            if (!r.ok) setError(r.error.message);
          }}
        />{" "}
        Filter members by {field.label}
      </label>{" "}
      {state.filterable && <span role="status">{state.ready ? "ready" : "being prepared"}</span>}
      {error && <span className="field-error">{error}</span>}
    </>
  );
}
