import { withApiUser } from "@/lib/http/api-route";
import { getDeferredResult } from "@/lib/imports/deferred-result";

export const GET = withApiUser<{ id: string }>(async ({ params, db, apiUserId }) =>
  Response.json(await getDeferredResult(db, params.id, { apiUserId })),
);
