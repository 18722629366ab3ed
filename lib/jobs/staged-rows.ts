// How a job's rows are kept in import_chunk until they are merged, and how
// they are read back. Two formats:
// - records (JSON API): one chunk holding the request body exactly as sent,
//   deflated (`packed`, rows left empty); the records are its `records`
//   array. Nothing is re-serialised at submit. Deflated, a 1,000-record body
//   is ~16 KB instead of ~180 KB: on PostgreSQL, storing and reading back
//   its bytes cost more than anything else in accepting and merging it
//   (docs/decisions/006-merge-speed.md), for ~0.2 ms to deflate and ~0.3 ms
//   to inflate (deflate-raw, level 1).
// - cells (CSV by URL and admin uploads): chunks holding JSON arrays of
//   rows of cells, as wide as the job's `columns`; the job's `mapping` names
//   the field of each column. Both CSV sources share one column check and
//   `cellsToRecords`, and give the file's own columns back in the
//   rejected-rows download.
// Chunks staged before these formats (JSON arrays of record objects) still
// read: a row that is an object is a record already.
import "server-only";
import { deflateRawSync, inflateRawSync } from "node:zlib";
import type { SqlQuery } from "../db/sql-conn";
import { cellsToRecords } from "../upload/cells-to-records";
import type { ColumnList } from "./job-row";

export type RawRecord = Record<string, unknown>;
export type StagedRow = string[] | RawRecord;

class StagedRowsError extends Error {
  constructor(what: string) {
    super(`staged rows: ${what}`);
    this.name = "StagedRowsError";
  }
}

/**
 * Parsed rows, checked to be rows (cells, or records) and returned as they
 * are: a copy, as a schema makes, would drop a record's "__proto__" key,
 * which the merge must see and report as an unknown field (and copying
 * 1,000 records cost ~0.8 ms a batch).
 */
function asRows(value: unknown): StagedRow[] {
  if (!Array.isArray(value)) throw new StagedRowsError("not a list");
  for (const row of value) {
    if (Array.isArray(row)) {
      for (const cell of row) if (typeof cell !== "string") throw new StagedRowsError("a cell that is not text");
    } else if (row === null || typeof row !== "object") {
      throw new StagedRowsError("a row that is neither cells nor a record");
    }
  }
  return value as StagedRow[];
}

/** A chunk as stored: its text, or (a request body) that text deflated. */
export type StagedText = string | Uint8Array;

export const packText = (text: string): Uint8Array => deflateRawSync(text, { level: 1 });

export function unpackText(staged: StagedText): string {
  return typeof staged === "string" ? staged : inflateRawSync(staged).toString("utf8");
}

/** A stored chunk's text: `packed` when it has it, else `rows`. */
export const chunkText = (c: { rows: string; packed: Uint8Array | null }): StagedText => c.packed ?? c.rows;

/** A chunk's text → its rows, in order. */
export function parseChunk(staged: StagedText): StagedRow[] {
  const text = unpackText(staged);
  const value: unknown = JSON.parse(text);
  if (!text.trimStart().startsWith("{")) return asRows(value);
  return asRows((value as { records?: unknown }).records);
}

/** Staged rows as the records they stand for. */
export function rowsToRecords(rows: readonly StagedRow[], mapping: ColumnList | null): RawRecord[] {
  return rows.map((row) => (Array.isArray(row) ? cellsToRecords(mapping ?? [], [row])[0] : row));
}

export const encodeCells = (rows: readonly string[][]): string => JSON.stringify(rows);

export async function insertChunk(
  q: SqlQuery,
  chunk: { jobId: string; no: number; start: number; rowCount: number; text: string },
): Promise<void> {
  await q.run("INSERT INTO import_chunk (job_id, no, start, row_count, rows) VALUES (?, ?, ?, ?, ?)", [
    chunk.jobId,
    chunk.no,
    chunk.start,
    chunk.rowCount,
    chunk.text,
  ]);
}

/** A chunk; `text` is null when the caller said it holds it already. */
export type ChunkText = { no: number; start: number; rowCount: number; text: StagedText | null };

/**
 * The chunk holding the row at `position` (0-based), or null past the end.
 * `heldNo`: the chunk the caller holds the text of (an upload's chunk may
 * hold 50,000 rows, merged 1,000 at a time): its text is not read again.
 */
export async function chunkAt(q: SqlQuery, jobId: string, position: number, hintNo = 0, heldNo = -1): Promise<ChunkText | null> {
  const columns =
    "no, start, row_count AS rowcount, CASE WHEN no = ? THEN NULL ELSE rows END AS rows, CASE WHEN no = ? THEN NULL ELSE packed END AS packed";
  type R = { no: number; start: number; rowcount: number; rows: string | null; packed: Uint8Array | null };
  const toChunk = (r: R): ChunkText => ({ no: Number(r.no), start: Number(r.start), rowCount: Number(r.rowcount), text: r.packed ?? r.rows });
  // the engine reads chunks in order: the hinted one is almost always it
  for (const no of [hintNo, hintNo + 1]) {
    const r = await q.get<R>(`SELECT ${columns} FROM import_chunk WHERE job_id = ? AND no = ?`, [heldNo, heldNo, jobId, no]);
    if (r && r.start <= position && position < r.start + r.rowcount) return toChunk(r);
  }
  const r = await q.get<R>(`SELECT ${columns} FROM import_chunk WHERE job_id = ? AND start <= ? ORDER BY start DESC LIMIT 1`, [
    heldNo,
    heldNo,
    jobId,
    position,
  ]);
  return r && position < r.start + r.rowcount ? toChunk(r) : null;
}

export async function deleteChunks(q: SqlQuery, jobId: string): Promise<void> {
  await q.run("DELETE FROM import_chunk WHERE job_id = ?", [jobId]);
}
