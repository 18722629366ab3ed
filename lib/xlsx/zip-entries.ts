// The entries of a zip file (an .xlsx is one) read from its central
// directory, each inflated on demand with fflate and counted as it grows, so
// a zip bomb is stopped at the limit, not after it has filled the memory.
import { Inflate } from "fflate";

export class XlsxError extends Error {}

export type ZipEntry = { name: string; method: number; compressedSize: number; size: number; localOffset: number };

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
/** How much compressed data is inflated at a time: the output of one step stays bounded. */
const STEP = 16 * 1024;

export function zipEntries(bytes: Uint8Array): Map<string, ZipEntry> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 65_535); i--) {
    if (view.getUint32(i, true) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new XlsxError("This is not an Excel .xlsx file (it is not a zip archive); save it again as an Excel Workbook (.xlsx) or as CSV");
  const count = view.getUint16(eocd + 10, true);
  let at = view.getUint32(eocd + 16, true);
  if (at === 0xffffffff || count === 0xffff) throw new XlsxError("This .xlsx file is too large to read here (over 4 GB); save the sheet as CSV");
  const entries = new Map<string, ZipEntry>();
  const decoder = new TextDecoder();
  for (let n = 0; n < count; n++) {
    if (at + 46 > bytes.length || view.getUint32(at, true) !== CENTRAL) throw new XlsxError("This .xlsx file is damaged (its list of contents cannot be read)");
    const nameLength = view.getUint16(at + 28, true);
    const extra = view.getUint16(at + 30, true);
    const comment = view.getUint16(at + 32, true);
    const name = decoder.decode(bytes.subarray(at + 46, at + 46 + nameLength));
    entries.set(name.replace(/^\//, ""), {
      name,
      method: view.getUint16(at + 10, true),
      compressedSize: view.getUint32(at + 20, true),
      size: view.getUint32(at + 24, true),
      localOffset: view.getUint32(at + 42, true),
    });
    at += 46 + nameLength + extra + comment;
  }
  return entries;
}

/**
 * An entry's uncompressed bytes, chunk by chunk as they are inflated.
 * `budget.left` is the number of uncompressed bytes still allowed (shared by
 * every entry read); going over it throws `tooBig()`.
 */
export function* inflateEntry(bytes: Uint8Array, entry: ZipEntry, budget: { left: number }, tooBig: () => XlsxError): Generator<Uint8Array> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const at = entry.localOffset;
  if (at + 30 > bytes.length || view.getUint32(at, true) !== LOCAL) throw new XlsxError(`This .xlsx file is damaged (${entry.name} cannot be read)`);
  const start = at + 30 + view.getUint16(at + 26, true) + view.getUint16(at + 28, true);
  const data = bytes.subarray(start, start + entry.compressedSize);
  const counted = (chunk: Uint8Array) => {
    budget.left -= chunk.length;
    if (budget.left < 0) throw tooBig();
    return chunk;
  };
  if (entry.method === 0) {
    for (let i = 0; i < data.length; i += STEP) yield counted(data.subarray(i, i + STEP));
    return;
  }
  if (entry.method !== 8) throw new XlsxError(`This .xlsx file uses a compression this reader does not know (${entry.name}); save it again from Excel`);
  let out: Uint8Array[] = [];
  const inflate = new Inflate((chunk) => out.push(counted(chunk)));
  for (let i = 0; i < data.length || i === 0; i += STEP) {
    inflate.push(data.subarray(i, i + STEP), i + STEP >= data.length);
    yield* out;
    out = [];
  }
}

/** A whole (small) entry as text. */
export function entryText(bytes: Uint8Array, entry: ZipEntry, budget: { left: number }, tooBig: () => XlsxError): string {
  const decoder = new TextDecoder();
  let text = "";
  for (const c of inflateEntry(bytes, entry, budget, tooBig)) text += decoder.decode(c, { stream: true });
  return text + decoder.decode();
}
