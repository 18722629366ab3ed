// What the service forgets, and when (docs/decisions/009):
// - a finished job's staged rows, problems and before-images (the data kept
//   to undo it), RETENTION_DAYS after it ended (members' personal data); its
//   counts stay, it says when, and it can no longer be undone. Not while an
//   undo of it is waiting or running: that undo needs them; nor while a
//   webhook delivery of its end is pending. Its ended deliveries go with
//   its problems (their bodies quote them: lib/webhooks/delivery-retention.ts);
// - a finished dry run's overlay, as soon as the engine has nothing to merge
//   (dropEndedOverlays; the sweep below also catches one an engine left);
// - an upload never finished, UPLOAD_EXPIRY_HOURS after it began (it was
//   never accepted: nothing of it is shown anywhere).
// Run by the engine from time to time, a few jobs per transaction, so it
// never holds the write lock for long.
import "server-only";
import type { SqlConn } from "../db/sql-conn";
import { daysAgoParam, nowTimestampSql } from "../db/sql";
import { deleteChunks } from "./staged-rows";
import { deleteJobDeliveries, NO_DELIVERY_PENDING } from "../webhooks/delivery-retention";

const JOBS_PER_PASS = 20;

const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();

/** No undo of the job is waiting or running (it would need the before-images). */
const UNDO_NOT_PENDING =
  "(import_job.reverted_by IS NULL OR EXISTS (SELECT 1 FROM import_job r WHERE r.id = import_job.reverted_by AND r.status IN ('ready', 'failed')))";

/**
 * Per table, its key within a job and how many rows a transaction deletes: a
 * dry run's overlay has a row per target (maybe a million), before-images a
 * row per batch of up to a thousand targets.
 */
const JOB_ROWS = {
  dry_run_target: { key: "external_id", perTx: 5_000, job: "job_id = ?" },
  import_change: { key: "first_ordinal", perTx: 5, job: "job_id = ?" },
  target_change: { key: "external_id", perTx: 5_000, job: "job_seq = (SELECT seq FROM import_job WHERE id = ?)" },
} as const;

/**
 * Deletes a table's rows of one job a few thousand targets per transaction,
 * so no transaction holds the write lock long (also a finished dry run's overlay).
 */
export async function deleteJobRows(
  conn: SqlConn,
  table: keyof typeof JOB_ROWS,
  jobId: string,
  keepGoing: () => Promise<boolean> = async () => true,
): Promise<boolean> {
  const { key, perTx, job } = JOB_ROWS[table];
  for (;;) {
    const n = await conn.run(`DELETE FROM ${table} WHERE ${job} AND ${key} IN (SELECT ${key} FROM ${table} WHERE ${job} LIMIT ${perTx})`, [
      jobId,
      jobId,
    ]);
    if (n < perTx) return true;
    if (!(await keepGoing())) return false;
  }
}

const ENDED_WITH_OVERLAY = `SELECT j.id FROM import_job j
  WHERE j.status IN ('ready', 'failed', 'cancelled') AND EXISTS (SELECT 1 FROM dry_run_target d WHERE d.job_id = j.id) LIMIT ?`;

/**
 * The overlays of dry runs that have ended, deleted a few thousand rows at a
 * time while `keepGoing()` says so (the engine does this when it has nothing
 * to merge: a million-row preview's overlay takes seconds to delete, which
 * must not delay the import started from it). True when none is left.
 */
export async function dropEndedOverlays(conn: SqlConn, keepGoing: () => Promise<boolean>): Promise<boolean> {
  for (;;) {
    const ended = await conn.get<{ id: string }>(ENDED_WITH_OVERLAY, [1]);
    if (!ended) return true;
    if (!(await deleteJobRows(conn, "dry_run_target", ended.id, keepGoing))) return false;
  }
}

/**
 * Deletes the details of up to `limit` jobs past retention; returns how many.
 * The job is marked first, under its row lock (createRevert reads it FOR
 * UPDATE), so no undo is accepted once its before-images start to go; then
 * they are deleted in small transactions.
 */
export async function purgeExpiredDetails(conn: SqlConn, retentionDays: number, limit = JOBS_PER_PASS): Promise<number> {
  const due = await conn.all<{ id: string }>(
    `SELECT id FROM import_job
      WHERE status IN ('ready', 'failed') AND details_purged_at IS NULL AND finished_at < ? AND ${UNDO_NOT_PENDING} AND ${NO_DELIVERY_PENDING}
      ORDER BY finished_at LIMIT ?`,
    [daysAgoParam(retentionDays), limit],
  );
  let purged = 0;
  for (const { id } of due) {
    const marked = await conn.tx(async (q) => {
      // an undo accepted and not finished still needs the before-images
      const n = await q.run(
        `UPDATE import_job SET details_purged_at = ${nowTimestampSql(q.dialect)}
          WHERE id = ? AND details_purged_at IS NULL
            AND ${UNDO_NOT_PENDING} AND ${NO_DELIVERY_PENDING}`,
        [id],
      );
      if (n === 0) return false;
      await deleteChunks(q, id);
      await q.run("DELETE FROM import_error WHERE job_id = ?", [id]);
      await deleteJobDeliveries(q, id);
      return true;
    });
    if (!marked) continue;
    purged++;
    await deleteJobRows(conn, "import_change", id);
    await deleteJobRows(conn, "target_change", id);
    await deleteJobRows(conn, "dry_run_target", id);
  }
  return purged;
}

/**
 * Before-images of purged jobs and overlays of finished dry runs that are
 * still there (an engine stopped half-way through deleting them, or never
 * idle since): deleted now. Returns how many jobs had some.
 */
export async function sweepLeftovers(conn: SqlConn, limit = JOBS_PER_PASS): Promise<number> {
  const changes = await conn.all<{ id: string }>(
    `SELECT j.id FROM import_job j
      WHERE j.details_purged_at IS NOT NULL
        AND (EXISTS (SELECT 1 FROM import_change c WHERE c.job_id = j.id) OR EXISTS (SELECT 1 FROM target_change t WHERE t.job_seq = j.seq)) LIMIT ?`,
    [limit],
  );
  for (const { id } of changes) {
    await deleteJobRows(conn, "import_change", id);
    await deleteJobRows(conn, "target_change", id);
  }
  const overlays = await conn.all<{ id: string }>(ENDED_WITH_OVERLAY, [limit]);
  for (const { id } of overlays) await deleteJobRows(conn, "dry_run_target", id);
  return changes.length + overlays.length;
}

/** Deletes uploads begun over `hours` ago and never finished, with their rows. */
export async function expireAbandonedUploads(conn: SqlConn, hours: number): Promise<number> {
  const due = await conn.all<{ id: string }>(
    "SELECT id FROM import_job WHERE status = 'uploading' AND created_at < ? LIMIT ?",
    [hoursAgo(hours), JOBS_PER_PASS],
  );
  for (const { id } of due) {
    await conn.tx(async (q) => {
      await deleteChunks(q, id);
      await q.run("DELETE FROM import_job WHERE id = ? AND status = 'uploading'", [id]);
    });
  }
  return due.length;
}

/** Runs all three until nothing is due (or `maxPasses`), returning the counts. */
export async function forgetExpired(
  conn: SqlConn,
  opts: { retentionDays: number; uploadExpiryHours: number; maxPasses?: number },
): Promise<{ purged: number; expiredUploads: number; leftovers: number }> {
  let purged = 0;
  let expiredUploads = 0;
  let leftovers = 0;
  for (let pass = 0; pass < (opts.maxPasses ?? 50); pass++) {
    const p = await purgeExpiredDetails(conn, opts.retentionDays);
    const u = await expireAbandonedUploads(conn, opts.uploadExpiryHours);
    const l = await sweepLeftovers(conn);
    purged += p;
    expiredUploads += u;
    leftovers += l;
    if (p < JOBS_PER_PASS && u < JOBS_PER_PASS && l < JOBS_PER_PASS) break;
  }
  return { purged, expiredUploads, leftovers };
}

/** A URL as kept after its download: no query, fragment or credentials (often a signed link). */
export function withoutSecrets(url: string): string {
  try {
    const u = new URL(url);
    u.search = "";
    u.hash = "";
    u.username = "";
    u.password = "";
    return u.toString();
  } catch {
    return url.split(/[?#]/, 1)[0];
  }
}
