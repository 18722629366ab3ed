import { withApiUser } from "@/lib/http/api-route";
import { listDeferredResults, parseDeferredResultListQuery } from "@/lib/imports/list-deferred-results";

// GET /api/deferred_results?status=&source=&limit=&cursor= (contract: "Job listing"): the
// calling API user's jobs only. Answered by Next.js, not the front server (decision 032);
// no-store like every API answer (next.config.js).
export const GET = withApiUser(async ({ req, db, apiUserId }) => {
  const query = parseDeferredResultListQuery(new URL(req.url).searchParams);
  return Response.json(await listDeferredResults(db, apiUserId, query));
});
