"use client";

import type { SavedMapping } from "@/lib/saved-mappings/saved-mapping-schema";
import { NameForm } from "@/components/mappings/name-form";
import { useSavedMappings, type SavedMappingsProps } from "./use-saved-mappings";

type Workings = Omit<ReturnType<typeof useSavedMappings>, "refs">;
type Refs = ReturnType<typeof useSavedMappings>["refs"];

const option = (m: SavedMapping) => (
  <option key={m.id} value={m.id}>
    {m.name}
    {m.createdBy ? ` (saved by ${m.createdBy})` : ""}
  </option>
);

/** The row of controls: the saved mappings to choose from (those made for these columns first), "Save as…", and the chosen one's "Rename…" and "Delete…". */
function MappingPicker({ w, selectRef, saveRef, canSave }: { w: Workings; canSave: boolean } & Refs) {
  const { list, fitting, others, chosen } = w;
  return (
    <div className="saved-mappings-row">
      <label htmlFor="saved-mapping">Use a saved mapping</label>
      <select id="saved-mapping" ref={selectRef} value={w.chosenId} onChange={(e) => w.choose(e.target.value)} disabled={!list}>
        <option value="">{list === null ? "Loading…" : list.length ? "Choose one…" : "None saved yet"}</option>
        {fitting.length > 0 && <optgroup label="Made for these columns">{fitting.map(option)}</optgroup>}
        {others.length > 0 && <optgroup label={fitting.length ? "Other saved mappings" : "Saved mappings"}>{others.map(option)}</optgroup>}
      </select>
      <button type="button" ref={saveRef} onClick={() => w.setMode("save")} disabled={!canSave || w.mode === "save"}>
        Save as…
      </button>
      {chosen?.canChange && (
        <>
          <button type="button" onClick={() => w.setMode("rename")} aria-label={`Rename “${chosen.name}”`}>
            Rename…
          </button>
          <button type="button" onClick={() => w.setMode("delete")} aria-label={`Delete “${chosen.name}”`}>
            Delete…
          </button>
        </>
      )}
    </div>
  );
}

/** The open inline form: save as, rename, or confirm a delete. */
function MappingForm({ w }: { w: Workings }) {
  const { mode, chosen } = w;
  const back = () => w.close();
  if (mode === "save") return <NameForm label="Save this mapping as" submit="Save" initial="" onSubmit={w.save} onCancel={() => w.close("save")} />;
  if (!chosen) return null;
  if (mode === "rename") return <NameForm label={`Rename “${chosen.name}”`} submit="Rename" initial={chosen.name} onSubmit={w.rename} onCancel={back} />;
  if (mode !== "delete") return null;
  return (
    <div className="inline-form" role="group" aria-label={`Delete “${chosen.name}”`}>
      <p>
        Delete “{chosen.name}” for everyone? Imports already made with it do not change.
      </p>
      <button type="button" className="danger" onClick={w.remove} autoFocus>
        Delete it
      </button>
      <button type="button" onClick={back}>
        Cancel
      </button>
    </div>
  );
}

/**
 * "Saved mappings" in the mapping step: choose one (applied at once, by
 * header), save the current mapping under a name, rename or delete one
 * (its author or an admin: `canChange`). Shared by all staff.
 */
export function SavedMappings(props: SavedMappingsProps) {
  const { refs, ...w } = useSavedMappings(props);
  const { chosen } = w;
  return (
    <div className="saved-mappings" role="group" aria-labelledby="saved-mappings-title">
      <h3 id="saved-mappings-title">Saved mappings</h3>
      <MappingPicker w={w} selectRef={refs.selectRef} saveRef={refs.saveRef} canSave={props.canSave} />
      {!props.canSave && <p className="hint">A mapping can be saved once its columns are complete (external_id chosen, no field twice).</p>}
      {chosen && !chosen.canChange && (
        <p className="hint">Only {chosen.createdBy ?? "its author"} or an admin can rename or delete “{chosen.name}”.</p>
      )}
      <MappingForm w={w} />
      <p role="status" data-testid="saved-mapping-status">
        {w.status}
      </p>
      {w.error && (
        <p className="field-error" role="alert">
          {w.error}
        </p>
      )}
    </div>
  );
}
