import { withApiUser } from "@/lib/http/api-route";
import { eraseTarget } from "@/lib/targets/erase-target";
import { getTarget } from "@/lib/targets/get-target";

// Next.js has decoded the path segment already: decoding it again would turn
// "a%2541" into "aA" and throw on a lone "%".
export const GET = withApiUser<{ external_id: string }>(async ({ params, db }) =>
  Response.json(await getTarget(db, params.external_id)),
);

export const DELETE = withApiUser<{ external_id: string }>(async ({ params, db, by }) => {
  await eraseTarget(db, params.external_id, by);
  return new Response(null, { status: 204 });
});
