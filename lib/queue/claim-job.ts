import type { Db } from "../db/client";
import { nowMsSql, nowTimestampSql, placeholders } from "../db/sql";

/**
 * Claims the head of the queue: the accepted, unfinished job with the lowest
 * seq, if it is waiting or its worker's lease has run out (a dead worker's job
 * is taken over). Only the head is ever run, so jobs merge in acceptance
 * order however many workers there are. One statement: in PostgreSQL the row
 * lock and the re-check of the WHERE clause under READ COMMITTED let only one
 * of several racing workers win; SQLite runs writes one at a time.
 */
export async function claimNextJob(d: Db, workerId: string, leaseMs: number): Promise<string | null> {
  const now = nowMsSql(d.dialect);
  const sql = placeholders(
    d.dialect,
    `UPDATE import_job
        SET status = 'running', locked_by = ?, locked_until = ${now} + ?, attempts = attempts + 1,
            started_at = COALESCE(started_at, ${nowTimestampSql(d.dialect)})
      WHERE id = (SELECT id FROM import_job
                   WHERE status IN ('queued', 'running') AND seq IS NOT NULL
                   ORDER BY seq LIMIT 1)
        AND (status = 'queued' OR locked_until IS NULL OR locked_until < ${now})
  RETURNING id`,
  );
  const rows = (await d.prisma.$queryRawUnsafe(sql, workerId, leaseMs)) as { id: string }[];
  return rows[0]?.id ?? null;
}
