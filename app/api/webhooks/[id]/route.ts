import { withApiUser } from "@/lib/http/api-route";
import { deleteWebhook } from "@/lib/webhooks/webhook-endpoints";

// DELETE /api/webhooks/<id>: the caller's own endpoint, its deliveries with it; another's is not found.
export const DELETE = withApiUser<{ id: string }>(async ({ db, apiUserId, by, params }) => {
  await deleteWebhook(db, apiUserId, params.id, by);
  return new Response(null, { status: 204 });
});
