import { db } from "@/lib/db/client";
import { bulkUpsertEndpoint } from "@/lib/http/bulk-upsert-endpoint";
import { fromWebRequest } from "@/lib/http/read-json-body";
import { requestAddress } from "@/lib/http/request-address";

// Under `npm start` the front server answers this path itself (scripts/front.ts);
// this adapter serves it under `next dev`.
export const POST = async (req: Request) => {
  const { status, body } = await bulkUpsertEndpoint(db(), fromWebRequest(req), requestAddress(req.headers));
  return Response.json(body, { status });
};
