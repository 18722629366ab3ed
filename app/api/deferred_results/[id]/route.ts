import { db } from "@/lib/db/client";
import { deferredResultEndpoint } from "@/lib/http/deferred-result-endpoint";

// Under `npm start` the front server answers this path itself (lib/http/front-server.ts);
// this adapter serves it under `next dev`.
export const GET = async (req: Request, { params }: { params: Promise<{ id: string }> }) => {
  const { status, body } = await deferredResultEndpoint(db(), (await params).id, req.headers.get("authorization"));
  return Response.json(body, { status });
};
