import { withApiUser } from "@/lib/http/api-route";
import { readNoOptionsBody } from "@/lib/http/read-json-body";
import { requestRevert } from "@/lib/imports/revert-import";

// No body (no Content-Type needed) or a JSON {}: nothing to choose.
export const POST = withApiUser<{ id: string }>(async ({ req, params, db, apiUserId, by }) => {
  await readNoOptionsBody(req, 1024, "An undo");
  const { id } = await requestRevert(db, params.id, { apiUserId }, undefined, by);
  return Response.json({ deferred_result_id: id });
});
