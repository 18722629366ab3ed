// GET /api/deferred_results/<id>, written once for both servers that answer
// it, like bulk-upsert-endpoint.ts: the front server (what `npm start` puts on
// the port) answers it itself, as API clients poll it for every job they
// send and Next.js's own cost per request would double each poll's
// (docs/decisions/021); the Next.js route serves it under `next dev`.
import "server-only";
import { requireApiUser } from "../auth/api-tokens";
import type { Db } from "../db/client";
import { getDeferredResult } from "../imports/deferred-result";
import { errorBody } from "./errors";

export async function deferredResultEndpoint(d: Db, id: string, authorization: string | null): Promise<{ status: number; body: unknown }> {
  try {
    const apiUser = await requireApiUser(d, authorization);
    return { status: 200, body: await getDeferredResult(d, id, { apiUserId: apiUser.id }) };
  } catch (e) {
    return errorBody(e);
  }
}
