// What the service forgets, and when (docs/decisions/009):
// - a finished job's staged rows and problems, RETENTION_DAYS after it ended
//   (members' personal data); its counts stay, and it says when;
// - an upload never finished, UPLOAD_EXPIRY_HOURS after it began (it was
//   never accepted: nothing of it is shown anywhere).
// Run by the engine from time to time, a few jobs per transaction, so it
// never holds the write lock for long.
import "server-only";
import type { SqlConn } from "../db/sql-conn";
import { nowTimestampSql } from "../db/sql";
import { deleteChunks } from "./staged-rows";

const JOBS_PER_PASS = 20;

const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();

/** Deletes the details of up to `limit` jobs past retention; returns how many. */
export async function purgeExpiredDetails(conn: SqlConn, retentionDays: number, limit = JOBS_PER_PASS): Promise<number> {
  const due = await conn.all<{ id: string }>(
    `SELECT id FROM import_job
      WHERE status IN ('ready', 'failed') AND details_purged_at IS NULL AND finished_at < ?
      ORDER BY finished_at LIMIT ?`,
    [hoursAgo(retentionDays * 24), limit],
  );
  for (const { id } of due) {
    await conn.tx(async (q) => {
      await deleteChunks(q, id);
      await q.run("DELETE FROM import_error WHERE job_id = ?", [id]);
      await q.run(`UPDATE import_job SET details_purged_at = ${nowTimestampSql(q.dialect)} WHERE id = ?`, [id]);
    });
  }
  return due.length;
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

/** Runs both until nothing is due (or `maxPasses`), returning the counts. */
export async function forgetExpired(
  conn: SqlConn,
  opts: { retentionDays: number; uploadExpiryHours: number; maxPasses?: number },
): Promise<{ purged: number; expiredUploads: number }> {
  let purged = 0;
  let expiredUploads = 0;
  for (let pass = 0; pass < (opts.maxPasses ?? 50); pass++) {
    const p = await purgeExpiredDetails(conn, opts.retentionDays);
    const u = await expireAbandonedUploads(conn, opts.uploadExpiryHours);
    purged += p;
    expiredUploads += u;
    if (p < JOBS_PER_PASS && u < JOBS_PER_PASS) break;
  }
  return { purged, expiredUploads };
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
