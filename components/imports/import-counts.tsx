"use client";

import type { ImportResult, RevertResult } from "@/lib/imports/deferred-result";

type Count = [label: string, value: number, testId: string];

function Counts({ items }: { items: Count[] }) {
  return (
    <dl className="counts">
      {items.map(([label, value, testId]) => (
        <div key={label}>
          <dt>{label}</dt>
          <dd data-testid={testId}>{value.toLocaleString("en-GB")}</dd>
        </div>
      ))}
    </dl>
  );
}

export function ImportCounts({ result }: { result: ImportResult }) {
  return (
    <Counts
      items={[
        ["Created", result.created, "count-created"],
        ["Updated", result.updated, "count-updated"],
        ["Unchanged", result.unchanged, "count-unchanged"],
        ["Rejected", result.rejected, "count-rejected"],
        ["Conflicts ignored", result.conflicts_ignored, "count-conflicts-ignored"],
      ]}
    />
  );
}

/** An undo's result: what it deleted, restored and left as it was (and why, the first 100). */
export function RevertCounts({ result }: { result: RevertResult }) {
  return (
    <>
      <Counts
        items={[
          ["Deleted", result.deleted, "count-deleted"],
          ["Restored", result.restored, "count-restored"],
          ["Left as they are", result.skipped, "count-skipped"],
        ]}
      />
      {result.errors.length > 0 && (
        <table className="data" aria-label="Members left as they are">
          <thead>
            <tr>
              <th scope="col">external_id</th>
              <th scope="col">Why</th>
              <th scope="col">Conflicts with</th>
            </tr>
          </thead>
          <tbody>
            {result.errors.map((e, i) => (
              <tr key={`${e.external_id}-${i}`}>
                <td>{e.external_id ?? "An erased member"}</td>
                <td>
                  <strong>{e.code === "conflict" ? "Conflict" : "Changed since"}</strong>
                  <br />
                  <small>{e.message}</small>
                </td>
                <td>{e.conflicting_external_ids?.join(", ") ?? "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {result.errors_next && <p>Only the first {result.errors.length} are listed here.</p>}
    </>
  );
}
