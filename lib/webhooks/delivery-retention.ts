// Retention of webhook deliveries (docs/decisions/009, 034): a stored body is
// the deferred result, whose errors can name members, so a delivered or
// failed delivery is kept no longer than the job's problems it was built
// from. A job's deliveries go in the transaction that deletes its problems
// (lib/jobs/retention.ts), and that waits while one is still pending: no
// body outlives the problems erasure finds it by (delivery-payload.ts). The
// rest (test events, cancelled jobs' ends) go RETENTION_DAYS after they
// were queued, endpoint by endpoint on its (endpoint_id, created_at) index,
// a few thousand rows per statement.
import "server-only";
import { daysAgoParam } from "../db/sql";
import type { SqlConn, SqlQuery } from "../db/sql-conn";

const PER_TX = 5_000;
const ENDPOINTS_PER_PAGE = 100;

/** SQL: no delivery of the import_job row is still to be sent (its body may still be built from its problems). */
export const NO_DELIVERY_PENDING =
  "NOT EXISTS (SELECT 1 FROM webhook_delivery w WHERE w.job_id = import_job.id AND w.status = 'pending')";

/** A job's ended deliveries, deleted with its problems (inside that transaction). */
export async function deleteJobDeliveries(q: SqlQuery, jobId: string): Promise<void> {
  await q.run("DELETE FROM webhook_delivery WHERE job_id = ? AND status <> 'pending'", [jobId]);
}

/** Deletes delivered and failed deliveries queued over `retentionDays` ago; returns how many. */
export async function purgeExpiredDeliveries(conn: SqlConn, retentionDays: number, perTx = PER_TX): Promise<number> {
  const before = daysAgoParam(retentionDays);
  let purged = 0;
  let after = "";
  for (;;) {
    const endpoints = await conn.all<{ id: string }>("SELECT id FROM webhook_endpoint WHERE id > ? ORDER BY id LIMIT ?", [
      after,
      ENDPOINTS_PER_PAGE,
    ]);
    for (const { id } of endpoints) {
      for (;;) {
        const n = await conn.run(
          `DELETE FROM webhook_delivery WHERE id IN (SELECT id FROM webhook_delivery
             WHERE endpoint_id = ? AND created_at < ? AND status IN ('delivered', 'failed') LIMIT ${perTx})`,
          [id, before],
        );
        purged += n;
        if (n < perTx) break;
      }
    }
    if (endpoints.length < ENDPOINTS_PER_PAGE) return purged;
    after = endpoints[endpoints.length - 1].id;
  }
}
