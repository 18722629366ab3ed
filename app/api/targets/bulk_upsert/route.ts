import { createHash } from "node:crypto";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { withApiUser } from "@/lib/http/api-route";
import { readJsonBody } from "@/lib/http/read-json-body";
import { submitImport } from "@/lib/imports/submit-import";
import { parseBulkUpsertBody } from "@/lib/records/bulk-upsert-request";

export const POST = withApiUser(async ({ req, db, apiUserId }) => {
  const key = req.headers.get("idempotency-key")?.trim() || undefined;
  if (key && key.length > 255) {
    throw new AppError("invalid_payload", "The Idempotency-Key header is longer than 255 characters", {
      details: [{ path: "Idempotency-Key", message: "at most 255 characters" }],
    });
  }
  const { value, raw, text } = await readJsonBody(req, env().MAX_BODY_BYTES);
  const body = parseBulkUpsertBody(value);
  const common = {
    strategy: body.conflict_strategy,
    apiUserId,
    idempotencyKey: key,
    requestHash: key ? createHash("sha256").update(raw).digest("hex") : undefined,
  };
  const { id } = body.records
    ? await submitImport(db, { ...common, source: "records", records: body.records, bodyText: text })
    : await submitImport(db, { ...common, source: "csv_url", csvUrl: body.csv_url });
  return Response.json({ deferred_result_id: id });
});
