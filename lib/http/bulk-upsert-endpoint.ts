// POST /api/targets/bulk_upsert, written once for both servers that answer
// it: the front server (scripts/front.ts, what `npm start` puts on the port:
// plain node:http, the fast path) and Next.js (app/api/targets/bulk_upsert,
// for `next dev`). Authenticate, check, store, answer; nothing else.
import "server-only";
import { createHash } from "node:crypto";
import { apiActor } from "../audit/audit-actor";
import type { Db } from "../db/client";
import { env } from "../env";
import { AppError } from "../errors";
import { submitImport } from "../imports/submit-import";
import { packText } from "../jobs/staged-rows";
import { parseBulkUpsertBody } from "../records/bulk-upsert-request";
import { requireApiUser } from "../auth/api-tokens";
import { errorBody } from "./errors";
import { readJsonBody, type IncomingRequest } from "./read-json-body";

/** `address`: the client's, as the server that answers decided it (for the audit log). */
export async function bulkUpsertEndpoint(d: Db, req: IncomingRequest, address: string | null): Promise<{ status: number; body: unknown }> {
  try {
    const apiUser = await requireApiUser(d, req.header("authorization"));
    const key = req.header("idempotency-key")?.trim() || undefined;
    if (key && key.length > 255) {
      throw new AppError("invalid_payload", "The Idempotency-Key header is longer than 255 characters", {
        details: [{ path: "Idempotency-Key", message: "at most 255 characters" }],
      });
    }
    const { value, raw, text } = await readJsonBody(req, env().MAX_BODY_BYTES);
    const body = parseBulkUpsertBody(value);
    const common = {
      strategy: body.conflict_strategy,
      dryRun: body.dry_run,
      apiUserId: apiUser.id,
      by: { actor: apiActor(apiUser), address },
      idempotencyKey: key,
      requestHash: key ? createHash("sha256").update(raw).digest("hex") : undefined,
    };
    const { id } = body.records
      ? await submitImport(d, { ...common, source: "records", records: body.records, bodyText: text })
      : await submitImport(d, { ...common, source: "csv_url", csvUrl: body.csv_url });
    return { status: 200, body: { deferred_result_id: id } };
  } catch (e) {
    return errorBody(e);
  }
}

/**
 * Runs the parse, check and deflate of a 1,000-record body a few times, so
 * V8 has compiled them before the first requests: otherwise the first burst
 * of clients waits while they compile (docs/performance.md). Writes nothing.
 */
export function warmUpBulkUpsert(rounds = 5): void {
  const records = Array.from({ length: 1000 }, (_, i) => ({
    external_id: `warm-${i}`,
    first_name: "Warm",
    last_name: "Up",
    email: `warm.${i}@example.org`,
    phone_number: "+447400000000",
    subscription_email: i % 2 === 0,
    subscription_sms: "yes",
  }));
  const text = JSON.stringify({ records });
  for (let i = 0; i < rounds; i++) {
    parseBulkUpsertBody(JSON.parse(text));
    packText(text);
  }
}
