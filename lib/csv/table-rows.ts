// The rules every table reader shares (a CSV file, an .xlsx sheet): blank
// rows are left out; the first row left is the header, and every column
// needs a name; each data row is made exactly as wide as the header (padded
// with "", or cut where the cells beyond it are empty; a value beyond it
// fails the read, since it would land under no column); rows go to the
// handlers in batches. Readers differ only in how they say a row is too wide.

export type TableHandlers = {
  /** Raw header cells. May throw to fail the read (the caller validates columns). */
  onHeader(rawHeaders: string[]): void | Promise<void>;
  /** Batches of up to batchSize rows, each exactly as wide as the header; awaited. */
  onRows(rows: string[][]): Promise<void>;
};

export type TableRowsOptions = {
  batchSize: number;
  /** A batch also ends at this many characters of cells: wide rows make small batches. */
  batchChars?: number;
  /** The reader's error, with a message for the user. */
  fail(message: string): Error;
  /** What to tell the user of data row `rowNo` (1-based), whose cell at index `column` lies beyond the header's `width`. */
  tooWide(rowNo: number, row: readonly string[], width: number, column: number): string;
};

function isBlankRow(row: readonly string[]): boolean {
  for (const c of row) if (c.trim() !== "") return false;
  return true;
}

/** Takes rows as a reader finds them; `finish` sends the last batch and returns the number of data rows. */
export function tableRows(handlers: TableHandlers, opts: TableRowsOptions) {
  const batchSize = Math.max(1, Math.floor(opts.batchSize));
  const batchChars = opts.batchChars ?? Infinity;
  let width = -1;
  let dataRows = 0;
  let batch: string[][] = [];
  let chars = 0;

  const flush = async () => {
    const full = batch;
    batch = [];
    chars = 0;
    await handlers.onRows(full);
  };

  return {
    get hasHeader(): boolean {
      return width >= 0;
    },
    /** Data rows taken so far (blank rows not counted). */
    get dataRows(): number {
      return dataRows;
    },
    async take(rows: readonly string[][]): Promise<void> {
      for (const row of rows) {
        if (isBlankRow(row)) continue;
        if (width < 0) {
          const empty = row.findIndex((c) => c.trim() === "");
          if (empty >= 0) throw opts.fail(`Column ${empty + 1} of the header row has no name; every column needs a name such as external_id`);
          width = row.length;
          await handlers.onHeader([...row]);
          continue;
        }
        dataRows++;
        if (row.length > width) {
          const beyond = row.findIndex((c, k) => k >= width && c.trim() !== "");
          if (beyond >= 0) throw opts.fail(opts.tooWide(dataRows, row, width, beyond));
          row.length = width;
        }
        while (row.length < width) row.push("");
        batch.push(row);
        if (batchChars !== Infinity) for (const cell of row) chars += cell.length + 3;
        if (batch.length >= batchSize || chars >= batchChars) await flush();
      }
    },
    async finish(): Promise<number> {
      if (batch.length) await flush();
      return dataRows;
    },
  };
}
