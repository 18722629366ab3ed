// Streaming CSV reader: bytes -> text (encoding detected) -> rows (papaparse's
// low-level Parser, fed incrementally). Memory stays bounded by the chunk
// size and one batch of rows, whatever the size of the file.
//
// Decisions (the contract only says "UTF-8 with or without BOM; UTF-16 and
// Windows-1252 are detected; comma, semicolon and tab delimiters are
// detected; quoted fields with newlines"):
// - Encoding: a BOM decides (UTF-8, UTF-16 LE/BE). Without one, a NUL byte
//   in every other position of the first bytes (and none in the others)
//   means UTF-16 LE/BE. Otherwise the text is passed through as long as it is
//   plain ASCII (identical in both encodings); at the first non-ASCII byte
//   up to 64 KiB from there are checked: valid UTF-8 -> UTF-8, else
//   Windows-1252. So a Windows-1252 file whose first accent is on row 5000 is
//   still read correctly. Once UTF-8 is chosen, an invalid byte sequence later
//   on fails the job (not_csv) rather than silently writing U+FFFD.
// - Delimiter: the most frequent of , ; TAB outside quotes in the header
//   line; ties and none go to the earlier of comma, semicolon, tab. The line
//   break (\r\n, \n or \r) is taken from the end of the header line too.
// - Blank lines (every cell empty or whitespace, e.g. "" or ";;;") are
//   skipped anywhere, also before the header. They are not counted: data row
//   numbers (and the `row` of a result) count the non-blank rows under the
//   header, 1-based.
// - A row shorter than the header is padded with "" (an empty cell leaves a
//   field unchanged). A row longer than the header is accepted if the extra
//   cells are empty (trailing delimiters written by spreadsheets), and fails
//   the job with not_csv naming the data row otherwise: its values would
//   land under no column, which usually means a broken quote or a wrong
//   delimiter, and guessing would import wrong data.
// - A quoted field that is never closed fails with not_csv. Other stray
//   quotes are kept as text, as papaparse does.
// - Not CSV (not_csv): empty body; only blank lines; a header cell that is
//   empty; NUL characters anywhere (binary files such as PNG or zip, and
//   PostgreSQL cannot store NUL in text); a body that starts like an HTML or
//   XML document; invalid UTF-8 / UTF-16; a first line longer than 1 MiB.
// - Cells are returned exactly as written (no trimming, no typing); headers
//   are passed raw to onHeader, the caller normalises them.
import Papa from "papaparse";
import { AppError } from "../errors";
import { tableRows, type TableHandlers } from "./table-rows";

export function normaliseHeader(h: string): string {
  return h.trim().toLowerCase().replace(/\s+/g, "_");
}

export type CsvEncoding = "utf-8" | "utf-16le" | "utf-16be" | "windows-1252";

export type ReadCsvHandlers = TableHandlers;

const SNIFF_BYTES = 4096;
const UTF8_SAMPLE_BYTES = 64 * 1024;
const PARSE_CHUNK_CHARS = 64 * 1024;
const MAX_HEADER_CHARS = 1024 * 1024;

function notCsv(message: string): AppError {
  return new AppError("not_csv", message);
}

function concat(chunks: Uint8Array[]): Uint8Array {
  if (chunks.length === 1) return chunks[0];
  const total = chunks.reduce((n, c) => n + c.length, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

function latin1(bytes: Uint8Array): string {
  // no Buffer: this module also runs in the browser (the upload wizard's worker)
  let s = "";
  for (let i = 0; i < bytes.length; i += 8192) {
    s += String.fromCharCode.apply(null, bytes.subarray(i, i + 8192) as unknown as number[]);
  }
  return s;
}

// Windows-1252 differs from Latin-1 only in 0x80-0x9F. Decoded by table: a
// single-byte code needs no streaming state, and Node 20's TextDecoder
// ("windows-1252") decodes a non-streaming call as Latin-1 (0x80 would come
// out as U+0080 instead of "€"). The five unassigned bytes stay U+0081 etc.,
// as in the WHATWG Encoding Standard.
const CP1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8d, 0x017d, 0x8f,
  0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0x9d, 0x017e, 0x0178,
].map((cp) => String.fromCharCode(cp));

function windows1252(bytes: Uint8Array): string {
  return latin1(bytes).replace(/[\u0080-\u009f]/g, (c) => CP1252_HIGH[c.charCodeAt(0) - 0x80]);
}

function isUtf8(bytes: Uint8Array, complete: boolean): boolean {
  try {
    // stream: a character cut off at the end of a sample is not an error
    new TextDecoder("utf-8", { fatal: true }).decode(bytes, { stream: !complete });
    return true;
  } catch {
    return false;
  }
}

function utf16WithoutBom(b: Uint8Array): "utf-16le" | "utf-16be" | null {
  const pairs = Math.floor(Math.min(b.length, SNIFF_BYTES) / 2);
  if (pairs === 0) return null;
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i < pairs * 2; i += 2) {
    if (b[i] === 0) evenZeros++;
    if (b[i + 1] === 0) oddZeros++;
  }
  // A header starts with an ASCII character, so its high byte is 0; most of
  // a CSV is ASCII, so most high bytes are 0 and few low bytes are (U+xx00).
  if (b[1] === 0 && b[0] !== 0 && oddZeros >= pairs * 0.3 && evenZeros * 10 <= oddZeros) return "utf-16le";
  if (b[0] === 0 && b[1] !== 0 && evenZeros >= pairs * 0.3 && oddZeros * 10 <= evenZeros) return "utf-16be";
  return null;
}

/**
 * The encoding of a file judged from its first bytes: BOM, then the NUL
 * pattern of UTF-16, then whether the bytes are valid UTF-8 (a character cut
 * off at the end of `head` is allowed), else Windows-1252. `readCsv` uses the
 * BOM and UTF-16 rules the same way, but judges UTF-8 against 1252 on the
 * bytes from the first non-ASCII one (see the top of the file).
 */
export function detectEncoding(head: Uint8Array): { encoding: CsvEncoding; bomLength: number } {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: "utf-8", bomLength: 3 };
  if (head[0] === 0xff && head[1] === 0xfe) return { encoding: "utf-16le", bomLength: 2 };
  if (head[0] === 0xfe && head[1] === 0xff) return { encoding: "utf-16be", bomLength: 2 };
  const utf16 = utf16WithoutBom(head);
  if (utf16) return { encoding: utf16, bomLength: 0 };
  return { encoding: isUtf8(head.subarray(0, UTF8_SAMPLE_BYTES), false) ? "utf-8" : "windows-1252", bomLength: 0 };
}

type Decoder = { encoding: CsvEncoding; write(bytes: Uint8Array): string; end(): string };

function makeDecoder(encoding: CsvEncoding, position: () => number): Decoder {
  if (encoding === "windows-1252") return { encoding, write: windows1252, end: () => "" };
  // fatal: an invalid sequence fails the job instead of becoming U+FFFD;
  // the BOM, if any, is dropped by the decoder.
  const d = new TextDecoder(encoding, { fatal: true });
  const fail = () =>
    notCsv(
      encoding === "utf-8"
        ? `The file is not valid UTF-8 text (around byte ${position()}); it may mix encodings. Save it again as UTF-8 CSV`
        : `The file is not valid ${encoding.toUpperCase()} text (around byte ${position()})`,
    );
  return {
    encoding,
    write(bytes) {
      try {
        return d.decode(bytes, { stream: true });
      } catch {
        throw fail();
      }
    },
    end() {
      try {
        return d.decode();
      } catch {
        throw fail();
      }
    },
  };
}

/** Decodes a byte stream to text, detecting the encoding (see the top of the file). */
async function* decodeBytes(src: AsyncIterable<Uint8Array>, info: { encoding: CsvEncoding }): AsyncGenerator<string, void, undefined> {
  const it = src[Symbol.asyncIterator]();
  let ended = false;
  const pull = async (): Promise<Uint8Array | null> => {
    for (;;) {
      const r = await it.next();
      if (r.done) {
        ended = true;
        return null;
      }
      if (r.value.length) return r.value;
    }
  };
  let offset = 0; // bytes decoded before the current chunk, for messages
  const position = () => offset;

  try {
    const first: Uint8Array[] = [];
    let firstLen = 0;
    while (firstLen < SNIFF_BYTES) {
      const c = await pull();
      if (!c) break;
      first.push(c);
      firstLen += c.length;
    }
    if (firstLen === 0) return;
    let chunk: Uint8Array | null = concat(first);

    let decoder: Decoder | null = null;
    const sniffed = detectEncoding(chunk.subarray(0, SNIFF_BYTES));
    if (sniffed.bomLength > 0 || sniffed.encoding.startsWith("utf-16")) decoder = makeDecoder(sniffed.encoding, position);
    info.encoding = decoder?.encoding ?? "utf-8";

    while (chunk) {
      if (!decoder) {
        // No BOM, not UTF-16: plain ASCII passes through (same in UTF-8 and 1252).
        let i = 0;
        while (i < chunk.length && chunk[i] < 0x80) i++;
        if (i === chunk.length) {
          offset += chunk.length;
          yield latin1(chunk);
          chunk = await pull();
          continue;
        }
        if (i > 0) {
          yield latin1(chunk.subarray(0, i));
          offset += i;
          chunk = chunk.subarray(i);
        }
        // Decide on up to 64 KiB from the first non-ASCII byte.
        const sample: Uint8Array[] = [chunk];
        let sampleLen = chunk.length;
        while (sampleLen < UTF8_SAMPLE_BYTES) {
          const c = await pull();
          if (!c) break;
          sample.push(c);
          sampleLen += c.length;
        }
        const joined = concat(sample);
        decoder = makeDecoder(isUtf8(joined, ended) ? "utf-8" : "windows-1252", position);
        info.encoding = decoder.encoding;
        chunk = joined;
      }
      const text = decoder.write(chunk);
      offset += chunk.length;
      if (text) yield text;
      chunk = await pull();
    }
    if (decoder) {
      const rest = decoder.end();
      if (rest) yield rest;
    }
  } finally {
    if (!ended) await it.return?.();
  }
}

type LineFormat = { delimiter: string; newline: "\n" | "\r\n" | "\r" };

const DELIMITERS = [",", ";", "\t"] as const;

/**
 * Finds the header line (the first non-blank line) in `text` and derives the
 * delimiter and line break from it. null: more text is needed; "blank": the
 * whole text is blank (only when `final`).
 */
function detectFormat(text: string, final: boolean): LineFormat | "blank" | null {
  let i = 0;
  while (i < text.length && (text[i] === "\r" || text[i] === "\n" || text[i] === " " || text[i] === "\t")) i++;
  if (i >= text.length) return final ? "blank" : null;
  const counts = [0, 0, 0];
  const pick = (newline: LineFormat["newline"]): LineFormat => {
    let best = 0;
    for (let k = 1; k < counts.length; k++) if (counts[k] > counts[best]) best = k;
    return { delimiter: DELIMITERS[best], newline };
  };
  let inQuotes = false;
  for (let j = i; j < text.length; j++) {
    const ch = text[j];
    if (ch === '"') inQuotes = !inQuotes;
    else if (inQuotes) continue;
    else if (ch === ",") counts[0]++;
    else if (ch === ";") counts[1]++;
    else if (ch === "\t") counts[2]++;
    else if (ch === "\n") return pick("\n");
    else if (ch === "\r") {
      if (j + 1 < text.length) return pick(text[j + 1] === "\n" ? "\r\n" : "\r");
      return final ? pick("\r") : null;
    }
  }
  return final ? pick("\n") : null;
}

function rejectMarkup(text: string): void {
  const start = text.trimStart().slice(0, 64).toLowerCase();
  if (/^<(!doctype\s+html|html[\s>]|head[\s>]|body[\s>])/.test(start)) {
    throw notCsv("The URL returned a web page (HTML), not a CSV file; link to the file itself, e.g. its download link");
  }
  if (start.startsWith("<?xml")) throw notCsv("The file is an XML document, not a CSV file");
}

type ReadCsvOptions = { batchSize?: number; batchChars?: number };

/** The rows into batches for `handlers` (table-rows.ts), with a CSV file's wording of a row too wide. */
function csvTableRows(handlers: ReadCsvHandlers, opts: ReadCsvOptions) {
  return tableRows(handlers, {
    batchSize: opts.batchSize ?? 1000,
    batchChars: opts.batchChars,
    fail: notCsv,
    tooWide: (rowNo, row, width) => `Row ${rowNo} has ${row.length} cells but the header has only ${width} columns; check its quotes and delimiters`,
  });
}

export async function readCsv(
  bytes: AsyncIterable<Uint8Array>,
  handlers: ReadCsvHandlers,
  opts: ReadCsvOptions = {},
): Promise<{ rows: number; encoding: string; delimiter: string }> {
  const info: { encoding: CsvEncoding } = { encoding: "utf-8" };

  let sawText = false;
  let head = ""; // text before the header line is complete
  let headEndsWithCr = false;
  let format: LineFormat | null = null;
  let parser: Papa.Parser | null = null;
  let buf = ""; // text not parsed yet (an unfinished last row, plus new text)
  let minParse = PARSE_CHUNK_CHARS;

  const table = csvTableRows(handlers, opts);
  const parseBuffered = async (final: boolean): Promise<void> => {
    const res = parser!.parse(buf, 0, !final) as {
      data: string[][];
      errors: { code: string; row: number }[];
      meta: { cursor: number };
    };
    buf = final ? "" : buf.substring(res.meta.cursor);
    minParse = Math.max(PARSE_CHUNK_CHARS, buf.length * 2); // keeps re-parsing of a long unfinished row linear
    if (final && res.errors.some((e) => e.code === "MissingQuotes")) {
      await table.take(res.data.slice(0, -1));
      const where = table.hasHeader ? `row ${table.dataRows + 1}` : "the header row";
      throw notCsv(`A quoted field in ${where} is never closed (a " without its closing "), so the rest of the file cannot be read`);
    }
    await table.take(res.data);
  };

  const startParser = (f: LineFormat) => {
    format = f;
    rejectMarkup(head);
    parser = new Papa.Parser({ delimiter: f.delimiter, newline: f.newline, quoteChar: '"', escapeChar: '"' });
    buf = head;
    head = "";
    minParse = 0; // parse the header at once, so a bad header fails before more is downloaded
  };

  for await (const text of decodeBytes(bytes, info)) {
    if (text.includes("\u0000")) {
      throw notCsv("The file contains binary data (NUL bytes); it is not a CSV text file");
    }
    sawText = true;
    if (!parser) {
      const mayEndLine = headEndsWithCr || text.includes("\n") || text.includes("\r");
      head += text;
      headEndsWithCr = head.endsWith("\r");
      const f = mayEndLine ? detectFormat(head, false) : null;
      if (!f || f === "blank") {
        if (head.length > MAX_HEADER_CHARS) {
          rejectMarkup(head);
          throw notCsv("The first line of the file is longer than 1 MB; this does not look like a CSV file");
        }
        continue;
      }
      startParser(f);
    } else {
      buf += text;
    }
    if (buf.length >= minParse) await parseBuffered(false);
  }

  if (!sawText) throw notCsv("The file is empty");
  if (!parser) {
    const f = detectFormat(head, true);
    if (f === "blank" || f === null) throw notCsv("The file has no header row; it contains only blank lines");
    startParser(f);
  }
  await parseBuffered(true);
  if (!table.hasHeader) throw notCsv("The file has no header row; it contains only blank lines");
  const rows = await table.finish();
  return { rows, encoding: info.encoding, delimiter: (format as LineFormat | null)?.delimiter ?? "," };
}
