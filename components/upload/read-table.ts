// The rows of the chosen file for the worker: a CSV file through the
// server's CSV reader, an Excel .xlsx sheet through lib/xlsx, both shaped by
// the same rules (lib/csv/table-rows.ts: the first non-blank row is the
// header, every column named, rows as wide as the header, blank rows left out).
import { readCsv, type ReadCsvHandlers } from "@/lib/csv/parse-csv";
import { tableRows } from "@/lib/csv/table-rows";
import { likeliestSheet, SHEET_HEAD_ROWS } from "@/lib/upload/likeliest-sheet";
import { readXlsxSheet, xlsxSheetHeads, xlsxSheetNames } from "@/lib/xlsx/read-xlsx";

export type TableReader = (handlers: ReadCsvHandlers, opts?: { batchSize?: number }) => Promise<{ rows: number; encoding: string }>;

/** A zip archive (an .xlsx is one) starts "PK\x03\x04"; the name decides for an empty or odd file. */
export async function isXlsx(file: File): Promise<boolean> {
  const head = new Uint8Array(await file.slice(0, 4).arrayBuffer());
  const zip = head[0] === 0x50 && head[1] === 0x4b && head[2] === 3 && head[3] === 4;
  return zip || /\.xlsx$/i.test(file.name);
}

/**
 * An .xlsx file's bytes, read once per File object: the preview lists the
 * sheets and then reads the first rows of one, and both need the whole zip.
 * Each message to the worker brings its own File, so the bytes go with it.
 */
const xlsxBytes = new WeakMap<File, Promise<Uint8Array>>();
function bytesOfXlsx(file: File): Promise<Uint8Array> {
  let bytes = xlsxBytes.get(file);
  if (!bytes) {
    bytes = file.arrayBuffer().then((b) => new Uint8Array(b));
    xlsxBytes.set(file, bytes);
  }
  return bytes;
}

/** The sheets of an .xlsx file; null for a CSV file. */
export async function sheetsOf(file: File): Promise<string[] | null> {
  if (!(await isXlsx(file))) return null;
  return xlsxSheetNames(await bytesOfXlsx(file));
}

const likeliest = new WeakMap<File, Promise<string | undefined>>();

/**
 * The sheet a request reads: the one asked for, else (an .xlsx file opened
 * without a choice) the one that looks like the member table; undefined for a CSV file.
 */
export async function sheetToRead(file: File, sheet: string | undefined): Promise<string | undefined> {
  if (sheet !== undefined || !(await isXlsx(file))) return sheet;
  let chosen = likeliest.get(file);
  if (!chosen) {
    chosen = bytesOfXlsx(file).then((bytes) => likeliestSheet(xlsxSheetHeads(bytes, SHEET_HEAD_ROWS)));
    likeliest.set(file, chosen);
  }
  return chosen;
}

/** The file's bytes, counting what has been read for progress reports. */
async function* bytesOf(file: File, onBytes: (n: number) => void): AsyncGenerator<Uint8Array> {
  const reader = file.stream().getReader();
  let read = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      read += value.byteLength;
      onBytes(read);
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}

async function readXlsx(file: File, sheet: string | undefined, handlers: ReadCsvHandlers, batchSize: number): Promise<{ rows: number; encoding: string }> {
  const bytes = await bytesOfXlsx(file);
  const table = tableRows(handlers, {
    batchSize,
    fail: (message) => new Error(message),
    tooWide: (rowNo, _row, width, column) =>
      `Row ${rowNo} has a value in column ${column + 1}, but the header has only ${width} columns; give that column a name`,
  });
  for (const read of readXlsxSheet(bytes, sheet)) await table.take(read);
  if (!table.hasHeader) throw new Error("The sheet is empty: it has no header row");
  return { rows: await table.finish(), encoding: "xlsx" };
}

/** A reader of the file's rows (of `sheet`, for an .xlsx file: by default the one sheetToRead chooses). */
export function tableReader(file: File, sheet: string | undefined, onBytes: (n: number) => void): TableReader {
  return async (handlers, opts = {}) => {
    if (await isXlsx(file)) {
      onBytes(file.size);
      return readXlsx(file, await sheetToRead(file, sheet), handlers, Math.max(1, opts.batchSize ?? 1000));
    }
    return readCsv(bytesOf(file, onBytes), handlers, opts);
  };
}
