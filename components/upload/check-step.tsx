"use client";

import type { CheckState } from "@/lib/upload/wizard-state";

const n = (x: number) => x.toLocaleString("en-GB");

/** Step 3: the whole file checked with the server's rules, before anything is imported. */
export function CheckStep({
  check,
  onDownloadProblemRows,
  scanning,
}: {
  check: CheckState;
  onDownloadProblemRows: () => void;
  /** Rows read so far by the formats' scan of every column, which comes first; null when done. */
  scanning?: number | null;
}) {
  const summary = check.state === "done" ? check.summary : undefined;
  return (
    <section aria-labelledby="step-check">
      <h2 id="step-check">3. Check</h2>
      {/* Said once when the check starts and once when it ends, not on every count. */}
      <p role="status" className="visually-hidden" data-testid="check-status">
        {check.state === "running" ? "Checking the file…" : summary ? `Check finished: ${n(summary.rowsChecked)} rows, ${n(summary.rowsWithProblems)} with problems.` : ""}
      </p>
      {scanning != null && <p>Reading how each column is written… {n(scanning)} rows so far</p>}
      {check.state === "running" && <p>Checking… {n(check.rows)} rows so far</p>}
      {summary && (
        <div data-testid="check-summary">
          <p>
            {n(summary.rowsChecked)} {summary.rowsChecked === 1 ? "row" : "rows"} checked;{" "}
            {summary.rowsWithProblems === 0
              ? "no rows with problems."
              : `${n(summary.rowsWithProblems)} ${summary.rowsWithProblems === 1 ? "has problems and" : "have problems and"} will be rejected.`}
            {summary.rowsInConflict > 0 && ` ${n(summary.rowsInConflict)} more share an email or phone number with another member in this file.`}{" "}
            Rows can also collide with members already stored: the preview lists them.
          </p>
          <ul className="problems">
            {summary.problems.map((p) => (
              <li key={p.key}>
                <strong>
                  {n(p.rows)} {p.rows === 1 ? "row" : "rows"}: {p.label}
                </strong>
                <ul>
                  {p.examples.map((e) => (
                    <li key={e.row}>
                      Row {e.row}
                      {e.externalId ? ` (${e.externalId})` : ""}: {e.message}
                    </li>
                  ))}
                </ul>
              </li>
            ))}
          </ul>
          {summary.rowsWithProblems > 0 && (
            <button type="button" onClick={onDownloadProblemRows}>
              Download rows with problems
            </button>
          )}
        </div>
      )}
    </section>
  );
}
