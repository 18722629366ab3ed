import { env } from "@/lib/env";
import { withApiUser } from "@/lib/http/api-route";
import { readJsonBody } from "@/lib/http/read-json-body";
import { parseInput } from "@/lib/invalid-payload";
import { createWebhook, listWebhooks } from "@/lib/webhooks/webhook-endpoints";
import { createWebhookSchema } from "@/lib/webhooks/webhook-schema";

// POST/GET /api/webhooks (contract: "Webhooks"): the calling API user's
// endpoints. Served by Next.js (the front server answers only the upsert and
// result polls); no-store like every API answer (next.config.js).

/** A registration is a URL and a few event names: a small body. */
const MAX_WEBHOOK_BODY_BYTES = 16 * 1024;

export const GET = withApiUser(async ({ db, apiUserId }) => Response.json({ webhooks: await listWebhooks(db, apiUserId) }));

export const POST = withApiUser(async ({ req, db, apiUserId, by }) => {
  const { value } = await readJsonBody(req, MAX_WEBHOOK_BODY_BYTES);
  const input = parseInput(createWebhookSchema, value, "The webhook is not valid");
  const created = await createWebhook(db, apiUserId, input, {
    allowedHosts: env().CSV_URL_ALLOWED_HOSTS,
    by,
  });
  return Response.json(created, { status: 201 });
});
