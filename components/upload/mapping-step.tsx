"use client";

import { useState, type ReactNode } from "react";
import type { CustomField } from "@/lib/custom-fields/custom-field-schema";
import { BUILTIN_FIELDS, SKIP } from "@/lib/fields";
import type { ColumnFormat } from "@/lib/formats/column-format";
import { FormatSelect } from "./format-select";
import { NewFieldForm } from "./new-field-form";
import type { ColumnFormatView } from "./use-column-formats";
import type { Preview } from "./use-csv-worker";

const NEW_FIELD = "__new__";

/**
 * Step 2: which field each column goes to (a select per column, named by its
 * header), and the first rows. "New custom field…" is offered to admins
 * only (`canCreateFields`): admins own the catalogue; staff are told whom to ask.
 */
export function MappingStep(props: {
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
}) {
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
      <table className="data" aria-label="Column mapping">
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
                <select
                  aria-label={h}
                  value={mapping[i] ?? SKIP}
                  onChange={(e) => (e.target.value === NEW_FIELD ? setCreatingFor(i) : choose(i, e.target.value))}
                >
                  <option value={SKIP}>Don’t import</option>
                  {fieldOptions.map((o) => (
                    <option key={o.value} value={o.value}>
                      {o.label}
                    </option>
                  ))}
                  {canCreateFields && <option value={NEW_FIELD}>New custom field…</option>}
                </select>
                {canCreateFields && creatingFor === i && (
                  <NewFieldForm
                    suggested={h}
                    onCancel={() => setCreatingFor(null)}
                    onCreated={(f) => {
                      props.onFieldCreated(f);
                      choose(i, f.slug);
                      setCreatingFor(null);
                    }}
                  />
                )}
              </td>
              <td>
                {props.formats?.[i] && (
                  <FormatSelect column={i} header={h} view={props.formats[i]} samples={props.samples?.[i]} onChoose={(f) => props.onFormat?.(i, f)} />
                )}
              </td>
              <td className="sample">
                {preview.rows
                  .slice(0, 3)
                  .map((r) => r[i])
                  .filter(Boolean)
                  .join(" · ")}
              </td>
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
      <details>
        <summary>Preview of the first rows</summary>
        <table className="data" aria-label="Preview">
          <thead>
            <tr>
              {preview.headers.map((h, i) => (
                <th key={i} scope="col">
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {preview.rows.map((r, i) => (
              <tr key={i}>
                {r.map((c, j) => (
                  <td key={j}>{c}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </section>
  );
}
