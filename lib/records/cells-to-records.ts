import { restoreCell } from "../csv/csv-line";
import { SKIP } from "../fields";

/**
 * Rows of cells as records, by a mapping (per column: a field key or
 * "skip"). A cell neutralised by our own CSV downloads ("'=…") is read as
 * the value it stood for.
 */
export function cellsToRecords(mapping: readonly string[], rows: readonly string[][]): Record<string, string>[] {
  return rows.map((cells) => {
    const record: Record<string, string> = {};
    for (let i = 0; i < mapping.length; i++) {
      if (mapping[i] !== SKIP) record[mapping[i]] = restoreCell(cells[i] ?? "");
    }
    return record;
  });
}
