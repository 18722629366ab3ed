"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useEffect, useRef, useState } from "react";
import { useForm } from "react-hook-form";
import type { z } from "zod";
import {
  deleteSavedMappingAction,
  listSavedMappingsAction,
  renameSavedMappingAction,
  saveMappingAction,
} from "@/lib/actions/saved-mappings";
import { mappingNameFormSchema, MAX_MAPPING_NAME, type SavedMapping } from "@/lib/saved-mappings/saved-mapping-schema";
import { SKIP } from "@/lib/fields";
import { applySavedMapping, headersMatched } from "@/lib/upload/apply-saved-mapping";

type NameForm = z.input<typeof mappingNameFormSchema>;

/** The name form of "Save as…" and "Rename…" (react-hook-form + the server's own zod schema). */
export function NameForm(props: {
  label: string;
  submit: string;
  initial: string;
  onSubmit: (name: string) => Promise<string | null>;
  onCancel: () => void;
}) {
  const { register, handleSubmit, setError, formState } = useForm<NameForm, unknown, z.output<typeof mappingNameFormSchema>>({
    resolver: zodResolver(mappingNameFormSchema),
    defaultValues: { name: props.initial },
  });
  const error = formState.errors.name?.message;
  return (
    <form
      className="inline-form"
      aria-label={props.label}
      onSubmit={handleSubmit(async ({ name }) => {
        const problem = await props.onSubmit(name);
        if (problem) setError("name", { message: problem });
      })}
    >
      <label>
        Name{" "}
        <input
          {...register("name")}
          autoFocus
          maxLength={MAX_MAPPING_NAME + 20}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? "mapping-name-error" : undefined}
        />
      </label>
      <button type="submit" disabled={formState.isSubmitting}>
        {props.submit}
      </button>
      <button type="button" onClick={props.onCancel}>
        Cancel
      </button>
      {error && (
        <span id="mapping-name-error" className="field-error" role="alert">
          {error}
        </span>
      )}
    </form>
  );
}

/**
 * "Saved mappings" in the mapping step: choose one (applied at once, by
 * header), save the current mapping under a name, rename or delete one
 * (its author or an admin: `canChange`). Shared by all staff.
 */
export function SavedMappings(props: {
  headers: string[];
  mapping: string[];
  /** header → format, saved with the mapping (opaque here). */
  formats: Record<string, unknown>;
  /** The mapping is complete (external_id chosen, no field twice). */
  canSave: boolean;
  onApply: (mapping: string[], formats: Record<string, unknown>) => void;
}) {
  const { headers, mapping, formats } = props;
  const [list, setList] = useState<SavedMapping[] | null>(null);
  const [chosenId, setChosenId] = useState("");
  const [mode, setMode] = useState<"save" | "rename" | "delete" | null>(null);
  const [status, setStatus] = useState("");
  const [error, setError] = useState<string | null>(null);
  const selectRef = useRef<HTMLSelectElement>(null);
  const saveRef = useRef<HTMLButtonElement>(null);

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
  }, []);

  const chosen = list?.find((m) => m.id === chosenId) ?? null;
  const fits = (m: SavedMapping) => headersMatched(headers, m.columns) === headers.length;
  const fitting = list?.filter(fits) ?? [];
  const others = list?.filter((m) => !fits(m)) ?? [];

  function close(focus: HTMLElement | null) {
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
    props.onApply(r.mapping, r.formats);
    setStatus(
      [
        `Used “${m.name}”.`,
        r.unmatched.length ? `It does not cover ${r.unmatched.map((h) => `“${h}”`).join(", ")}: check ${r.unmatched.length === 1 ? "that column" : "those columns"}.` : "",
        r.missing.length ? `It expected ${r.missing.map((h) => `“${h}”`).join(", ")}, not in this file.` : "",
      ]
        .filter(Boolean)
        .join(" "),
    );
  }

  async function save(name: string): Promise<string | null> {
    const columns = headers.map((column, i) => ({ column, field: mapping[i] ?? SKIP }));
    const own = Object.fromEntries(Object.entries(formats).filter(([h]) => headers.includes(h)));
    const r = await saveMappingAction({ name, columns, formats: own });
    if (!r.ok) return r.error.message;
    setList((l) => [...(l ?? []), r.data].sort((a, b) => a.name.localeCompare(b.name)));
    setChosenId(r.data.id);
    setStatus(`Saved as “${r.data.name}”: everyone on the staff can now use it.`);
    close(selectRef.current);
    return null;
  }

  async function rename(name: string): Promise<string | null> {
    if (!chosen) return null;
    const r = await renameSavedMappingAction({ id: chosen.id, name });
    if (!r.ok) return r.error.message;
    setList((l) => (l ?? []).map((m) => (m.id === r.data.id ? r.data : m)));
    setStatus(`Renamed “${chosen.name}” to “${r.data.name}”.`);
    close(selectRef.current);
    return null;
  }

  async function remove() {
    if (!chosen) return;
    const r = await deleteSavedMappingAction({ id: chosen.id });
    if (!r.ok) return setError(r.error.message);
    setList((l) => (l ?? []).filter((m) => m.id !== chosen.id));
    setChosenId("");
    setStatus(`Deleted “${chosen.name}”. The columns keep their current choices.`);
    close(selectRef.current);
  }

  const option = (m: SavedMapping) => (
    <option key={m.id} value={m.id}>
      {m.name}
      {m.createdBy ? ` (saved by ${m.createdBy})` : ""}
    </option>
  );

  return (
    <div className="saved-mappings" role="group" aria-labelledby="saved-mappings-title">
      <h3 id="saved-mappings-title">Saved mappings</h3>
      <div className="saved-mappings-row">
        <label htmlFor="saved-mapping">Use a saved mapping</label>
        <select id="saved-mapping" ref={selectRef} value={chosenId} onChange={(e) => choose(e.target.value)} disabled={!list}>
          <option value="">{list === null ? "Loading…" : list.length ? "Choose one…" : "None saved yet"}</option>
          {fitting.length > 0 && <optgroup label="Made for these columns">{fitting.map(option)}</optgroup>}
          {others.length > 0 && <optgroup label={fitting.length ? "Other saved mappings" : "Saved mappings"}>{others.map(option)}</optgroup>}
        </select>
        <button type="button" ref={saveRef} onClick={() => setMode("save")} disabled={!props.canSave || mode === "save"}>
          Save as…
        </button>
        {chosen?.canChange && (
          <>
            <button type="button" onClick={() => setMode("rename")} aria-label={`Rename “${chosen.name}”`}>
              Rename…
            </button>
            <button type="button" onClick={() => setMode("delete")} aria-label={`Delete “${chosen.name}”`}>
              Delete…
            </button>
          </>
        )}
      </div>
      {!props.canSave && <p className="hint">A mapping can be saved once its columns are complete (external_id chosen, no field twice).</p>}
      {chosen && !chosen.canChange && (
        <p className="hint">Only {chosen.createdBy ?? "its author"} or an admin can rename or delete “{chosen.name}”.</p>
      )}
      {mode === "save" && (
        <NameForm label="Save this mapping as" submit="Save" initial="" onSubmit={save} onCancel={() => close(saveRef.current)} />
      )}
      {mode === "rename" && chosen && (
        <NameForm label={`Rename “${chosen.name}”`} submit="Rename" initial={chosen.name} onSubmit={rename} onCancel={() => close(selectRef.current)} />
      )}
      {mode === "delete" && chosen && (
        <div className="inline-form" role="group" aria-label={`Delete “${chosen.name}”`}>
          <p>
            Delete “{chosen.name}” for everyone? Imports already made with it do not change.
          </p>
          <button type="button" className="danger" onClick={remove} autoFocus>
            Delete it
          </button>
          <button type="button" onClick={() => close(selectRef.current)}>
            Cancel
          </button>
        </div>
      )}
      <p role="status" data-testid="saved-mapping-status">
        {status}
      </p>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
