import type { ReactNode } from "react";

/** A table of the app's pages: named for screen readers, a header cell a column, then the rows given. */
export function DataTable({ label, columns, busy, children }: { label: string; columns: ReactNode[]; busy?: boolean; children: ReactNode }) {
  return (
    <table className="data" aria-label={label}>
      <thead>
        <tr>
          {columns.map((c, i) => (
            <th key={i} scope="col">
              {c}
            </th>
          ))}
        </tr>
      </thead>
      <tbody aria-busy={busy}>{children}</tbody>
    </table>
  );
}
