// How a job's rows are kept in import_chunk until they are merged, and how
// they are read back. Two formats:
// - records (JSON API): one chunk holding the request body exactly as sent;
//   the records are its `records` array. Nothing is re-serialised at submit.
// - cells (CSV by URL and admin uploads): chunks holding JSON arrays of
//   rows of cells, as wide as the job's `columns`; the job's `mapping` names
//   the field of each column. Both CSV sources share one column check and
//   `cellsToRecords`, and give the file's own columns back in the
//   rejected-rows download.
// Chunks staged before these formats (JSON arrays of record objects) still
// read: a row that is an object is a record already.
import "server-only";
import { z } from "zod";
import type { SqlQuery } from "../db/sql-conn";
import { cellsToRecords } from "../upload/cells-to-records";
import type { ColumnList } from "./job-row";

export type RawRecord = Record<string, unknown>;
export type StagedRow = string[] | RawRecord;

const rowsSchema = z.array(z.union([z.array(z.string()), z.record(z.string(), z.unknown())]));
const bodySchema = z.object({ records: rowsSchema });

/** A chunk's text → its rows, in order. */
export function parseChunk(text: string): StagedRow[] {
  const value: unknown = JSON.parse(text);
  return text.trimStart().startsWith("{") ? bodySchema.parse(value).records : rowsSchema.parse(value);
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
export type ChunkText = { no: number; start: number; rowCount: number; text: string | null };

/**
 * The chunk holding the row at `position` (0-based), or null past the end.
 * `heldNo`: the chunk the caller holds the text of (an upload's chunk may
 * hold 50,000 rows, merged 1,000 at a time): its text is not read again.
 */
export async function chunkAt(q: SqlQuery, jobId: string, position: number, hintNo = 0, heldNo = -1): Promise<ChunkText | null> {
  const columns = "no, start, row_count AS rowcount, CASE WHEN no = ? THEN NULL ELSE rows END AS rows";
  type R = { no: number; start: number; rowcount: number; rows: string | null };
  const toChunk = (r: R): ChunkText => ({ no: Number(r.no), start: Number(r.start), rowCount: Number(r.rowcount), text: r.rows });
  // the engine reads chunks in order: the hinted one is almost always it
  for (const no of [hintNo, hintNo + 1]) {
    const r = await q.get<R>(`SELECT ${columns} FROM import_chunk WHERE job_id = ? AND no = ?`, [heldNo, jobId, no]);
    if (r && r.start <= position && position < r.start + r.rowcount) return toChunk(r);
  }
  const r = await q.get<R>(`SELECT ${columns} FROM import_chunk WHERE job_id = ? AND start <= ? ORDER BY start DESC LIMIT 1`, [
    heldNo,
    jobId,
    position,
  ]);
  return r && position < r.start + r.rowcount ? toChunk(r) : null;
}

export async function deleteChunks(q: SqlQuery, jobId: string): Promise<void> {
  await q.run("DELETE FROM import_chunk WHERE job_id = ?", [jobId]);
}
