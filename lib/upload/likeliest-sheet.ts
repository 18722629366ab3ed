// Which sheet of a workbook to open on: the one that looks like the member
// table. A branch export's first sheet is often a one-cell "Readme" or a
// summary, which would otherwise show up as a header with an error.
import { SKIP } from "../fields";
import { autoMap } from "./auto-map";

/** Rows of each sheet looked at (its first non-empty ones). */
export const SHEET_HEAD_ROWS = 20;

/**
 * The sheet whose header row names the most known fields (Member number,
 * Email, Surname…), then the one with the most filled cells in its first
 * rows; the first such sheet on a tie. Undefined for no sheets.
 */
export function likeliestSheet(heads: readonly { name: string; rows: readonly string[][] }[]): string | undefined {
  let best: { name: string; known: number; filled: number } | undefined;
  for (const { name, rows } of heads) {
    const known = autoMap(rows[0] ?? [], []).filter((m) => m !== SKIP).length;
    const filled = rows.reduce((n, row) => n + row.filter((c) => c.trim() !== "").length, 0);
    if (!best || known > best.known || (known === best.known && filled > best.filled)) best = { name, known, filled };
  }
  return best?.name;
}
