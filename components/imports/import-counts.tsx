"use client";

import type { ImportResult, RevertResult } from "@/lib/imports/deferred-result";
import { DataTable } from "@/components/data-table";
import { ProblemCells } from "./problem-cells";

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
        <DataTable label="Members left as they are" columns={["external_id", "Why", "Conflicts with"]}>
          {result.errors.map((e, i) => (
            <tr key={`${e.external_id}-${i}`}>
              <td>{e.external_id ?? "An erased member"}</td>
              <ProblemCells label={e.code === "conflict" ? "Conflict" : "Changed since"} entry={e} />
            </tr>
          ))}
        </DataTable>
      )}
      {result.errors_next && <p>Only the first {result.errors.length} are listed here.</p>}
    </>
  );
}
