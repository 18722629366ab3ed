// The body of a job's delivery: {type, timestamp, data: the deferred result
// as GET answers it}, built once at the first try and stored, so every try
// sends the same bytes.
import "server-only";
import type { Db } from "../db/client";
import type { SqlQuery } from "../db/sql-conn";
import { deferredResultOf } from "../imports/deferred-result";
import { lockTargetsForWriting } from "../targets/target-store";

/**
 * Built in a transaction holding the targets' writing lock (PostgreSQL; in
 * SQLite writes take turns): an erasure, which scrubs stored payloads, is
 * then wholly before the read of the job's problems or wholly after the
 * payload is stored, never between.
 */
export async function jobDeliveryPayload(d: Db, delivery: { id: string; type: string; jobId: string }): Promise<string> {
  return d.sql.tx(async (q) => {
    await lockTargetsForWriting(q);
    const stored = await q.get<{ payload: string }>("SELECT payload FROM webhook_delivery WHERE id = ?", [delivery.id]);
    if (stored?.payload) return stored.payload;
    const job = await d.prisma.importJob.findUnique({ where: { id: delivery.jobId } });
    const data = job ? await deferredResultOf(d, job) : null;
    const timestamp = (job?.finishedAt ?? new Date()).toISOString();
    const payload = JSON.stringify({ type: delivery.type, timestamp, data });
    await q.run("UPDATE webhook_delivery SET payload = ? WHERE id = ?", [payload, delivery.id]);
    return payload;
  });
}

type ErrorEntry = { external_id?: string | null; message?: string; conflicting_external_ids?: string[] };

const JOBS_PER_READ = 500;

/**
 * Erasure (lib/targets/erase-target.ts): stored payloads lose the member as
 * its problems do, entry by entry, with the same words, so a body still to
 * be sent says what GET now answers. Only the deliveries of `jobIds`, the
 * jobs whose problems name the member, are read (by their job_id index):
 * a body names a member only in errors built from those problems, and none
 * outlives them (delivery-retention.ts).
 */
export async function eraseFromDeliveries(
  q: SqlQuery,
  jobIds: readonly string[],
  externalId: string,
  words: { erased: string; alsoNaming: (ids: string[]) => string },
): Promise<void> {
  const rows: { id: string; payload: string }[] = [];
  const unique = [...new Set(jobIds)];
  for (let i = 0; i < unique.length; i += JOBS_PER_READ) {
    const some = unique.slice(i, i + JOBS_PER_READ);
    rows.push(
      ...(await q.all<{ id: string; payload: string }>(
        `SELECT id, payload FROM webhook_delivery WHERE job_id IN (${some.map(() => "?").join(", ")})
            AND ${q.dialect === "postgresql" ? "strpos(payload, ?) > 0" : "instr(payload, ?) > 0"}`,
        [...some, JSON.stringify(externalId)],
      )),
    );
  }
  for (const row of rows) {
    const body = JSON.parse(row.payload) as { data?: { result?: { errors?: ErrorEntry[] } } | null };
    for (const e of body.data?.result?.errors ?? []) {
      if (e.external_id === externalId) {
        e.external_id = null;
        e.message = words.erased; // the ids it collided with are theirs, not its: they stay
      } else if (e.conflicting_external_ids?.includes(externalId)) {
        const ids = e.conflicting_external_ids.filter((id) => id !== externalId);
        e.message = words.alsoNaming(ids);
        if (ids.length) e.conflicting_external_ids = ids;
        else delete e.conflicting_external_ids;
      }
    }
    await q.run("UPDATE webhook_delivery SET payload = ? WHERE id = ?", [JSON.stringify(body), row.id]);
  }
}
