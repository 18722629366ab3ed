// Cuts an upload's rows into pieces by size rather than by row count, so wide
// rows stay under the server's body limit and narrow rows make few requests.
// The cut depends only on the rows and the limits: a retry of the same file
// cuts exactly the same pieces, which matters because the server keeps the
// first copy of a piece number and ignores a repeat.
import { MAX_PIECE_BODY_BYTES, MAX_PIECE_ROWS } from "@/lib/upload/piece-limits";
import type { PieceLimits } from "./worker-protocol";

/** Pieces of about 2 MB of JSON: see use-upload.ts for why. */
export const PIECE_LIMITS: PieceLimits = {
  targetBytes: 2 * 1024 * 1024,
  maxRows: MAX_PIECE_ROWS,
  // room for the body's other fields (uploadId, no)
  maxBytes: MAX_PIECE_BODY_BYTES - 4096,
};

/** The rows' JSON length, cheaply: cells plus their quotes and commas, brackets. */
function estimate(row: readonly string[]): number {
  let n = 3; // [ ] and the comma after the row
  for (const cell of row) n += cell.length + 3; // "cell",
  return n;
}

export class PieceCutter {
  private rows: string[][] = [];
  private bytes = 2;

  constructor(private readonly limits: PieceLimits) {}

  /** Adds a row; returns the piece it completes, if any. */
  add(row: string[]): string[][] | null {
    this.rows.push(row);
    this.bytes += estimate(row);
    return this.bytes >= this.limits.targetBytes || this.rows.length >= this.limits.maxRows ? this.take() : null;
  }

  /** The last, partial piece (null when there is none). */
  flush(): string[][] | null {
    return this.rows.length ? this.take() : null;
  }

  private take(): string[][] {
    const piece = this.rows;
    this.rows = [];
    this.bytes = 2;
    return piece;
  }
}

/**
 * A piece's rows as UTF-8 JSON; split in halves (in order) while the JSON is
 * over `maxBytes`, which the estimate can miss by escapes and non-ASCII text.
 * A single row over the limit is returned as it is (the server will refuse it).
 */
export function encodePiece(rows: string[][], maxBytes: number, encoder = new TextEncoder()): { rows: number; json: Uint8Array }[] {
  const json = encoder.encode(JSON.stringify(rows));
  if (json.byteLength <= maxBytes || rows.length === 1) return [{ rows: rows.length, json }];
  const half = Math.ceil(rows.length / 2);
  return [...encodePiece(rows.slice(0, half), maxBytes, encoder), ...encodePiece(rows.slice(half), maxBytes, encoder)];
}
