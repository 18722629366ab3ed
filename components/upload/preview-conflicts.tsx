"use client";

import { fieldNoun } from "@/lib/fields";
import type { Preview } from "@/lib/imports/preview";

type Conflicts = NonNullable<Preview["ready"]>["conflicts"];

/** The rows whose email or phone another member holds, naming that member (the first ones). */
export function PreviewConflicts({ conflicts }: { conflicts: Conflicts }) {
  if (conflicts.total === 0) return <p>No conflicts with other members.</p>;
  return (
    <section aria-labelledby="preview-conflicts">
      <h4 id="preview-conflicts">
        {conflicts.total.toLocaleString("en-GB")} {conflicts.total === 1 ? "conflict" : "conflicts"} with other members
      </h4>
      <ul data-testid="preview-conflicts">
        {conflicts.first.map((c, i) => (
          <li key={`${c.row}-${c.field}-${i}`}>
            Row {c.row} ({c.externalId ?? "no external_id"}): its {c.field && fieldNoun(c.field)} belongs to {c.conflicting.join(", ")}
            {c.ignored ? " (imported anyway: Ignore)" : " (left out: Reject)"}
          </li>
        ))}
      </ul>
      {conflicts.total > conflicts.first.length && (
        <p>
          and {(conflicts.total - conflicts.first.length).toLocaleString("en-GB")} more, listed with the problems below.
        </p>
      )}
    </section>
  );
}
