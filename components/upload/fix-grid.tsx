"use client";

// The rows with problems as an editable grid. Each row's number and its
// problems stay at the left while the file's columns scroll sideways
// (sticky cells), and when the rows load the first bad cell is scrolled into
// view beside them. Only the rows in view are drawn (rows of one fixed
// height in a scrolling box), so thousands stay smooth.
import { useLayoutEffect, useRef, useState } from "react";
import type { FixRow } from "@/lib/upload/fix-session";

const ROW_HEIGHT = 40;
const VIEW_HEIGHT = 400;
const OVERSCAN = 8;
/** Room left beside the sticky cells when a bad cell is brought into view. */
const MARGIN = 16;

/** Scrolls the grid sideways so its first bad cell shows beside the sticky cells, if it is out of view. */
function revealFirstProblem(grid: HTMLElement | null) {
  const cell = grid?.querySelector("td[data-problem]");
  const sticky = grid?.querySelector("tbody .fix-problems");
  if (!grid || !cell || !sticky) return;
  const view = grid.getBoundingClientRect();
  const c = cell.getBoundingClientRect();
  if (c.right > view.right) grid.scrollLeft += c.left - sticky.getBoundingClientRect().right - MARGIN;
}

export function FixGrid({
  rows,
  headers,
  columns,
  onCommit,
}: {
  rows: FixRow[];
  headers: string[];
  /** The file's columns shown (those imported). */
  columns: number[];
  /** A cell left or entered: its value when drawn and now. */
  onCommit: (row: number, column: number, before: string, value: string) => void;
}) {
  const grid = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  // once per load (the grid is drawn anew for each): later edits leave the view where the user put it
  useLayoutEffect(() => revealFirstProblem(grid.current), []);
  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(rows.length, Math.ceil((scrollTop + VIEW_HEIGHT) / ROW_HEIGHT) + OVERSCAN);

  return (
    <div
      ref={grid}
      className="fix-grid"
      style={{ maxHeight: VIEW_HEIGHT }}
      onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
      tabIndex={0}
      role="region"
      aria-label="Scrolling grid"
    >
      <table className="data" aria-label="Rows with problems" aria-rowcount={rows.length + 1}>
        <thead>
          <tr>
            <th scope="col" className="fix-row-no">
              Row
            </th>
            <th scope="col" className="fix-problems">
              Problems
            </th>
            {columns.map((c) => (
              <th key={c} scope="col">
                {headers[c]}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {first > 0 && <tr aria-hidden="true" style={{ height: first * ROW_HEIGHT }} />}
          {rows.slice(first, last).map((r, k) => (
            <GridRow key={r.row} r={r} rowIndex={first + k + 2} headers={headers} columns={columns} onCommit={onCommit} />
          ))}
          {last < rows.length && <tr aria-hidden="true" style={{ height: (rows.length - last) * ROW_HEIGHT }} />}
        </tbody>
      </table>
    </div>
  );
}

function GridRow({
  r,
  rowIndex,
  headers,
  columns,
  onCommit,
}: {
  r: FixRow;
  rowIndex: number;
  headers: string[];
  columns: number[];
  onCommit: (row: number, column: number, before: string, value: string) => void;
}) {
  const problemsId = `fix-problems-${r.row}`;
  const text = r.problems.map((p) => p.message).join("; ");
  return (
    <tr style={{ height: ROW_HEIGHT }} aria-rowindex={rowIndex} data-testid={`fix-row-${r.row}`}>
      <th scope="row" className="fix-row-no">
        {r.row}
      </th>
      <td className="fix-problems" id={problemsId} title={text || undefined}>
        <div>{r.problems.length === 0 ? <span className="ok">Fixed</span> : text}</div>
      </td>
      {columns.map((c) => {
        const problem = r.problems.find((p) => p.column === c);
        const value = r.cells[c] ?? "";
        return (
          <td key={c} data-problem={problem ? "" : undefined}>
            <input
              key={value}
              defaultValue={value}
              aria-label={`Row ${r.row}, ${headers[c]}`}
              aria-invalid={problem ? true : undefined}
              aria-describedby={problem ? problemsId : undefined}
              title={problem?.message}
              onBlur={(e) => onCommit(r.row, c, value, e.currentTarget.value)}
              onKeyDown={(e) => {
                if (e.key === "Enter") onCommit(r.row, c, value, e.currentTarget.value);
              }}
            />
          </td>
        );
      })}
    </tr>
  );
}
