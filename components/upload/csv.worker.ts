/// <reference lib="webworker" />
// Reads the chosen file off the main thread, streaming, with the server's own
// CSV reader (encoding and delimiter detection, quoted newlines) or the
// chosen sheet of an .xlsx workbook (read-table.ts), and the server's record
// rules, so the page never freezes, whatever the file's size: the preview,
// the scan for the columns' formats, the whole-file check, the rows with
// problems (to download, or held here to fix in place), and the upload's
// pieces. The check, the held rows and the upload apply the same fixes
// (lib/upload/row-edits.ts) and then the same formats (lib/formats/convert.ts)
// to the cells as read.
import { StatsCollector } from "@/lib/formats/column-stats";
import { rowConverter } from "@/lib/formats/convert";
import { guessRegion } from "@/lib/formats/phones";
import { csvLine } from "@/lib/csv/csv-line";
import type { CustomFieldKind } from "@/lib/fields";
import { cellsToRecords } from "@/lib/records/cells-to-records";
import { RowChecker } from "@/lib/upload/check-rows";
import { FixSession } from "@/lib/upload/fix-session";
import { rowEditor } from "@/lib/upload/row-edits";
import { SKIP } from "@/lib/fields";
import { encodePiece, PieceCutter } from "./piece-cutter";
import { sheetsOf, sheetToRead, tableReader, type TableReader } from "./read-table";
import type { FromWorker, ToWorker } from "./worker-protocol";

declare const self: DedicatedWorkerGlobalScope;

const PREVIEW_ROWS = 10;
/** Values shown per formatted column, as read → as converted. */
const SAMPLES = 4;
class Stop extends Error {}

const post = (m: FromWorker) => self.postMessage(m);

/** Called when the page has had a piece of the upload stored. */
let acked: () => void = () => {};

/**
 * Cuts the file into pieces by size (piece-cutter.ts) and posts each as the
 * request body the page sends (a Blob: the page passes it to fetch without
 * touching its bytes, so its main thread neither copies each piece nor
 * collects the copies, which made long GC pauses). With back-pressure: at most
 * `window` pieces are posted and not yet acknowledged, so the file is never
 * parsed far ahead of what the server has stored and memory stays bounded
 * whatever the file's size.
 */
async function upload(msg: Extract<ToWorker, { type: "upload" }>, read: TableReader): Promise<void> {
  const encoder = new TextEncoder();
  const cutter = new PieceCutter(msg.limits);
  const convert = rowConverter(msg.formats, msg.phoneRegion);
  const edit = rowEditor(msg.edits);
  let row = 0;
  let no = 0;
  let unacked = 0;
  let wake: (() => void) | null = null;
  acked = () => {
    unacked--;
    wake?.();
    wake = null;
  };
  const send = async (rows: string[][]) => {
    for (const piece of encodePiece(rows, msg.limits.maxBytes, encoder)) {
      while (unacked >= msg.window) await new Promise<void>((r) => (wake = r));
      unacked++;
      const head = `{"uploadId":${JSON.stringify(msg.uploadId)},"no":${no},"rows":`;
      const body = new Blob([head, piece.json as Uint8Array<ArrayBuffer>, "}"], { type: "application/json" });
      post({ type: "piece", no: no++, rows: piece.rows, body });
    }
  };
  const info = await read(
    {
      onHeader: () => {},
      onRows: async (rows) => {
        for (const cells of rows) {
          const piece = cutter.add(convert(edit(++row, cells)));
          if (piece) await send(piece);
        }
      },
    },
    { batchSize: 1000 },
  );
  const last = cutter.flush();
  if (last) await send(last);
  post({ type: "uploaded", rows: info.rows, pieces: no });
}

/** The rows being fixed in place (this worker's, after a fix-load). */
let fixing: FixSession | null = null;

type Message<T extends ToWorker["type"]> = Extract<ToWorker, { type: T }>;

/** Posts the rows read so far, at most every 100 ms; `bytes` is how far into the file the reader is. */
function progressReporter(bytes: () => number): (rows: number) => void {
  let lastReport = 0;
  return (rows) => {
    if (Date.now() - lastReport <= 100) return;
    lastReport = Date.now();
    post({ type: "progress", rows, bytes: bytes() });
  };
}

/** An edit to the rows being fixed in place: the changed row, or all rows after a replace. */
function fixEdit(msg: Message<"fix-patch" | "fix-replace">): void {
  if (!fixing) return;
  if (msg.type === "fix-patch") {
    const row = fixing.patch(msg.row, msg.column, msg.value);
    if (row) post({ type: "fix-row", row, edits: fixing.currentEdits() });
  } else {
    post({ type: "fix-rows", rows: fixing.replace(msg.column, msg.from, msg.to), total: fixing.total, edits: fixing.currentEdits() });
  }
}

/** The headers and first rows, and an .xlsx file's sheets with the one opened. */
async function preview(msg: Message<"preview">, read: TableReader): Promise<void> {
  let headers: string[] = [];
  try {
    const sheets = (await sheetsOf(msg.file)) ?? undefined;
    const sheet = await sheetToRead(msg.file, msg.sheet);
    const info = await read(
      { onHeader: (h) => void (headers = h), onRows: async (rows) => { post({ type: "preview", headers, rows, encoding: "", sheets, sheet }); throw new Stop(); } },
      { batchSize: PREVIEW_ROWS },
    );
    post({ type: "preview", headers, rows: [], encoding: info.encoding, sheets, sheet }); // a header-only file
  } catch (e) {
    if (!(e instanceof Stop)) throw e;
  }
}

/** Holds the rows with problems for fixing in place, and posts them. */
async function fixLoad(msg: Message<"fix-load">, read: TableReader): Promise<void> {
  const session = new FixSession(msg);
  let row = 0;
  await read({ onHeader: () => {}, onRows: async (rows) => rows.forEach((cells) => session.add(++row, cells)) });
  fixing = session;
  post({ type: "fix-rows", rows: session.rows(), total: session.total, edits: session.currentEdits() });
}

/** Every value of every column, for the formats' suggestions. */
async function scan(msg: Message<"scan">, read: TableReader, bytes: () => number): Promise<void> {
  const stats = new StatsCollector();
  const report = progressReporter(bytes);
  let width = 0;
  let row = 0;
  await read({
    onHeader: (h) => void (width = h.length),
    onRows: async (rows) => {
      for (const r of rows) stats.add(r);
      row += rows.length;
      report(row);
    },
  });
  const result = stats.result(width);
  for (const s of result) s.phoneRegion = guessRegion(s.samples, msg.phoneRegion);
  post({ type: "scanned", stats: result });
}

/** Up to SAMPLES different values of each formatted column, as read → as converted. */
function sampler(msg: Message<"check" | "problem-rows">) {
  const samples: [string, string][][] = msg.mapping.map(() => []);
  const sampled = msg.mapping.map((m, i) => m !== SKIP && (msg.formats[i]?.kind ?? "as-is") !== "as-is");
  const add = (rows: string[][], converted: string[][]) => {
    for (let c = 0; c < sampled.length; c++) {
      if (!sampled[c] || samples[c].length >= SAMPLES) continue;
      for (let r = 0; r < rows.length && samples[c].length < SAMPLES; r++) {
        const v = rows[r][c] ?? "";
        if (v.trim() !== "" && !samples[c].some(([o]) => o === v)) samples[c].push([v, converted[r][c] ?? ""]);
      }
    }
  };
  return { samples, add };
}

/** The whole file through the server's record rules: the summary, or the rows with problems as CSV. */
async function check(msg: Message<"check" | "problem-rows">, read: TableReader, bytes: () => number): Promise<void> {
  const checker = new RowChecker({ catalog: new Map(msg.catalog as [string, CustomFieldKind][]), phoneRegion: msg.phoneRegion, columns: msg });
  const convert = rowConverter(msg.formats, msg.phoneRegion);
  const edit = rowEditor(msg.edits);
  const report = progressReporter(bytes);
  const samples = sampler(msg);
  let row = 0;
  let header: string[] = [];
  const problemLines: string[] = [];
  const wanted = msg.type === "problem-rows";
  await read({
    onHeader: (h) => void (header = h),
    onRows: async (read) => {
      const rows = read.map((cells, i) => edit(row + i + 1, cells));
      const converted = rows.map(convert);
      samples.add(rows, converted);
      const records = cellsToRecords(msg.mapping, converted);
      records.forEach((record, i) => {
        row++;
        const before = checker.rejectedRows().size;
        checker.add(row, record, rows[i]);
        if (wanted && checker.rejectedRows().size > before) problemLines.push(csvLine(rows[i]));
      });
      report(row);
    },
  });
  if (wanted) {
    post({ type: "problem-rows", csv: csvLine(header) + problemLines.join(""), count: problemLines.length });
  } else {
    post({ type: "checked", summary: checker.summary(), samples: samples.samples });
  }
}

async function handle(msg: ToWorker): Promise<void> {
  if (msg.type === "ack") return acked();
  if (msg.type === "fix-patch" || msg.type === "fix-replace") return fixEdit(msg);
  let bytes = 0;
  const read = tableReader(msg.file, msg.sheet, (n) => (bytes = n));
  if (msg.type === "preview") return preview(msg, read);
  if (msg.type === "upload") return upload(msg, read);
  if (msg.type === "fix-load") return fixLoad(msg, read);
  if (msg.type === "scan") return scan(msg, read, () => bytes);
  return check(msg, read, () => bytes);
}

self.onmessage = (e: MessageEvent<ToWorker>) => {
  handle(e.data).catch((err: unknown) => post({ type: "error", message: err instanceof Error ? err.message : String(err) }));
};
