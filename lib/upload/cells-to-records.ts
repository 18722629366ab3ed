import { SKIP } from "../targets/fields";

/** Rows of cells as records, by a mapping (per column: a field key or "skip"). */
export function cellsToRecords(mapping: string[], rows: string[][]): Record<string, string>[] {
  return rows.map((cells) => {
    const record: Record<string, string> = {};
    mapping.forEach((field, i) => {
      if (field !== SKIP) record[field] = cells[i] ?? "";
    });
    return record;
  });
}
