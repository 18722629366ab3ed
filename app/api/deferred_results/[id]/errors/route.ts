import { withApiUser } from "@/lib/http/api-route";
import { listImportErrors } from "@/lib/imports/deferred-result";

export const GET = withApiUser<{ id: string }>(async ({ req, params, db, apiUserId }) => {
  const cursor = new URL(req.url).searchParams.get("cursor");
  return Response.json(await listImportErrors(db, params.id, { apiUserId }, cursor));
});
