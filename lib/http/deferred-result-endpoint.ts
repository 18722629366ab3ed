// GET /api/deferred_results/<id>, written once for both servers that answer
// it, like bulk-upsert-endpoint.ts: the front server (what `npm start` puts on
// the port) answers it itself, as API clients poll it for every job they
// send (through the proxy and Next.js a poll cost ~6 ms of CPU in all, now
// ~2.9 ms; docs/decisions/010);
// the Next.js route serves it under `next dev`.
import "server-only";
import { requireApiUser } from "../auth/api-tokens";
import type { Db } from "../db/client";
import { getDeferredResult } from "../imports/deferred-result";
import { errorBody } from "./errors";

export async function deferredResultEndpoint(d: Db, id: string, authorization: string | null): Promise<{ status: number; body: unknown }> {
  try {
    const apiUserId = await requireApiUser(d, authorization);
    return { status: 200, body: await getDeferredResult(d, id, { apiUserId }) };
  } catch (e) {
    return errorBody(e);
  }
}
