// The tokens page's view of webhooks: every API user's endpoints with their
// latest deliveries.
import "server-only";
import type { Db } from "../db/client";
import { recentDeliveries } from "./webhook-deliveries";
import { listWebhooks } from "./webhook-endpoints";
import type { Delivery, Webhook } from "./webhook-schema";

export type ApiUserWebhooks = { apiUserId: string; name: string; webhooks: (Webhook & { deliveries: Delivery[] })[] };

export async function listApiUserWebhooks(d: Db): Promise<ApiUserWebhooks[]> {
  const users = await d.prisma.apiUser.findMany({ orderBy: [{ name: "asc" }, { id: "asc" }], select: { id: true, name: true } });
  const out: ApiUserWebhooks[] = [];
  for (const u of users) {
    const webhooks = await listWebhooks(d, u.id);
    const recent = await recentDeliveries(d, webhooks.map((w) => w.id));
    out.push({ apiUserId: u.id, name: u.name, webhooks: webhooks.map((w) => ({ ...w, deliveries: recent.get(w.id) ?? [] })) });
  }
  return out;
}
