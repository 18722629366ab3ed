"use client";

import { useEffect, useRef, useState } from "react";
import {
  deleteSavedMappingAction,
  listSavedMappingsAction,
  renameSavedMappingAction,
  saveMappingAction,
} from "@/lib/actions/saved-mappings";
import type { SavedMapping } from "@/lib/saved-mappings/saved-mapping-schema";
import { SKIP } from "@/lib/fields";
import { applySavedMapping, headersMatched } from "@/lib/upload/apply-saved-mapping";

export type SavedMappingsProps = {
  headers: string[];
  mapping: string[];
  /** header → format, saved with the mapping (opaque here). */
  formats: Record<string, unknown>;
  /** The mapping is complete (external_id chosen, no field twice). */
  canSave: boolean;
  onApply: (mapping: string[], formats: Record<string, unknown>) => void;
};

/** Which inline form is open under the saved mappings' row. */
export type SavedMappingsMode = "save" | "rename" | "delete" | null;

/** What using a saved mapping did to this file's columns, in words. */
function appliedStatus(name: string, r: ReturnType<typeof applySavedMapping>): string {
  return [
    `Used “${name}”.`,
    r.unmatched.length ? `It does not cover ${r.unmatched.map((h) => `“${h}”`).join(", ")}: check ${r.unmatched.length === 1 ? "that column" : "those columns"}.` : "",
    r.missing.length ? `It expected ${r.missing.map((h) => `“${h}”`).join(", ")}, not in this file.` : "",
  ]
    .filter(Boolean)
    .join(" ");
}

/** The list of all staff's saved mappings, loaded once. */
function useSavedMappingList(setError: (message: string) => void) {
  const [list, setList] = useState<SavedMapping[] | null>(null);
  useEffect(() => {
    let live = true;
    void listSavedMappingsAction().then((r) => {
      if (!live) return;
      if (r.ok) setList(r.data);
      else setError(r.error.message);
    });
    return () => {
      live = false;
    };
  }, [setError]);
  return [list, setList] as const;
}

/**
 * The saved mappings' workings: the list, the chosen one, the open form, and
 * choosing, saving, renaming and deleting; each form closes back onto the
 * control the user came from (`refs`).
 */
export function useSavedMappings({ headers, mapping, formats, onApply }: SavedMappingsProps) {
  const [error, setError] = useState<string | null>(null);
  const [list, setList] = useSavedMappingList(setError);
  const [chosenId, setChosenId] = useState("");
  const [mode, setMode] = useState<SavedMappingsMode>(null);
  const [status, setStatus] = useState("");
  const selectRef = useRef<HTMLSelectElement>(null);
  const saveRef = useRef<HTMLButtonElement>(null);

  const chosen = list?.find((m) => m.id === chosenId) ?? null;
  const fits = (m: SavedMapping) => headersMatched(headers, m.columns) === headers.length;

  /** Closes the open form, back onto the list or onto "Save as…". */
  function close(to: "select" | "save" = "select") {
    const focus = to === "save" ? saveRef.current : selectRef.current;
    setMode(null);
    // back to where the user was, so a keyboard user is not dropped at the page top
    requestAnimationFrame(() => focus?.focus());
  }

  function choose(id: string) {
    setChosenId(id);
    setMode(null);
    setError(null);
    const m = list?.find((x) => x.id === id);
    if (!m) return setStatus("");
    const r = applySavedMapping(headers, m, mapping);
    onApply(r.mapping, r.formats);
    setStatus(appliedStatus(m.name, r));
  }

  async function save(name: string): Promise<string | null> {
    const columns = headers.map((column, i) => ({ column, field: mapping[i] ?? SKIP }));
    const own = Object.fromEntries(Object.entries(formats).filter(([h]) => headers.includes(h)));
    const r = await saveMappingAction({ name, columns, formats: own });
    if (!r.ok) return r.error.message;
    setList((l) => [...(l ?? []), r.data].sort((a, b) => a.name.localeCompare(b.name)));
    setChosenId(r.data.id);
    setStatus(`Saved as “${r.data.name}”: everyone on the staff can now use it.`);
    close();
    return null;
  }

  async function rename(name: string): Promise<string | null> {
    if (!chosen) return null;
    const r = await renameSavedMappingAction({ id: chosen.id, name });
    if (!r.ok) return r.error.message;
    setList((l) => (l ?? []).map((m) => (m.id === r.data.id ? r.data : m)));
    setStatus(`Renamed “${chosen.name}” to “${r.data.name}”.`);
    close();
    return null;
  }

  async function remove() {
    if (!chosen) return;
    const r = await deleteSavedMappingAction({ id: chosen.id });
    if (!r.ok) return setError(r.error.message);
    setList((l) => (l ?? []).filter((m) => m.id !== chosen.id));
    setChosenId("");
    setStatus(`Deleted “${chosen.name}”. The columns keep their current choices.`);
    close();
  }

  const fitting = list?.filter(fits) ?? [];
  const others = list?.filter((m) => !fits(m)) ?? [];
  return { refs: { selectRef, saveRef }, list, fitting, others, chosenId, chosen, mode, setMode, status, error, close, choose, save, rename, remove };
}
