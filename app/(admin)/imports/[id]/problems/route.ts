import { withStaffUser } from "@/lib/http/api-route";
import { listImportErrors } from "@/lib/imports/deferred-result";

// A page of an import's problems, for the rejected-rows table.
export const GET = withStaffUser<{ id: string }>(async ({ req, params, db }) => {
  const cursor = new URL(req.url).searchParams.get("cursor");
  return Response.json(await listImportErrors(db, params.id, { staff: true }, cursor));
});
