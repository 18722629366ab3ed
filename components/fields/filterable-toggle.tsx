"use client";

import { useRouter } from "next/navigation";
import { useEffect, useOptimistic, useState, useTransition } from "react";
import { setFilterableAction } from "@/lib/actions/custom-fields";
import type { CustomField } from "@/lib/custom-fields/custom-field-schema";
import { useHydrated } from "@/components/use-hydrated";

type State = { filterable: boolean; ready: boolean };

/**
 * An admin's "Filter members by it" for one field (decision 027). While its
 * index is being prepared the page is refreshed now and then, so "ready"
 * shows without a reload.
 */
export function FilterableToggle({ field, state, full }: { field: CustomField; state: State; full: boolean }) {
  const router = useRouter();
  const hydrated = useHydrated();
  const [busy, startTransition] = useTransition();
  // the box shows the admin's choice at once; the page's own state once the action has answered
  const [checked, setChecked] = useOptimistic(state.filterable);
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
          checked={checked}
          // at the limit, only fields already filterable can change (be turned off)
          disabled={!hydrated || busy || (full && !state.filterable)}
          onChange={(e) => {
            const filterable = e.target.checked;
            setError(null);
            startTransition(async () => {
              setChecked(filterable);
              const r = await setFilterableAction({ slug: field.slug, filterable });
              if (!r.ok) setError(r.error.message);
            });
          }}
        />{" "}
        Filter members by {field.label}
      </label>{" "}
      {state.filterable && <span role="status">{state.ready ? "ready" : "being prepared"}</span>}
      {error && <span className="field-error">{error}</span>}
    </>
  );
}
