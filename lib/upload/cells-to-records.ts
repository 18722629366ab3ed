import { SKIP } from "../targets/fields";

/** Rows of cells as records, by a mapping (per column: a field key or "skip"). */
export function cellsToRecords(mapping: readonly string[], rows: readonly string[][]): Record<string, string>[] {
  return rows.map((cells) => {
    const record: Record<string, string> = {};
    for (let i = 0; i < mapping.length; i++) {
      if (mapping[i] !== SKIP) record[mapping[i]] = cells[i] ?? "";
    }
    return record;
  });
}
