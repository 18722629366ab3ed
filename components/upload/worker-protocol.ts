import type { ColumnFormat } from "@/lib/formats/column-format";
import type { ColumnStats } from "@/lib/formats/column-stats";
import type { CheckSummary } from "@/lib/upload/check-rows";

/** Each column's format (null: as written), applied before the check and the upload alike. */
export type Formats = (ColumnFormat | null)[];

/** How the worker cuts a file into pieces for the upload (see piece-cutter.ts). */
export type PieceLimits = {
  /** Aim: a piece is cut once its rows' JSON reaches about this many bytes. */
  targetBytes: number;
  /** Never more rows in a piece (the server's limit). */
  maxRows: number;
  /** A piece whose JSON is larger than this anyway (escapes, non-ASCII text) is split. */
  maxBytes: number;
};

// Messages between the wizard and its Web Worker.
export type ToWorker =
  | { type: "preview"; file: File }
  /** Every value of every column, for the formats' suggestions. */
  | { type: "scan"; file: File; phoneRegion: string }
  | { type: "check"; file: File; mapping: string[]; formats: Formats; catalog: [string, string][]; phoneRegion: string }
  | { type: "problem-rows"; file: File; mapping: string[]; formats: Formats; catalog: [string, string][]; phoneRegion: string }
  /** Cut the file, its cells converted by `formats`, into pieces; at most `window` pieces are posted and not yet acknowledged. */
  | { type: "upload"; file: File; formats: Formats; phoneRegion: string; limits: PieceLimits; window: number }
  /** One piece of the upload has been stored by the server. */
  | { type: "ack" };

export type FromWorker =
  | { type: "preview"; headers: string[]; rows: string[][]; encoding: string }
  | { type: "progress"; rows: number; bytes: number }
  /** `samples`: per column, a few distinct non-blank values as read → as converted (the formats' preview). */
  | { type: "checked"; summary: CheckSummary; samples: [string, string][][] }
  | { type: "scanned"; stats: ColumnStats[] }
  | { type: "problem-rows"; csv: string; count: number }
  /** Piece `no` (0, 1, 2, ...): its `rows` rows as the UTF-8 JSON array of rows of cells (transferred). */
  | { type: "piece"; no: number; rows: number; json: ArrayBuffer }
  /** Every piece has been posted. */
  | { type: "uploaded"; rows: number; pieces: number }
  | { type: "error"; message: string };
