"use client";

import type { FilePreview } from "@/lib/upload/wizard-state";
import { DataTable } from "@/components/data-table";

/** The file's first rows as read, folded away; a wide file scrolls sideways in its own box, not the page. */
export function FirstRows({ preview }: { preview: FilePreview }) {
  return (
    <details>
      <summary>Preview of the first rows</summary>
      <div className="table-scroll" role="region" aria-label="First rows, scrolling" tabIndex={0}>
        <DataTable label="Preview" columns={preview.headers}>
          {preview.rows.map((r, i) => (
            <tr key={i}>
              {r.map((c, j) => (
                <td key={j}>{c}</td>
              ))}
            </tr>
          ))}
        </DataTable>
      </div>
    </details>
  );
}
