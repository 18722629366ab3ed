// How a job's rows are kept in import_chunk until they are merged, and how
// they are read back and blanked: every write to import_chunk is here, and
// its text is read only through chunkText and parseChunk. Two formats:
// - a body (JSON API): one chunk holding the request body exactly as sent,
//   deflated (`packed`, rows left empty); the records are its `records`
//   array. Nothing is re-serialised at submit, and a deflated body is about
//   a tenth of the bytes to store and read back (docs/decisions/019).
// - cells (CSV by URL and admin uploads): chunks holding JSON arrays of
//   rows of cells, as wide as the job's `columns`; the job's `mapping` names
//   the field of each column. Both CSV sources share one column check and
//   `cellsToRecords`, and give the file's own columns back in the
//   rejected-rows download.
// Chunks of an older format (JSON arrays of record objects) were made bodies
// by the migration retire_record_array_chunks.
import "server-only";
import { deflateRawSync, inflateRawSync } from "node:zlib";
import type { Dialect } from "../db/dialect";
import type { SqlQuery } from "../db/sql-conn";
import { cellsToRecords } from "../records/cells-to-records";
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
 * Parsed rows, checked to be rows of their format and returned as they are:
 * a copy, as a schema makes, would drop a record's "__proto__" key, which
 * the merge must see and report as an unknown field.
 */
function asRows(value: unknown, body: boolean): StagedRow[] {
  if (!Array.isArray(value)) throw new StagedRowsError(body ? "a body without a records list" : "not a list");
  for (const row of value) {
    if (body) {
      if (row === null || typeof row !== "object" || Array.isArray(row)) throw new StagedRowsError("a record that is not an object");
    } else if (!Array.isArray(row)) {
      throw new StagedRowsError("a row that is not a list of cells");
    } else {
      for (const cell of row) if (typeof cell !== "string") throw new StagedRowsError("a cell that is not text");
    }
  }
  return value as StagedRow[];
}

/** A request body (an object holding `records`), not rows of cells (a list). */
const isBody = (text: string): boolean => text.trimStart().startsWith("{");

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
  return isBody(text) ? asRows((value as { records?: unknown }).records, true) : asRows(value, false);
}

/** The external_id a staged row gives, as written: a record's own, or the cells' column of it under the mapping. */
export function writtenExternalId(row: StagedRow, externalIdColumn: number): unknown {
  return Array.isArray(row) ? row[externalIdColumn] : Object.hasOwn(row, "external_id") ? row.external_id : undefined;
}

/**
 * A chunk's text with the rows `blank` picks, among its first `upTo`, left
 * in place without content (a record becomes {}, cells ""); null when it
 * picks none.
 */
export function blankRows(text: string, blank: (row: StagedRow) => boolean, upTo = Infinity): string | null {
  let changed = false;
  const rows = parseChunk(text).map((row, i) => {
    if (i >= upTo || !blank(row)) return row;
    changed = true;
    return Array.isArray(row) ? row.map(() => "") : {};
  });
  if (!changed) return null;
  return isBody(text) ? JSON.stringify({ ...(JSON.parse(text) as Record<string, unknown>), records: rows }) : JSON.stringify(rows);
}

/**
 * A condition on import_chunk `c` taking one parameter, a text: false only
 * when the chunk cannot hold that text as written. The database cannot
 * search inside a deflated body, so that may hold anything.
 */
export function chunkMayContainSql(dialect: Dialect): string {
  return `(c.packed IS NOT NULL OR ${dialect === "postgresql" ? "strpos(c.rows, ?) > 0" : "instr(c.rows, ?) > 0"})`;
}

/** Writes a chunk's text back as it was stored: deflated when it was. */
export async function rewriteChunk(q: SqlQuery, chunk: { jobId: string; no: number; packed: boolean }, text: string): Promise<void> {
  if (chunk.packed) await q.run("UPDATE import_chunk SET packed = ? WHERE job_id = ? AND no = ?", [packText(text), chunk.jobId, chunk.no]);
  else await q.run("UPDATE import_chunk SET rows = ? WHERE job_id = ? AND no = ?", [text, chunk.jobId, chunk.no]);
}

/** Staged rows as the records they stand for. */
export function rowsToRecords(rows: readonly StagedRow[], mapping: ColumnList | null): RawRecord[] {
  return rows.map((row) => (Array.isArray(row) ? cellsToRecords(mapping ?? [], [row])[0] : row));
}

export const encodeCells = (rows: readonly string[][]): string => JSON.stringify(rows);

/** A request body to stage as sent: deflated (packText), one chunk of its job. */
export type StagedBody = { jobId: string; recordCount: number; packed: Uint8Array };

/** Stages request bodies, each its job's one chunk, in one statement. */
export async function insertBodies(q: SqlQuery, bodies: readonly StagedBody[]): Promise<void> {
  if (bodies.length === 0) return;
  await q.run(
    `INSERT INTO import_chunk (job_id, no, start, row_count, rows, packed) VALUES ${bodies.map(() => "(?, 0, 0, ?, '', ?)").join(", ")}`,
    bodies.flatMap((b) => [b.jobId, b.recordCount, b.packed]),
  );
}

/** Stages one piece of an upload's cells (encodeCells) under its number; false when that piece was staged before. */
export async function insertPiece(q: SqlQuery, piece: { jobId: string; no: number; rowCount: number; text: string }): Promise<boolean> {
  const added = await q.run(
    "INSERT INTO import_chunk (job_id, no, start, row_count, rows) VALUES (?, ?, 0, ?, ?) ON CONFLICT (job_id, no) DO NOTHING",
    [piece.jobId, piece.no, piece.rowCount, piece.text],
  );
  return added > 0;
}

/**
 * Places an upload's pieces when every one from 0 up is there: each starts
 * where the pieces numbered before it end. Answers the rows they hold.
 */
export async function placePieces(q: SqlQuery, jobId: string): Promise<{ rows: number; complete: boolean }> {
  const pieces = await q.get<{ n: number; rows: number; last: number }>(
    "SELECT COUNT(*) AS n, COALESCE(SUM(row_count), 0) AS rows, COALESCE(MAX(no), -1) AS last FROM import_chunk WHERE job_id = ?",
    [jobId],
  );
  const rows = Number(pieces!.rows);
  if (Number(pieces!.n) !== Number(pieces!.last) + 1) return { rows, complete: false };
  await q.run(
    `UPDATE import_chunk SET start = (SELECT COALESCE(SUM(c.row_count), 0) FROM import_chunk c
                                       WHERE c.job_id = import_chunk.job_id AND c.no < import_chunk.no)
      WHERE job_id = ?`,
    [jobId],
  );
  return { rows, complete: true };
}

/** Stages another job's chunks, as they are, for `toJobId` (a preview started for real). */
export async function copyChunks(q: SqlQuery, fromJobId: string, toJobId: string): Promise<void> {
  await q.run("INSERT INTO import_chunk (job_id, no, start, row_count, rows, packed) SELECT ?, no, start, row_count, rows, packed FROM import_chunk WHERE job_id = ?", [
    toJobId,
    fromJobId,
  ]);
}

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
