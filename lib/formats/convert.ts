// Applies the columns' formats to a row's cells, in the Web Worker, before the
// check and before the upload: what is checked, previewed and sent agree. A
// value a format cannot read is left as it was, so the server's rules reject
// it with their own reason; nothing is dropped or guessed.
import type { ColumnFormat } from "./column-format";
import { parseDate } from "./dates";
import { parseFlag } from "./flags";
import { parseNumber } from "./numbers";
import { parsePhone, phoneNeedsConversion } from "./phones";

/** One cell under its column's format. */
export function convertCell(format: ColumnFormat, cell: string, serverRegion: string): string {
  if (format.kind === "flag") return parseFlag(cell, format.yes, format.no) ?? cell;
  if (cell.trim() === "") return cell; // blank stays blank: it leaves the value unchanged
  switch (format.kind) {
    case "as-is":
      return cell;
    case "date":
      return parseDate(cell, format.order) ?? cell;
    case "number":
      return parseNumber(cell, format.decimal) ?? cell;
    case "phone":
      return phoneNeedsConversion(cell, format.region, serverRegion) ? (parsePhone(cell, format.region) ?? cell) : cell;
  }
}

/** Formats per column (null or absent: as written) → a function converting a row's cells. */
export function rowConverter(formats: readonly (ColumnFormat | null)[], serverRegion: string): (row: string[]) => string[] {
  const active = formats.flatMap((f, i) => (f && f.kind !== "as-is" ? [[i, f] as const] : []));
  if (active.length === 0) return (row) => row;
  return (row) => {
    const out = row.slice();
    for (const [i, f] of active) out[i] = convertCell(f, row[i] ?? "", serverRegion);
    return out;
  };
}
