import { withApiUser } from "@/lib/http/api-route";
import { readNoOptionsBody } from "@/lib/http/read-json-body";
import { cancelImport } from "@/lib/imports/cancel-import";

// The job's own API user only; no body (no Content-Type needed) or a JSON {}.
// The answer waits (≤ 60 s) until the job has ended (contract: "Cancel").
export const POST = withApiUser<{ id: string }>(async ({ req, params, db, apiUserId, by }) => {
  await readNoOptionsBody(req, 1024, "A cancel");
  return Response.json(await cancelImport(db, params.id, { apiUserId }, by));
});
