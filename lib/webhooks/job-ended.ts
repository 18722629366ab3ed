// A job reached its end (ready, failed or cancelled): one pending delivery
// per subscribed endpoint of its API user, written in the transaction that
// ends the job, so no end is lost and none is sent for a job that did not
// end. The engine side sends them (contract: "Webhooks").
import "server-only";
import type { SqlQuery } from "../db/sql-conn";

/** Called inside the transaction that sets the job's final status. */
export async function enqueueJobEndDeliveries(q: SqlQuery, jobId: string): Promise<void> {
  // filled in by the webhooks work (issue 20): reads the job's owner and
  // status, and inserts a webhook_delivery per subscribed endpoint
  void q;
  void jobId;
}
