import { withApiUser } from "@/lib/http/api-route";
import { requestAuditBy } from "@/lib/http/audit-by";
import { readNoOptionsBody } from "@/lib/http/read-json-body";
import { requestRevert } from "@/lib/imports/revert-import";

// No body (no Content-Type needed) or a JSON {}: nothing to choose.
export const POST = withApiUser<{ id: string }>(async ({ req, params, db, apiUserId, apiUser }) => {
  await readNoOptionsBody(req, 1024, "An undo");
  const { id } = await requestRevert(db, params.id, { apiUserId }, undefined, requestAuditBy(req, { api: apiUser }));
  return Response.json({ deferred_result_id: id });
});
