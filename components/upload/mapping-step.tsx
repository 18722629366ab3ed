"use client";

import { useState, type ReactNode } from "react";
import type { CustomField } from "@/lib/custom-fields/custom-field-schema";
import { BUILTIN_FIELDS, SKIP } from "@/lib/fields";
import type { ColumnFormat } from "@/lib/formats/column-format";
import { FirstRows } from "./first-rows";
import { FormatSelect } from "./format-select";
import { NewFieldForm } from "./new-field-form";
import type { ColumnFormatView } from "./use-column-formats";
import type { Preview } from "./use-csv-worker";

const NEW_FIELD = "__new__";

type MappingStepProps = {
  preview: Preview;
  mapping: string[];
  onMapping: (next: string[]) => void;
  fields: CustomField[];
  onFieldCreated: (f: CustomField) => void;
  canCreateFields: boolean;
  remembered: boolean;
  error: string | null;
  /** The "Saved mappings" controls (saved-mappings.tsx), shown above the columns. */
  savedMappings?: ReactNode;
  /** Each column's format (use-column-formats.ts), with a few values as read → as sent from the last check. */
  formats?: ColumnFormatView[];
  samples?: [string, string][][];
  onFormat?: (column: number, format: ColumnFormat) => void;
};

/** A column's first few values. */
const firstValues = (preview: Preview, column: number) => preview.rows.slice(0, 3).flatMap((r) => (r[column] ? [r[column]] : []));

/**
 * Step 2: which field each column goes to (a select per column, named by its
 * header), and the first rows. "New custom field…" is offered to admins
 * only (`canCreateFields`): admins own the catalogue; staff are told whom to ask.
 */
export function MappingStep(props: MappingStepProps) {
  const { preview, mapping, onMapping, fields, canCreateFields, remembered, error } = props;
  const [creatingFor, setCreatingFor] = useState<number | null>(null);
  const fieldOptions = [
    ...BUILTIN_FIELDS.map((f) => ({ value: f.key, label: f.label })),
    ...fields.map((f) => ({ value: f.slug, label: `${f.label} (${f.slug})` })),
  ];
  const choose = (i: number, value: string) => {
    const next = [...mapping];
    next[i] = value;
    onMapping(next);
  };

  return (
    <section aria-labelledby="step-map">
      <h2 id="step-map">2. Match the columns</h2>
      {remembered && <p className="note">We used the choices you made last time for a file with these columns.</p>}
      {props.savedMappings}
      <table className="data column-mapping" aria-label="Column mapping">
        <thead>
          <tr>
            <th scope="col">Column in your file</th>
            <th scope="col">Goes to</th>
            <th scope="col">Read as</th>
            <th scope="col">First values</th>
          </tr>
        </thead>
        <tbody>
          {preview.headers.map((h, i) => (
            <tr key={i}>
              <th scope="row">{h}</th>
              <td>
                <FieldChoice
                  header={h}
                  value={mapping[i] ?? SKIP}
                  options={fieldOptions}
                  canCreateFields={canCreateFields}
                  creating={creatingFor === i}
                  onCreating={(on) => setCreatingFor(on ? i : null)}
                  onChoose={(value) => choose(i, value)}
                  onFieldCreated={props.onFieldCreated}
                />
              </td>
              <td>
                {props.formats?.[i] && (
                  <FormatSelect column={i} header={h} view={props.formats[i]} samples={props.samples?.[i]} onChoose={(f) => props.onFormat?.(i, f)} />
                )}
              </td>
              <td className="sample">{firstValues(preview, i).join(" · ")}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {!canCreateFields && (
        <p className="hint" data-testid="new-field-admins-only">
          A column that fits no field here needs a new custom field, which only admins add: ask one of your admins, or
          choose “Don’t import”.
        </p>
      )}
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      <FirstRows preview={preview} />
    </section>
  );
}

/** Where one column goes: a field, "Don’t import", or (admins) a new custom field made on the spot. */
function FieldChoice(props: {
  header: string;
  value: string;
  options: { value: string; label: string }[];
  canCreateFields: boolean;
  /** This column's new-field form is open (one column's at a time). */
  creating: boolean;
  onCreating: (on: boolean) => void;
  onChoose: (value: string) => void;
  onFieldCreated: (f: CustomField) => void;
}) {
  return (
    <>
      <select
        aria-label={props.header}
        value={props.value}
        onChange={(e) => (e.target.value === NEW_FIELD ? props.onCreating(true) : props.onChoose(e.target.value))}
      >
        <option value={SKIP}>Don’t import</option>
        {props.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
        {props.canCreateFields && <option value={NEW_FIELD}>New custom field…</option>}
      </select>
      {props.canCreateFields && props.creating && (
        <NewFieldForm
          suggested={props.header}
          onCancel={() => props.onCreating(false)}
          onCreated={(f) => {
            props.onFieldCreated(f);
            props.onChoose(f.slug);
            props.onCreating(false);
          }}
        />
      )}
    </>
  );
}
