import { withApiUser } from "@/lib/http/api-route";
import { getTarget } from "@/lib/targets/get-target";

export const GET = withApiUser<{ external_id: string }>(async ({ params, db }) =>
  Response.json(await getTarget(db, decodeURIComponent(params.external_id))),
);
