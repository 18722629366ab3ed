import { withApiUser } from "@/lib/http/api-route";
import { requestAuditBy } from "@/lib/http/audit-by";
import { deleteWebhook } from "@/lib/webhooks/webhook-endpoints";

// DELETE /api/webhooks/<id>: the caller's own endpoint, its deliveries with it; another's is not found.
export const DELETE = withApiUser<{ id: string }>(async ({ req, db, apiUserId, apiUser, params }) => {
  await deleteWebhook(db, apiUserId, params.id, requestAuditBy(req, { api: apiUser }));
  return new Response(null, { status: 204 });
});
