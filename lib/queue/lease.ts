import type { Db, Tx } from "../db/client";
import { nowMsSql, placeholders } from "../db/sql";

/** Thrown when another worker has taken the job over: stop without writing. */
export class LeaseLostError extends Error {
  constructor(jobId: string) {
    super(`lease on job ${jobId} was lost`);
    this.name = "LeaseLostError";
  }
}

export type Lease = { jobId: string; workerId: string; leaseMs: number };

/**
 * Extends the lease if this worker still holds it (and, when given, the job is
 * at the expected chunk); throws LeaseLostError otherwise. Inside a merge
 * transaction this is the fence: a worker that lost its job cannot commit.
 */
export async function renewLease(runner: Db["prisma"] | Tx, d: Db, lease: Lease, chunksDone?: number): Promise<void> {
  const now = nowMsSql(d.dialect);
  const sql = placeholders(
    d.dialect,
    `UPDATE import_job SET locked_until = ${now} + ? WHERE id = ? AND locked_by = ? AND status = 'running'` +
      (chunksDone === undefined ? "" : " AND chunks_done = ?"),
  );
  const args: unknown[] = [lease.leaseMs, lease.jobId, lease.workerId];
  if (chunksDone !== undefined) args.push(chunksDone);
  const n = await runner.$executeRawUnsafe(sql, ...args);
  if (n !== 1) throw new LeaseLostError(lease.jobId);
}
