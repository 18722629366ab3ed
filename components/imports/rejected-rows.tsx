"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import type { ErrorEntry } from "@/lib/imports/deferred-result";
import { RESULT_CODE_LABEL } from "@/lib/vocabulary";
import { ActionButton } from "@/components/action-button";
import { DataTable } from "@/components/data-table";
import { ProblemCells } from "./problem-cells";

type Page = { errors: ErrorEntry[]; errors_next: string | null };

/** The problems of an import, 100 a page; pages after the first are fetched. */
export function RejectedRows({ id, byRow, first }: { id: string; byRow: boolean; first: { errors: ErrorEntry[]; errors_next: string | null } }) {
  // cursors[i] fetches page i (page 0 came with the result)
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const [index, setIndex] = useState(0);
  const cursor = cursors[index];
  const { data, isFetching } = useQuery({
    queryKey: ["import-problems", id, cursor],
    queryFn: async (): Promise<Page> => {
      const r = await fetch(`/imports/${id}/problems?cursor=${encodeURIComponent(cursor!)}`, { cache: "no-store" });
      if (!r.ok) throw new Error(`HTTP ${r.status}`);
      return r.json();
    },
    enabled: cursor !== null,
  });
  const page: Page = cursor === null ? first : (data ?? { errors: [], errors_next: null });
  const nextCursor = page.errors_next ? new URL(page.errors_next, "http://x").searchParams.get("cursor") : null;

  return (
    <section aria-label="Rejected rows">
      <h2>Problems</h2>
      <DataTable label="Problems" columns={[byRow ? "Row" : "Record", "external_id", "Field", "Problem", "Conflicts with"]} busy={isFetching}>
        {page.errors.map((e, i) => (
          <tr key={`${e.row ?? e.index}-${e.code}-${e.field}-${i}`}>
            <td>{byRow ? e.row : (e.index ?? 0) + 1}</td>
            <td>{e.external_id ?? "—"}</td>
            <td>{e.field ?? "—"}</td>
            <ProblemCells label={RESULT_CODE_LABEL[e.code]} entry={e} />
          </tr>
        ))}
      </DataTable>
      <nav className="pager" aria-label="Problem pages">
        <ActionButton disabled={index === 0} onClick={() => setIndex(index - 1)}>
          Previous
        </ActionButton>
        <span>Page {index + 1}</span>
        <ActionButton
          disabled={!nextCursor}
          onClick={() => {
            setCursors((c) => [...c.slice(0, index + 1), nextCursor]);
            setIndex(index + 1);
          }}
        >
          Next
        </ActionButton>
      </nav>
    </section>
  );
}
