// Streaming CSV reading: detects the encoding and the delimiter from the
// start of the file, decodes in streaming mode (a character split across
// network chunks decodes correctly) and parses with papaparse, handing rows
// on in batches with backpressure. Memory does not grow with the file.
import { once } from "node:events";
import iconv from "iconv-lite";
import Papa from "papaparse";
import { AppError } from "../errors";

export type CsvHandlers = {
  onHeader(rawHeaders: string[]): void | Promise<void>;
  onRows(rows: string[][]): Promise<void>;
};

const SNIFF_BYTES = 64 * 1024;

/** "Phone Number " → "phone_number" (contract: "CSV by URL"). */
export function normaliseHeader(h: string): string {
  return h.trim().toLowerCase().replace(/\s+/g, "_");
}

const notCsv = (why: string) => new AppError("not_csv", `This is not a CSV file we can read: ${why}`);

export function detectEncoding(head: Uint8Array): { encoding: string; bomLength: number } {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: "utf-8", bomLength: 3 };
  if (head[0] === 0xff && head[1] === 0xfe) return { encoding: "utf-16le", bomLength: 2 };
  if (head[0] === 0xfe && head[1] === 0xff) return { encoding: "utf-16be", bomLength: 2 };
  // UTF-16 without a BOM: ASCII text has a NUL in every other byte
  const n = Math.min(head.length, 1024) & ~1;
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < n; i += 2) {
    if (head[i] === 0) evenNul++;
    if (head[i + 1] === 0) oddNul++;
  }
  if (n >= 4 && oddNul > n / 4 && evenNul === 0) return { encoding: "utf-16le", bomLength: 0 };
  if (n >= 4 && evenNul > n / 4 && oddNul === 0) return { encoding: "utf-16be", bomLength: 0 };
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(head, { stream: true });
    return { encoding: "utf-8", bomLength: 0 };
  } catch {
    return { encoding: "windows-1252", bomLength: 0 };
  }
}

/** The most frequent of comma, semicolon and tab outside quotes in the header line. */
export function detectDelimiter(headerLine: string): string {
  const counts: Record<string, number> = { ",": 0, ";": 0, "\t": 0 };
  let quoted = false;
  for (const ch of headerLine) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch in counts) counts[ch]++;
  }
  return [",", ";", "\t"].reduce((best, d) => (counts[d] > counts[best] ? d : best), ",");
}

function decoderFor(encoding: string): (chunk: Uint8Array, stream: boolean) => string {
  if (encoding === "utf-8") {
    const decoder = new TextDecoder("utf-8", { fatal: true });
    return (chunk, stream) => {
      try {
        return decoder.decode(chunk, { stream });
      } catch {
        throw notCsv("it is not valid UTF-8 text");
      }
    };
  }
  const decoder = iconv.getDecoder(encoding);
  return (chunk, stream) => decoder.write(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)) + (stream ? "" : (decoder.end() ?? ""));
}

async function* decode(bytes: AsyncIterable<Uint8Array>, info: { encoding: string }): AsyncGenerator<string> {
  const iterator = bytes[Symbol.asyncIterator]();
  // gather the first bytes to decide the encoding
  const head: Uint8Array[] = [];
  let headSize = 0;
  let ended = false;
  while (headSize < SNIFF_BYTES) {
    const { done, value } = await iterator.next();
    if (done) {
      ended = true;
      break;
    }
    head.push(value);
    headSize += value.byteLength;
  }
  const first = Buffer.concat(head);
  const { encoding, bomLength } = detectEncoding(first);
  info.encoding = encoding;
  // UTF-8 is fatal: a byte that is not valid UTF-8 fails the job instead of
  // silently becoming U+FFFD. Others go through iconv-lite: Node's
  // TextDecoder decodes windows-1252 as latin1 (0x80 would not become €).
  const run = decoderFor(encoding);
  yield run(first.subarray(bomLength), !ended);
  if (ended) return;
  for (;;) {
    const { done, value } = await iterator.next();
    if (done) break;
    yield run(value, true);
  }
  yield run(new Uint8Array(0), false);
}

export async function readCsv(
  bytes: AsyncIterable<Uint8Array>,
  handlers: CsvHandlers,
  opts: { batchSize?: number } = {},
): Promise<{ rows: number; encoding: string; delimiter: string }> {
  const batchSize = opts.batchSize ?? 1000;
  const info = { encoding: "utf-8" };
  const text = decode(bytes, info);

  // Look at the start of the text before parsing: delimiter and sanity checks.
  let start = "";
  let textDone = false;
  while (!start.includes("\n") && start.length < SNIFF_BYTES) {
    const { done, value } = await text.next();
    if (done) {
      textDone = true;
      break;
    }
    start += value;
  }
  if (start.trim() === "") throw notCsv("the file is empty");
  if (start.includes("\u0000")) throw notCsv("it contains binary data");
  if (/^\s*<(!doctype\s+html|html|\?xml)/i.test(start)) throw notCsv("it looks like a web page, not a CSV");
  const delimiter = detectDelimiter(start.split(/\r?\n/, 1)[0]);

  const parser = Papa.parse(Papa.NODE_STREAM_INPUT, { delimiter, skipEmptyLines: "greedy" }) as unknown as NodeJS.ReadWriteStream;
  const feed = (async () => {
    const write = async (s: string) => {
      if (s && !parser.write(s)) await once(parser, "drain");
    };
    await write(start);
    if (!textDone) for await (const chunk of text) await write(chunk);
    parser.end();
  })();
  let feedError: unknown;
  feed.catch((e) => {
    feedError = e;
    parser.emit("error", e);
  });

  let header: string[] | null = null;
  let batch: string[][] = [];
  let rows = 0;
  try {
    for await (const row of parser as unknown as AsyncIterable<string[]>) {
      if (!header) {
        header = row;
        if (header.some((h) => h.trim() === "")) throw notCsv("a column in the header row has no name");
        await handlers.onHeader(header);
        continue;
      }
      rows++;
      let cells = row;
      if (cells.length > header.length) {
        if (cells.slice(header.length).some((c) => c.trim() !== "")) {
          // A row wider than the header means the file's columns are not
          // what its header says: refuse the file rather than guess.
          throw notCsv(`data row ${rows} has ${cells.length} cells but the header has ${header.length} columns`);
        }
        cells = cells.slice(0, header.length);
      }
      while (cells.length < header.length) cells.push("");
      batch.push(cells);
      if (batch.length >= batchSize) {
        await handlers.onRows(batch);
        batch = [];
      }
    }
  } catch (e) {
    throw feedError ?? e;
  }
  await feed;
  if (!header) throw notCsv("it has no header row");
  if (batch.length) await handlers.onRows(batch);
  return { rows, encoding: info.encoding, delimiter };
}
