import { withStaffUser } from "@/lib/http/api-route";
import { getDeferredResult } from "@/lib/imports/deferred-result";

// The import page polls this (react-query) until the job ends.
export const GET = withStaffUser<{ id: string }>(async ({ params, db }) =>
  Response.json(await getDeferredResult(db, params.id, { staff: true })),
);
