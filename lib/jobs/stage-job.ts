// Staging a CSV by URL ahead of its turn, under a lease of its own (not the
// merge's): claim, renew, restart, write chunks, then finish or fail.
import "server-only";
import type { SqlConn, SqlQuery } from "../db/sql-conn";
import { nowMsSql, nowTimestampSql } from "../db/sql";
import { LeaseLostError, type Lease } from "./job-lease";
import { encodeColumnList, QUEUED_JOB_COLUMNS, queuedJobSchema, type ColumnList, type QueuedJob } from "./job-row";
import { deleteChunks, insertChunk } from "./staged-rows";
import { enqueueJobEndDeliveries } from "../webhooks/job-ended";

/** The earliest accepted CSV by URL not staged yet (nor being staged by a live stager). */
export async function claimStaging(conn: SqlConn, stagerId: string, leaseMs: number): Promise<QueuedJob | null> {
  const row = await conn.tx((q) => {
    const free = `(stage_locked_until IS NULL OR stage_locked_until < ${nowMsSql(q.dialect)})`;
    return q.get(
      `UPDATE import_job SET stage_locked_by = ?, stage_locked_until = ${nowMsSql(q.dialect)} + ?
        WHERE id = (SELECT id FROM import_job
                     WHERE source = 'csv_url' AND NOT staged AND status IN ('queued', 'running') AND seq IS NOT NULL
                       AND ${free}
                     ORDER BY seq LIMIT 1)
          AND ${free}
      RETURNING ${QUEUED_JOB_COLUMNS}`,
      [stagerId, leaseMs],
    );
  });
  return row ? queuedJobSchema.parse(row) : null;
}

/** Extends a staging lease; throws LeaseLostError if another stager took it over. */
export async function renewStaging(q: SqlQuery, lease: Lease): Promise<void> {
  const n = await q.run(
    `UPDATE import_job SET stage_locked_until = ${nowMsSql(q.dialect)} + ?
      WHERE id = ? AND stage_locked_by = ? AND NOT staged AND status IN ('queued', 'running')`,
    [lease.leaseMs, lease.jobId, lease.workerId],
  );
  if (n !== 1) throw new LeaseLostError(lease.jobId);
}

/** Starts staging afresh: rows a dead stager left behind are dropped. */
export async function restartStaging(conn: SqlConn, lease: Lease): Promise<void> {
  await conn.tx(async (q) => {
    await renewStaging(q, lease);
    await deleteChunks(q, lease.jobId);
  });
}

/** Writes staged chunks in one transaction, fenced by the staging lease (several at once: one commit and renewal for all). */
export async function stageChunks(conn: SqlConn, lease: Lease, chunks: readonly StagedCells[]): Promise<void> {
  await conn.tx(async (q) => {
    await renewStaging(q, lease);
    for (const c of chunks) await insertChunk(q, { jobId: lease.jobId, no: c.no, start: c.start, rowCount: c.rowCount, text: c.text });
  });
}

/** A chunk of cells ready to stage: its rows encoded (encodeCells). */
export type StagedCells = { no: number; start: number; rowCount: number; text: string };

export async function finishStaging(
  conn: SqlConn,
  lease: Lease,
  staged: { total: number; columns: ColumnList; mapping: ColumnList; csvUrl: string },
): Promise<void> {
  await conn.tx(async (q) => {
    await renewStaging(q, lease);
    // the link has done its work: its query (often a signature) is not kept
    await q.run(
      `UPDATE import_job SET staged = ?, total = ?, columns = ?, mapping = ?, csv_url = ?, stage_locked_by = NULL, stage_locked_until = NULL
        WHERE id = ?`,
      [true, staged.total, encodeColumnList(staged.columns), encodeColumnList(staged.mapping), staged.csvUrl, lease.jobId],
    );
  });
}

/**
 * The CSV cannot be staged (unreachable, not CSV, bad columns): the job fails
 * now, before its turn; it has written nothing, so the order is unaffected.
 */
export async function failStaging(
  conn: SqlConn,
  lease: Lease,
  failure: { code: string; message: string; csvUrl: string },
): Promise<void> {
  const { code, message } = failure;
  await conn.tx(async (q) => {
    await renewStaging(q, lease);
    await deleteChunks(q, lease.jobId);
    await q.run(
      `UPDATE import_job SET status = 'failed', failure_code = ?, failure_message = ?, csv_url = ?,
              started_at = COALESCE(started_at, ${nowTimestampSql(q.dialect)}), finished_at = ${nowTimestampSql(q.dialect)},
              stage_locked_by = NULL, stage_locked_until = NULL, locked_by = NULL, locked_until = NULL
        WHERE id = ?`,
      [code, message, failure.csvUrl, lease.jobId],
    );
    await enqueueJobEndDeliveries(q, lease.jobId);
  });
}

export async function releaseStaging(conn: SqlConn, lease: Lease): Promise<void> {
  await conn.run("UPDATE import_job SET stage_locked_until = NULL WHERE id = ? AND stage_locked_by = ?", [lease.jobId, lease.workerId]);
}
