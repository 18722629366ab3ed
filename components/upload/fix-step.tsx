"use client";

// Fix in place: the rows with problems in an editable grid. The rows and the
// edits live in the worker (use-csv-worker.ts fix); each edit is kept there as
// a patch and its row checked again at once with the same rules; the whole
// file's check and the upload apply the same edits. Only the rows in view
// are drawn (fixed-height rows in a scrolling box), so thousands stay smooth.
import { useEffect, useRef, useState } from "react";
import type { FixRow } from "@/lib/upload/fix-session";
import type { RowEdits } from "@/lib/upload/row-edits";
import { SKIP } from "@/lib/fields";
import type { CsvWorker, FixRun } from "./use-csv-worker";
import type { Formats } from "./worker-protocol";

const ROW_HEIGHT = 40;
const VIEW_HEIGHT = 400;
const OVERSCAN = 8;

const n = (x: number) => x.toLocaleString("en-GB");

export function FixStep(props: {
  csv: CsvWorker;
  file: File;
  headers: string[];
  mapping: string[];
  formats: Formats;
  catalog: [string, string][];
  phoneRegion: string;
  edits: RowEdits;
  onEdits: (e: RowEdits) => void;
  /** Rows with problems in the last check (the button shows when there are any). */
  problems: number;
}) {
  const { csv, file, headers, mapping, formats, catalog, phoneRegion, onEdits } = props;
  const [open, setOpen] = useState(false);
  const [rows, setRows] = useState<FixRow[] | null>(null);
  const [total, setTotal] = useState(0);
  const [scrollTop, setScrollTop] = useState(0);
  const run = useRef<FixRun | null>(null);
  // the edits a (re)load starts from; later ones come back from the worker
  const edits = useRef(props.edits);
  useEffect(() => {
    edits.current = props.edits;
  }, [props.edits]);

  useEffect(() => {
    if (!open) return;
    const timer = setTimeout(() => {
      setRows(null);
      run.current = csv.fix(
        { file, mapping, formats, catalog, phoneRegion, edits: edits.current },
        {
          rows: (r, t, e) => {
            setRows(r);
            setTotal(t);
            onEdits(e);
          },
          row: (r, e) => {
            setRows((all) => all && all.map((x) => (x.row === r.row ? r : x)));
            onEdits(e);
          },
          error: () => setRows([]),
        },
      );
    }, 0);
    return () => clearTimeout(timer);
  }, [open, csv, file, mapping, formats, catalog, phoneRegion, onEdits]);

  if (!open) {
    if (props.problems === 0) return null;
    return (
      <button type="button" onClick={() => setOpen(true)}>
        Fix the rows with problems here
      </button>
    );
  }

  const columns = mapping.flatMap((m, i) => (m === SKIP ? [] : [i]));
  const fixed = rows?.filter((r) => r.problems.length === 0).length ?? 0;
  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(rows?.length ?? 0, Math.ceil((scrollTop + VIEW_HEIGHT) / ROW_HEIGHT) + OVERSCAN);

  const commit = (row: number, column: number, before: string, value: string) => {
    if (value !== before) run.current?.patch(row, column, value);
  };

  return (
    <section aria-labelledby="step-fix">
      <h2 id="step-fix">Fix the rows with problems</h2>
      {!rows && <p>Finding the rows with problems…</p>}
      {rows && (
        <>
          <p data-testid="fix-status" aria-live="polite">
            {n(fixed)} of {n(rows.length)} {rows.length === 1 ? "row" : "rows"} fixed.
            {total > rows.length && ` The first ${n(rows.length)} of ${n(total)} rows with problems are shown.`} Your changes are
            kept with this file (the file itself is not changed) and are imported with it.
          </p>
          <ReplaceForm
            headers={headers}
            columns={columns}
            onReplace={(column, from, to) => {
              setRows(null);
              run.current?.replace(column, from, to);
            }}
          />
          <div
            className="fix-grid"
            style={{ maxHeight: VIEW_HEIGHT, overflowY: "auto" }}
            onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
            tabIndex={0}
            role="region"
            aria-label="Scrolling grid"
          >
            <table className="data" aria-label="Rows with problems" aria-rowcount={rows.length + 1}>
              <thead>
                <tr>
                  <th scope="col">Row</th>
                  {columns.map((c) => (
                    <th key={c} scope="col">
                      {headers[c]}
                    </th>
                  ))}
                  <th scope="col">Problems</th>
                </tr>
              </thead>
              <tbody>
                {first > 0 && <tr aria-hidden="true" style={{ height: first * ROW_HEIGHT }} />}
                {rows.slice(first, last).map((r, k) => (
                  <tr key={r.row} style={{ height: ROW_HEIGHT }} aria-rowindex={first + k + 2} data-testid={`fix-row-${r.row}`}>
                    <th scope="row">{r.row}</th>
                    {columns.map((c) => {
                      const problem = r.problems.find((p) => p.column === c);
                      const value = r.cells[c] ?? "";
                      return (
                        <td key={c}>
                          <input
                            key={value}
                            defaultValue={value}
                            aria-label={`Row ${r.row}, ${headers[c]}`}
                            aria-invalid={problem ? true : undefined}
                            title={problem?.message}
                            onBlur={(e) => commit(r.row, c, value, e.currentTarget.value)}
                            onKeyDown={(e) => {
                              if (e.key === "Enter") commit(r.row, c, value, e.currentTarget.value);
                            }}
                          />
                        </td>
                      );
                    })}
                    <td>{r.problems.length === 0 ? <span className="ok">Fixed</span> : r.problems.map((p) => p.message).join("; ")}</td>
                  </tr>
                ))}
                {last < rows.length && <tr aria-hidden="true" style={{ height: (rows.length - last) * ROW_HEIGHT }} />}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}

/** "Replace everywhere": in one column, every cell holding a value gets another. */
function ReplaceForm({ headers, columns, onReplace }: { headers: string[]; columns: number[]; onReplace: (column: number, from: string, to: string) => void }) {
  const [column, setColumn] = useState(columns[0] ?? 0);
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  return (
    <form
      aria-label="Replace everywhere"
      className="replace"
      onSubmit={(e) => {
        e.preventDefault();
        if (from.trim() === "") return;
        onReplace(column, from, to);
      }}
    >
      <label>
        In the column{" "}
        <select value={column} onChange={(e) => setColumn(Number(e.target.value))}>
          {columns.map((c) => (
            <option key={c} value={c}>
              {headers[c]}
            </option>
          ))}
        </select>
      </label>{" "}
      <label>
        replace <input value={from} onChange={(e) => setFrom(e.target.value)} />
      </label>{" "}
      <label>
        with <input value={to} onChange={(e) => setTo(e.target.value)} placeholder="(blank)" />
      </label>{" "}
      <button type="submit">Replace everywhere</button>
      <span className="hint"> in the whole file, not only the rows shown.</span>
    </form>
  );
}
