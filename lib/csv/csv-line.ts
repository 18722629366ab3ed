// Writing CSV lines that are safe to open in a spreadsheet. Pure: the upload
// wizard's Web Worker uses it too.

/** A cell that a spreadsheet would run as a formula is prefixed with '. */
export function neutraliseCell(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
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
