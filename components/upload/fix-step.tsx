"use client";

// Fix in place: the rows with problems in an editable grid (fix-grid.tsx).
// The rows and the edits live in the worker (use-csv-worker.ts fix); each
// edit is kept there as a patch and its row checked again at once with the
// same rules; the whole file's check and the upload apply the same edits.
import { useEffect, useRef, useState } from "react";
import type { FixRow } from "@/lib/upload/fix-session";
import type { RowEdits } from "@/lib/upload/row-edits";
import { SKIP } from "@/lib/fields";
import { FixGrid } from "./fix-grid";
import type { CsvWorker, FixRun } from "./use-csv-worker";
import type { Formats } from "./worker-protocol";

const n = (x: number) => x.toLocaleString("en-GB");

type FixStepProps = {
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
};

/** The worker's fix session, loaded once opened and again whenever the file or how it is read changes; null rows while loading. */
function useFixSession(open: boolean, props: FixStepProps) {
  const { csv, file, mapping, formats, catalog, phoneRegion, onEdits } = props;
  const [rows, setRows] = useState<FixRow[] | null>(null);
  const [total, setTotal] = useState(0);
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

  return {
    rows,
    total,
    patch: (row: number, column: number, before: string, value: string) => {
      if (value !== before) run.current?.patch(row, column, value);
    },
    replace: (column: number, from: string, to: string) => {
      setRows(null);
      run.current?.replace(column, from, to);
    },
  };
}

export function FixStep(props: FixStepProps) {
  const [open, setOpen] = useState(false);
  const { rows, total, patch, replace } = useFixSession(open, props);
  const { headers, mapping } = props;
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
          <ReplaceForm headers={headers} columns={columns} onReplace={replace} />
          <FixGrid rows={rows} headers={headers} columns={columns} onCommit={patch} />
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
