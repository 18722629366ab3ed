// "Send test event" (tokens page): a delivery to one endpoint, due now, of
// type webhook.test, sent, signed and retried like any other. Its body is
// built at once (no job to wait for) and holds no member data.
import "server-only";
import type { Db } from "../db/client";
import { AppError } from "../errors";
import { insertDelivery } from "./job-ended";
import { TEST_EVENT } from "./webhook-schema";

export async function queueTestEvent(d: Db, endpointId: string): Promise<string> {
  const endpoint = await d.prisma.webhookEndpoint.findUnique({ where: { id: endpointId } });
  if (!endpoint) throw new AppError("not_found", "No such webhook");
  const payload = JSON.stringify({
    type: TEST_EVENT,
    timestamp: new Date().toISOString(),
    data: { webhook_id: endpoint.id, message: "A test event sent from the tokens page" },
  });
  const id = await d.sql.tx((q) => insertDelivery(q, { endpointId, type: TEST_EVENT, jobId: "", payload }));
  return id;
}
