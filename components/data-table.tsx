import type { ReactNode } from "react";

type Sorted = { column: number; dir: "ascending" | "descending" };

/** A table of the app's pages: named for screen readers, a header cell a column (`sorted`: the one the rows are in the order of), then the rows given. */
export function DataTable(props: { label: string; columns: ReactNode[]; sorted?: Sorted; busy?: boolean; children: ReactNode }) {
  const { label, columns, sorted, busy, children } = props;
  return (
    <table className="data" aria-label={label}>
      <thead>
        <tr>
          {columns.map((c, i) => (
            <th key={i} scope="col" aria-sort={sorted?.column === i ? sorted.dir : undefined}>
              {c}
            </th>
          ))}
        </tr>
      </thead>
      <tbody aria-busy={busy}>{children}</tbody>
    </table>
  );
}
