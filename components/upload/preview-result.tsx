"use client";

import type { ImportResult } from "@/lib/imports/deferred-result";
import type { Preview } from "@/lib/imports/preview";
import { countOfField } from "@/lib/fields";
import { RejectedRows } from "@/components/imports/rejected-rows";
import { PreviewConflicts } from "./preview-conflicts";

const n = (x: number) => x.toLocaleString("en-GB");

/** What the import would do: new, updated (per field), unchanged; conflicts; problems (paged through the wizard's react-query). */
export function PreviewResult({ preview, customLabels }: { preview: Preview; customLabels: ReadonlyMap<string, string> }) {
  const result = preview.job.result as ImportResult; // a ready preview: an import's result
  const clears = preview.ready!.fieldClears;
  const fields = Object.entries(result.field_changes).sort((a, b) => b[1] - a[1]);
  return (
    <div data-testid="preview-result">
      <h3>If you start this import now</h3>
      <dl className="counts">
        <div>
          <dt>New members</dt>
          <dd data-testid="preview-created">{n(result.created)}</dd>
        </div>
        <div>
          <dt>Updated</dt>
          <dd data-testid="preview-updated">{n(result.updated)}</dd>
        </div>
        <div>
          <dt>Unchanged</dt>
          <dd data-testid="preview-unchanged">{n(result.unchanged)}</dd>
        </div>
        <div>
          <dt>Rejected rows</dt>
          <dd data-testid="preview-rejected">{n(result.rejected)}</dd>
        </div>
      </dl>
      {fields.length > 0 && (
        <>
          <h4>What changes for the updated members</h4>
          <ul data-testid="preview-field-changes">
            {fields.map(([key, count]) => (
              <li key={key}>
                {countOfField(key, count, customLabels)} change
                {Object.hasOwn(clears, key) && clears[key] > 0 ? `, ${n(clears[key])} cleared` : ""}
              </li>
            ))}
          </ul>
        </>
      )}
      <PreviewConflicts conflicts={preview.ready!.conflicts} />
      {result.errors.length > 0 && (
        <RejectedRows id={preview.job.id} byRow first={result} />
      )}
      <p>Members may change before the import runs; it is judged again in its turn.</p>
    </div>
  );
}
