// Running a job: a worker claims the head of the queue under a lease, renews
// it (at a position: the merge's fence), records each batch, and finishes,
// fails or releases the job.
import "server-only";
import type { SqlConn, SqlQuery } from "../db/sql-conn";
import { nowMsSql, nowTimestampSql } from "../db/sql";
import { enqueueJobEndDeliveries } from "../webhooks/job-ended";
import { CancelRequestedError, LeaseLostError, type Lease } from "./job-lease";
import { decodeFieldChanges, QUEUED_JOB_COLUMNS, queuedJobSchema, type QueuedJob } from "./job-row";
import { deleteChunks } from "./staged-rows";

/**
 * Claims the head of the queue: the accepted, unfinished job with the lowest
 * seq, if its rows are staged and it is waiting or its worker's lease has run
 * out (a dead worker's job is taken over). Only the head is ever run, so jobs
 * merge in acceptance order however many workers there are. One statement:
 * in PostgreSQL the row lock and the re-check of the WHERE clause under READ
 * COMMITTED let only one of several racing workers win; SQLite runs writes
 * one at a time. The re-check sees only the outer WHERE, not the subquery's
 * snapshot, so the outer WHERE repeats the status test: without it a claim
 * that waited on the head's finishing transaction re-opened a ready job.
 */
export async function claimJob(conn: SqlConn, workerId: string, leaseMs: number): Promise<QueuedJob | null> {
  // A job this worker holds itself is one whose claim it never heard back
  // about (the connection dropped before the answer): it takes it again, and
  // that costs no attempt.
  const row = await conn.tx((q) =>
    q.get(
      `UPDATE import_job
          SET status = 'running', locked_by = ?, locked_until = ${nowMsSql(q.dialect)} + ?,
              attempts = attempts + CASE WHEN locked_by = ? THEN 0 ELSE 1 END,
              started_at = COALESCE(started_at, ${nowTimestampSql(q.dialect)})
        WHERE id = (SELECT id FROM import_job
                     WHERE status IN ('queued', 'running') AND seq IS NOT NULL
                     ORDER BY seq LIMIT 1)
          AND staged AND status IN ('queued', 'running')
          AND (status = 'queued' OR locked_until IS NULL OR locked_until < ${nowMsSql(q.dialect)} OR locked_by = ?)
      RETURNING ${QUEUED_JOB_COLUMNS}`,
      [workerId, leaseMs, workerId, workerId],
    ),
  );
  return row ? queuedJobSchema.parse(row) : null;
}

/** The next accepted job after `seq`, if staged: the engine prepares its first batch early. */
export async function nextQueuedJob(q: SqlQuery, seq: number): Promise<QueuedJob | null> {
  const row = await q.get(
    `SELECT ${QUEUED_JOB_COLUMNS} FROM import_job WHERE seq > ? AND status IN ('queued', 'running') ORDER BY seq LIMIT 1`,
    [seq],
  );
  const job = row ? queuedJobSchema.parse(row) : null;
  return job?.staged ? job : null;
}

/**
 * Extends the lease if this worker still holds it (and, when given, the job
 * has merged exactly `position` records); throws LeaseLostError otherwise.
 * Inside a merge transaction this is the fence: a worker that lost its job
 * cannot commit, and no batch is applied twice.
 */
export async function renewLease(q: SqlQuery, lease: Lease, position?: number): Promise<void> {
  const renew = `UPDATE import_job SET locked_until = ${nowMsSql(q.dialect)} + ? WHERE id = ? AND locked_by = ? AND status = 'running'`;
  if (position === undefined) {
    const n = await q.run(renew, [lease.leaseMs, lease.jobId, lease.workerId]);
    if (n !== 1) throw new LeaseLostError(lease.jobId);
    return;
  }
  // a batch's fence also stops at a cancel asked for: read under the row's
  // lock, so a cancel either lands before this batch or waits for its commit
  const row = await q.get<{ cancel_requested_at: unknown }>(`${renew} AND processed = ? RETURNING cancel_requested_at`, [
    lease.leaseMs,
    lease.jobId,
    lease.workerId,
    position,
  ]);
  if (!row) throw new LeaseLostError(lease.jobId);
  if (row.cancel_requested_at !== null) throw new CancelRequestedError(lease.jobId);
}

export type BatchOutcome = {
  records: number;
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
  conflictsIgnored: number;
  errors: number;
  /** Per attribute or custom slug (a Map: a slug may be "constructor"). */
  fieldChanges: ReadonlyMap<string, number>;
  /** Of those, per attribute, how many cleared it (optional: only the merge counts them). */
  fieldClears?: ReadonlyMap<string, number>;
};

/** Per-attribute counts plus `add`, as JSON; null when there is nothing to add. */
function addCounts(stored: string | null | undefined, add: ReadonlyMap<string, number> | undefined): string | null {
  if (!add || add.size === 0) return null;
  const sum = new Map(Object.entries(decodeFieldChanges(stored ?? null)));
  for (const [key, n] of add) sum.set(key, (sum.get(key) ?? 0) + n);
  return JSON.stringify(Object.fromEntries(sum));
}

/** Adds a merged batch to the job's progress; returns the seq of the batch's first problem. */
export async function recordBatch(q: SqlQuery, jobId: string, b: BatchOutcome): Promise<number> {
  const adds = (m?: ReadonlyMap<string, number>) => !!m && m.size > 0;
  // the stored counts, read once for both columns when the batch adds to either
  const stored =
    adds(b.fieldChanges) || adds(b.fieldClears)
      ? await q.get<{ field_changes: string; field_clears: string }>("SELECT field_changes, field_clears FROM import_job WHERE id = ?", [jobId])
      : undefined;
  const fieldChanges = addCounts(stored?.field_changes, b.fieldChanges);
  const fieldClears = addCounts(stored?.field_clears, b.fieldClears);
  const row = await q.get<{ error_count: number }>(
    `UPDATE import_job SET processed = processed + ?, created = created + ?, updated = updated + ?, unchanged = unchanged + ?,
            rejected = rejected + ?, conflicts_ignored = conflicts_ignored + ?, error_count = error_count + ?,
            field_changes = COALESCE(?, field_changes), field_clears = COALESCE(?, field_clears)
      WHERE id = ? RETURNING error_count`,
    [b.records, b.created, b.updated, b.unchanged, b.rejected, b.conflictsIgnored, b.errors, fieldChanges, fieldClears, jobId],
  );
  return Number(row!.error_count) - b.errors;
}

export type RevertBatchOutcome = { records: number; deleted: number; restored: number; skipped: number; errors: number };

/** Adds a revert batch to the revert job's progress; returns the seq of its first entry. */
export async function recordRevertBatch(q: SqlQuery, jobId: string, b: RevertBatchOutcome): Promise<number> {
  const row = await q.get<{ error_count: number }>(
    `UPDATE import_job SET processed = processed + ?, deleted = deleted + ?, restored = restored + ?, skipped = skipped + ?,
            error_count = error_count + ?
      WHERE id = ? RETURNING error_count`,
    [b.records, b.deleted, b.restored, b.skipped, b.errors, jobId],
  );
  return Number(row!.error_count) - b.errors;
}

async function endJob(q: SqlQuery, lease: Lease, status: "ready" | "failed" | "cancelled", failure: { code: string; message: string } | null) {
  const n = await q.run(
    `UPDATE import_job SET status = ?, finished_at = ${nowTimestampSql(q.dialect)}, failure_code = ?, failure_message = ?,
            locked_by = NULL, locked_until = NULL
      WHERE id = ? AND locked_by = ? AND status = 'running'`,
    [status, failure?.code ?? null, failure?.message ?? null, lease.jobId, lease.workerId],
  );
  if (n !== 1) throw new LeaseLostError(lease.jobId);
}

/** A job with no rows to merge is ready, behind the fence at its position (which stops at a cancel asked for, like a batch). */
export async function finishJob(conn: SqlConn, lease: Lease, position: number): Promise<void> {
  await conn.tx(async (q) => {
    await renewLease(q, lease, position);
    await finishJobIn(q, lease);
  });
}

/** The job is ready, as part of a transaction (the merge's last batch). */
export async function finishJobIn(q: SqlQuery, lease: Lease): Promise<void> {
  await endJob(q, lease, "ready", null);
  await enqueueJobEndDeliveries(q, lease.jobId);
}

/** Ends a job as failed (what it merged already undone); its staged rows and before-images go too. */
export async function failJob(conn: SqlConn, lease: Lease, code: string, message: string): Promise<void> {
  await conn.tx(async (q) => {
    await renewLease(q, lease);
    await dropJobWork(q, lease.jobId);
    await endJob(q, lease, "failed", { code, message });
    await enqueueJobEndDeliveries(q, lease.jobId);
  });
}

/** What a job that ends without a result no longer needs: its staged rows, before-images and members' history entries. */
export async function dropJobWork(q: SqlQuery, jobId: string): Promise<void> {
  await deleteChunks(q, jobId);
  await q.run("DELETE FROM import_change WHERE job_id = ?", [jobId]);
  await q.run("DELETE FROM target_change WHERE job_seq = (SELECT seq FROM import_job WHERE id = ?)", [jobId]);
}

/**
 * Ends a running job cancelled (what it merged already undone): nothing of
 * it stays, not its problems nor its counts (the imports list would show
 * members as created that are not); `processed` stays, to say how far it got.
 */
export async function cancelRunningJob(conn: SqlConn, lease: Lease): Promise<void> {
  await conn.tx(async (q) => {
    await renewLease(q, lease);
    await dropJobWork(q, lease.jobId);
    await q.run("DELETE FROM import_error WHERE job_id = ?", [lease.jobId]);
    await q.run(
      `UPDATE import_job SET created = 0, updated = 0, unchanged = 0, rejected = 0, conflicts_ignored = 0, error_count = 0,
              field_changes = '{}', field_clears = '{}'
        WHERE id = ?`,
      [lease.jobId],
    );
    await endJob(q, lease, "cancelled", null);
    await enqueueJobEndDeliveries(q, lease.jobId);
  });
}

/**
 * Lets the job be claimed again at once. `refundAttempt`: the run was cut
 * short by the database, not by the job, so it does not count towards the
 * attempts limit (a restarting database must not fail good jobs).
 */
export async function releaseJob(conn: SqlConn, lease: Lease, opts: { refundAttempt?: boolean } = {}): Promise<void> {
  const refund = opts.refundAttempt ? ", attempts = attempts - 1" : "";
  await conn.run(
    `UPDATE import_job SET locked_by = NULL, locked_until = NULL${refund} WHERE id = ? AND locked_by = ? AND status = 'running'`,
    [lease.jobId, lease.workerId],
  );
}
