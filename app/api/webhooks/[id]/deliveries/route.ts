import { withApiUser } from "@/lib/http/api-route";
import { listDeliveries } from "@/lib/webhooks/webhook-deliveries";
import { findOwnWebhook } from "@/lib/webhooks/webhook-endpoints";

// GET /api/webhooks/<id>/deliveries?cursor=: the caller's endpoint's deliveries, newest first.
export const GET = withApiUser<{ id: string }>(async ({ req, db, apiUserId, params }) => {
  const endpoint = await findOwnWebhook(db, apiUserId, params.id);
  return Response.json(await listDeliveries(db, endpoint.id, new URL(req.url).searchParams.get("cursor")));
});
