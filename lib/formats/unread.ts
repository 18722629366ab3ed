// Why a column's format could not read a value, in that format's own terms,
// for the wizard's check and its fix grid. Such a value is sent as it was and
// the server rejects it in the contract's terms ("not a real date written
// YYYY-MM-DD"), which are not the terms the user chose (DD/MM/YYYY).
import type { ColumnFormat } from "./column-format";
import { dateProblem } from "./dates";
import { parseFlag } from "./flags";
import { parsePhone, phoneNeedsConversion } from "./phones";

const named = (v: string) => (v === "" ? "blank" : `“${v}”`);

/** The reason a non-blank `cell` is not read by `format`; null when it is read (or nothing was tried). */
export function unreadReason(format: ColumnFormat, cell: string, serverRegion: string): string | null {
  if (cell.trim() === "" || cell.length > 64) return null;
  switch (format.kind) {
    case "date":
      return dateProblem(cell, format.order);
    case "flag":
      if (parseFlag(cell, format.yes, format.no) !== null) return null;
      return `${JSON.stringify(cell.trim())} is neither ${named(format.yes)} (yes) nor ${named(format.no)} (no)`;
    case "phone":
      if (!phoneNeedsConversion(cell, format.region, serverRegion) || parsePhone(cell, format.region) !== null) return null;
      return `${JSON.stringify(cell.trim())} is not a valid phone number in ${format.region}`;
    case "number": // the server's "is not a number" says it already
    case "as-is":
      return null;
  }
}

/** The columns of a file as the check reads them: each one's field (or "skip") and format. */
export type ColumnsRead = { mapping: readonly string[]; formats: readonly (ColumnFormat | null)[]; phoneRegion: string };

/**
 * A problem's message for the user: in the terms of its column's format when
 * that format could not read the value (`asRead`: the row's cells before
 * conversion), else the server's own.
 */
export function problemMessage(problem: { field: string; message: string }, asRead: readonly string[], columns: ColumnsRead): string {
  const column = columns.mapping.indexOf(problem.field);
  const format = columns.formats[column];
  return (format && unreadReason(format, asRead[column] ?? "", columns.phoneRegion)) ?? problem.message;
}
