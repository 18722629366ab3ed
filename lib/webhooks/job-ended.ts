// A job reached its end (ready, failed or cancelled): one pending delivery
// per subscribed endpoint of its API user, written in the transaction that
// ends the job, so no end is lost and none is sent for a job that did not
// end. The engine side sends them (contract: "Webhooks"; sender.ts).
//
// The body is built by the sender at the first try, once the job's end is
// committed and readable as GET answers it, and stored then: every try
// sends the same bytes (payload '' until then).
import "server-only";
import { randomBytes } from "node:crypto";
import { nowMsSql, nowTimestampSql } from "../db/sql";
import type { SqlQuery } from "../db/sql-conn";
import { publicStatusOf, jobStatusSchema } from "../vocabulary";
import { webhookEventSchema } from "./webhook-schema";

/** msg_…: the webhook-id header of a delivery, the same on every try. */
export const newDeliveryId = () => `msg_${randomBytes(16).toString("base64url")}`;

/** Inserts one pending delivery, due now (database clock). `payload` '' is built at the first try. */
export async function insertDelivery(q: SqlQuery, d: { endpointId: string; type: string; jobId: string; payload: string }): Promise<string> {
  const id = newDeliveryId();
  await q.run(
    `INSERT INTO webhook_delivery (id, endpoint_id, type, job_id, payload, status, attempts, next_attempt_at, created_at)
     VALUES (?, ?, ?, ?, ?, 'pending', 0, ${nowMsSql(q.dialect)}, ${nowTimestampSql(q.dialect)})`,
    [id, d.endpointId, d.type, d.jobId, d.payload],
  );
  return id;
}

/** Called inside the transaction that sets the job's final status. Staff uploads have no API user: nothing is sent. */
export async function enqueueJobEndDeliveries(q: SqlQuery, jobId: string): Promise<void> {
  const job = await q.get<{ status: string; api_user_id: string | null }>("SELECT status, api_user_id FROM import_job WHERE id = ?", [jobId]);
  if (!job?.api_user_id) return;
  const type = webhookEventSchema.safeParse(`deferred_result.${publicStatusOf(jobStatusSchema.parse(job.status))}`);
  if (!type.success) return;
  const endpoints = await q.all<{ id: string; events: string }>(
    "SELECT id, events FROM webhook_endpoint WHERE api_user_id = ? AND disabled_at IS NULL",
    [job.api_user_id],
  );
  for (const e of endpoints) {
    if (!(JSON.parse(e.events) as string[]).includes(type.data)) continue;
    await insertDelivery(q, { endpointId: e.id, type: type.data, jobId, payload: "" });
  }
}
