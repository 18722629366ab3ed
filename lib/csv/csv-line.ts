// Writing CSV lines that are safe to open in a spreadsheet, and that this
// importer reads back exactly (docs/decisions/004). Pure: the upload wizard's
// Web Worker uses it too.

/** Starts like a formula a spreadsheet would run (after any apostrophes we added before). */
const FORMULA_START = /^'*[=+\-@\t\r]/;
/** A signed number or phone number ("-2", "+44 (0)7400 123456"): a spreadsheet reads it as a value. */
const PLAIN_NUMBER = /^[+-][\d .()-]*$/;
/** An apostrophe that stands before a formula character: the mark of a neutralised cell. */
const NEUTRALISED = /^'+[=+\-@\t\r]/;

/**
 * A cell a spreadsheet would run as a formula gets an apostrophe in front.
 * Cells that already start with apostrophes before a formula character get
 * one more, so reading back (restoreCell) is exact for every value.
 */
export function neutraliseCell(value: string): string {
  return FORMULA_START.test(value) && !PLAIN_NUMBER.test(value) ? `'${value}` : value;
}

/** The inverse of neutraliseCell, applied to every CSV cell this importer reads. */
export function restoreCell(value: string): string {
  return NEUTRALISED.test(value) ? value.slice(1) : value;
}

export function csvLine(cells: string[]): string {
  return (
    cells
      .map((c) => {
        const v = neutraliseCell(c);
        return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
      })
      .join(",") + "\r\n"
  );
}
