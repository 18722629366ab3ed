import type { ColumnFormat } from "@/lib/formats/column-format";
import type { ColumnStats } from "@/lib/formats/column-stats";
import type { CheckSummary } from "@/lib/upload/check-rows";
import type { FixOptions, FixRow } from "@/lib/upload/fix-session";
import type { RowEdits } from "@/lib/upload/row-edits";

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

// Messages between the wizard and its Web Worker. `sheet`: the sheet of an
// .xlsx file every request reads (when absent, the one that looks like the
// member table: read-table.ts).
export type ToWorker = { sheet?: string } & (
  | { type: "preview"; file: File }
  /** Every value of every column, for the formats' suggestions. */
  | { type: "scan"; file: File; phoneRegion: string }
  | ({ type: "check"; file: File } & FixOptions)
  | ({ type: "problem-rows"; file: File } & FixOptions)
  /** Hold the rows with problems for fixing in place (this worker stays, for the edits that follow). */
  | ({ type: "fix-load"; file: File } & FixOptions)
  /** A cell edited: kept as a patch, its row checked again. */
  | { type: "fix-patch"; row: number; column: number; value: string }
  /** A value replaced everywhere in a column. */
  | { type: "fix-replace"; column: number; from: string; to: string }
  /** Cut the file, its cells converted by `formats`, into upload `uploadId`'s pieces; at most `window` pieces are posted and not yet acknowledged. */
  | { type: "upload"; uploadId: string; file: File; formats: Formats; edits: RowEdits; phoneRegion: string; limits: PieceLimits; window: number }
  /** One piece of the upload has been stored by the server. */
  | { type: "ack" }
);

export type FromWorker =
  /** `sheets`: an .xlsx file's sheets, for the sheet picker; `sheet`: the one read */
  | { type: "preview"; headers: string[]; rows: string[][]; encoding: string; sheets?: string[]; sheet?: string }
  | { type: "progress"; rows: number; bytes: number }
  /** `samples`: per column, a few distinct non-blank values as read → as converted (the formats' preview). */
  | { type: "checked"; summary: CheckSummary; samples: [string, string][][] }
  | { type: "scanned"; stats: ColumnStats[] }
  /** The held rows with problems (all of them, checked again), how many the file has, and the edits now. */
  | { type: "fix-rows"; rows: FixRow[]; total: number; edits: RowEdits }
  /** One row checked again after an edit, and the edits now. */
  | { type: "fix-row"; row: FixRow; edits: RowEdits }
  | { type: "problem-rows"; csv: string; count: number }
  /** Piece `no` (0, 1, 2, ...) of `rows` rows: the pieces route's whole request body, JSON (uploadId, no, rows). */
  | { type: "piece"; no: number; rows: number; body: Blob }
  /** Every piece has been posted. */
  | { type: "uploaded"; rows: number; pieces: number }
  | { type: "error"; message: string };
