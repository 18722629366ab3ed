// Retention of the audit log: entries older than AUDIT_RETENTION_DAYS are
// deleted by the engine's housekeeping, a few thousand a transaction so no
// statement holds the write lock long. With record-audit.ts, the only
// writer of audit_entry.
import "server-only";
import { daysAgoParam } from "../db/sql";
import type { SqlConn } from "../db/sql-conn";

const PER_TX = 5_000;

/** Deletes entries older than `retentionDays`; returns how many. */
export async function purgeAudit(conn: SqlConn, retentionDays: number, perTx = PER_TX): Promise<number> {
  const before = daysAgoParam(retentionDays);
  let purged = 0;
  for (;;) {
    const n = await conn.run(`DELETE FROM audit_entry WHERE id IN (SELECT id FROM audit_entry WHERE at < ? ORDER BY id LIMIT ${perTx})`, [before]);
    purged += n;
    if (n < perTx) return purged;
  }
}
