// Reads one sheet of an Excel .xlsx workbook as rows of the text Excel shows
// (number formats applied: 00123 stays 00123, dates from their serial
// numbers), row by row in bounded memory, within limits against zip bombs
// and huge sheets. Pure: runs in the wizard's Web Worker and in tests.
import { builtinFormat, formatNumber, generalText } from "./number-format";
import { entryText, inflateEntry, XlsxError, zipEntries, type ZipEntry } from "./zip-entries";

export { XlsxError };

export type XlsxLimits = {
  /** Uncompressed bytes read from the archive, all parts together. */
  maxUncompressedBytes: number;
  /** Rows of the sheet, its header row included. */
  maxRows: number;
  maxColumns: number;
};

export const XLSX_LIMITS: XlsxLimits = {
  maxUncompressedBytes: 512 * 1024 * 1024,
  maxRows: 1_048_576, // Excel's own limit
  maxColumns: 1000,
};

const n = (x: number) => x.toLocaleString("en-GB");

const ENTITY = /&(?:#(\d+)|#x([0-9a-fA-F]+)|(lt|gt|amp|quot|apos));/g;
const NAMED: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };

function unescapeXml(s: string): string {
  if (!s.includes("&") && !s.includes("_x")) return s;
  return s
    .replace(ENTITY, (_, dec, hex, name) => (name ? NAMED[name] : String.fromCodePoint(dec ? Number(dec) : parseInt(hex, 16))))
    .replace(/_x([0-9A-Fa-f]{4})_/g, (_, h) => String.fromCharCode(parseInt(h, 16)));
}

const ATTRS = new Map<string, RegExp>();

function attr(attrs: string, name: string): string | null {
  let re = ATTRS.get(name);
  if (!re) ATTRS.set(name, (re = new RegExp(`(?:^|\\s)(?:\\w+:)?${name}="([^"]*)"`)));
  const m = re.exec(attrs);
  return m ? unescapeXml(m[1]) : null;
}

/** The text of every <t> inside an element (a rich-text string has several runs); phonetic runs (<rPh>) are left out. */
function textOf(xml: string): string {
  let out = "";
  const noPhonetic = xml.replace(/<(?:\w+:)?rPh\b[\s\S]*?<\/(?:\w+:)?rPh>/g, "");
  for (const m of noPhonetic.matchAll(/<(?:\w+:)?t(?:\s[^>]*)?>([\s\S]*?)<\/(?:\w+:)?t>/g)) out += m[1];
  return unescapeXml(out);
}

/** "BC12" → 54 (0-based column). */
function columnOf(ref: string): number {
  let c = 0;
  for (let i = 0; i < ref.length; i++) {
    const code = ref.charCodeAt(i);
    if (code < 65 || code > 90) break;
    c = c * 26 + (code - 64);
  }
  return c - 1;
}

type Workbook = {
  entries: Map<string, ZipEntry>;
  sheets: { name: string; path: string }[];
  date1904: boolean;
};

function resolve(base: string, target: string): string {
  if (target.startsWith("/")) return target.slice(1);
  const parts = base.split("/").slice(0, -1);
  for (const seg of target.split("/")) {
    if (seg === "..") parts.pop();
    else if (seg !== ".") parts.push(seg);
  }
  return parts.join("/");
}

class Reader {
  private readonly budget: { left: number };
  constructor(
    private readonly bytes: Uint8Array,
    private readonly limits: XlsxLimits,
  ) {
    this.budget = { left: limits.maxUncompressedBytes };
  }

  readonly tooBig = () =>
    new XlsxError(
      `This workbook unpacks to more than ${n(Math.round(this.limits.maxUncompressedBytes / 1024 / 1024))} MB, more than this page reads; it may be damaged or made to overload the reader. Save the sheet as CSV and choose that instead.`,
    );

  text(entry: ZipEntry | undefined): string {
    return entry ? entryText(this.bytes, entry, this.budget, this.tooBig) : "";
  }

  chunks(entry: ZipEntry): Generator<Uint8Array> {
    return inflateEntry(this.bytes, entry, this.budget, this.tooBig);
  }

  workbook(): Workbook {
    const entries = zipEntries(this.bytes);
    const wb = entries.get("xl/workbook.xml");
    if (!wb) throw new XlsxError("This zip file is not an Excel workbook (it has no xl/workbook.xml); save it as .xlsx or CSV");
    const xml = this.text(wb);
    const rels = new Map<string, string>();
    for (const m of this.text(entries.get("xl/_rels/workbook.xml.rels")).matchAll(/<(?:\w+:)?Relationship\b([^>]*)\/?>/g)) {
      const id = attr(m[1], "Id");
      const target = attr(m[1], "Target");
      if (id && target) rels.set(id, resolve("xl/workbook.xml", target));
    }
    const sheets: Workbook["sheets"] = [];
    for (const m of xml.matchAll(/<(?:\w+:)?sheet\b([^>]*)\/?>/g)) {
      const name = attr(m[1], "name");
      const path = rels.get(attr(m[1], "id") ?? "");
      if (name && path && entries.has(path)) sheets.push({ name, path });
    }
    if (sheets.length === 0) throw new XlsxError("This workbook has no sheets this page can read");
    const date1904 = /<(?:\w+:)?workbookPr\b[^>]*\bdate1904="(?:1|true)"/.test(xml);
    return { entries, sheets, date1904 };
  }

  sharedStrings(entries: Map<string, ZipEntry>): string[] {
    const xml = this.text(entries.get("xl/sharedStrings.xml"));
    return [...xml.matchAll(/<(?:\w+:)?si>([\s\S]*?)<\/(?:\w+:)?si>|<(?:\w+:)?si\/>/g)].map((m) => (m[1] ? textOf(m[1]) : ""));
  }

  /** Number format of each cell style (index of cellXfs). */
  styles(entries: Map<string, ZipEntry>): string[] {
    const xml = this.text(entries.get("xl/styles.xml"));
    const custom = new Map<number, string>();
    for (const m of xml.matchAll(/<(?:\w+:)?numFmt\b([^>]*)\/?>/g)) {
      const id = attr(m[1], "numFmtId");
      const code = attr(m[1], "formatCode");
      if (id !== null && code !== null) custom.set(Number(id), code);
    }
    const xfs = /<(?:\w+:)?cellXfs\b[^>]*>([\s\S]*?)<\/(?:\w+:)?cellXfs>/.exec(xml)?.[1] ?? "";
    return [...xfs.matchAll(/<(?:\w+:)?xf\b([^>]*?)\/?>/g)].map((m) => {
      const id = Number(attr(m[1], "numFmtId") ?? 0);
      return custom.get(id) ?? builtinFormat(id);
    });
  }
}

/** The names of a workbook's sheets, in order. */
export function xlsxSheetNames(bytes: Uint8Array, limits: XlsxLimits = XLSX_LIMITS): string[] {
  return new Reader(bytes, limits).workbook().sheets.map((s) => s.name);
}

/** A workbook opened once: its parts, shared strings and number formats, for reading one sheet or several. */
type Opened = { reader: Reader; wb: Workbook; strings: string[]; formats: string[]; limits: XlsxLimits };

function open(bytes: Uint8Array, limits: XlsxLimits): Opened {
  const reader = new Reader(bytes, limits);
  const wb = reader.workbook();
  return { reader, wb, strings: reader.sharedStrings(wb.entries), formats: reader.styles(wb.entries), limits };
}

/**
 * The rows of a sheet (the first one when `sheet` is not given), in batches
 * as they are read; empty rows are left out, and each row is as wide as its
 * last cell with a value. Throws XlsxError, with a message for the user.
 */
export function* readXlsxSheet(bytes: Uint8Array, sheet: string | undefined, limits: XlsxLimits = XLSX_LIMITS): Generator<string[][], void, void> {
  const book = open(bytes, limits);
  const chosen = sheet === undefined ? book.wb.sheets[0] : book.wb.sheets.find((s) => s.name === sheet);
  if (!chosen) throw new XlsxError(`This workbook has no sheet named ${JSON.stringify(sheet)}`);
  yield* sheetRows(book, chosen);
}

/**
 * Each sheet's first `rows` non-empty rows (the workbook's shared parts read
 * once), to tell which sheet holds the table. A sheet that cannot be read
 * (too wide, say) shows what was read of it: only the sheet chosen must be read whole.
 */
export function xlsxSheetHeads(bytes: Uint8Array, rows: number, limits: XlsxLimits = XLSX_LIMITS): { name: string; rows: string[][] }[] {
  const book = open(bytes, limits);
  return book.wb.sheets.map((s) => {
    const head: string[][] = [];
    try {
      for (const batch of sheetRows(book, s)) {
        head.push(...batch.slice(0, rows - head.length));
        if (head.length >= rows) break;
      }
    } catch (e) {
      if (!(e instanceof XlsxError)) throw e;
    }
    return { name: s.name, rows: head };
  });
}

function* sheetRows({ reader, wb, strings, formats, limits }: Opened, chosen: { name: string; path: string }): Generator<string[][], void, void> {
  const cellText = (attrs: string, inner: string): string => {
    const type = attr(attrs, "t") ?? "n";
    if (type === "inlineStr") return textOf(inner);
    const v = /<(?:\w+:)?v>([\s\S]*?)<\/(?:\w+:)?v>/.exec(inner)?.[1];
    if (v === undefined) return "";
    switch (type) {
      case "s":
        return strings[Number(v)] ?? "";
      case "str":
      case "e":
        return unescapeXml(v);
      case "b":
        return v === "1" ? "TRUE" : "FALSE";
      case "d":
        return unescapeXml(v).slice(0, 10);
      default: {
        const num = Number(v);
        if (!Number.isFinite(num)) return unescapeXml(v);
        const format = formats[Number(attr(attrs, "s") ?? 0)] ?? "General";
        return format === "General" ? generalText(num) : formatNumber(num, format, wb.date1904);
      }
    }
  };

  const decoder = new TextDecoder();
  let buf = "";
  let rowsSeen = 0;
  const ROW = /<(?:\w+:)?row\b([^>]*?)(?:\/>|>([\s\S]*?)<\/(?:\w+:)?row>)/g;
  const CELL = /<(?:\w+:)?c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/(?:\w+:)?c>)/g;
  const parseRows = (xml: string): string[][] => {
    const out: string[][] = [];
    for (const r of xml.matchAll(ROW)) {
      if (++rowsSeen > limits.maxRows) {
        throw new XlsxError(`The sheet “${chosen.name}” has more than ${n(limits.maxRows)} rows, more than one import takes; split it into smaller files.`);
      }
      if (!r[2]) continue;
      const row: string[] = [];
      let next = 0;
      for (const c of r[2].matchAll(CELL)) {
        const ref = attr(c[1], "r");
        const col = ref ? columnOf(ref) : next;
        next = col + 1;
        if (col >= limits.maxColumns) {
          throw new XlsxError(
            `The sheet “${chosen.name}” uses more than ${n(limits.maxColumns)} columns (a value in column ${n(col + 1)}); remove the columns you do not import, or save only those as CSV.`,
          );
        }
        const text = cellText(c[1], c[2] ?? "");
        if (text === "") continue;
        while (row.length < col) row.push("");
        row[col] = text;
      }
      if (row.some((x) => x.trim() !== "")) out.push(row);
    }
    return out;
  };

  for (const chunk of reader.chunks(wb.entries.get(chosen.path)!)) {
    buf += decoder.decode(chunk, { stream: true });
    let end = buf.lastIndexOf("</row>");
    const prefixed = buf.lastIndexOf(":row>"); // </x:row>, not <x:row>
    if (prefixed > end && buf[buf.lastIndexOf("<", prefixed) + 1] === "/") end = prefixed;
    if (end < 0) continue;
    const cut = buf.indexOf(">", end) + 1;
    const rows = parseRows(buf.slice(0, cut));
    buf = buf.slice(cut);
    if (rows.length) yield rows;
  }
  buf += decoder.decode();
  const rows = parseRows(buf);
  if (rows.length) yield rows;
}
