import { z } from "zod";
import { AppError } from "../errors";
import { MAX_RECORDS_PER_REQUEST } from "../fields";
import { conflictStrategySchema } from "../vocabulary";
import { isStorable, UNSTORABLE_MESSAGE } from "../storable-text";
import { invalidPayload } from "../invalid-payload";
import { normaliseExternalId } from "./normalise-record";

// The REST request body of POST /api/targets/bulk_upsert. This schema is the
// check (and the OpenAPI document): only the structure is judged here; values
// are judged per record when the job runs (unknown keys, bad emails, ... are
// record problems, not a 400). zod checks the record count before looking
// inside any record, so an oversized body is answered 413 at once.

const describe = (v: unknown): string =>
  v === null ? "null" : Array.isArray(v) ? "a list" : typeof v === "object" ? "an object" : `a ${typeof v}`;

const scalarSchema = z.union([z.string(), z.number(), z.boolean(), z.null()], {
  error: (iss) => `must be a single value (text, number, true/false or null), not ${describe(iss.input)}`,
});

const externalIdSchema = z
  .union([z.string(), z.number()], { error: (iss) => normaliseExternalIdMessage(iss.input) })
  .superRefine((v, ctx) => {
    const id = normaliseExternalId(v);
    if (!id.ok) ctx.addIssue({ code: "custom", message: id.message });
  })
  .describe("Identifies the target; trimmed, compared exactly (1 to 255 characters). An integer becomes its decimal string.");

function normaliseExternalIdMessage(input: unknown): string {
  const id = normaliseExternalId(input);
  return id.ok ? "external_id is not valid" : id.message;
}

export const bulkUpsertRecordSchema = z
  .object({ external_id: externalIdSchema }, { error: (iss) => `must be an object, not ${describe(iss.input)}` })
  .catchall(scalarSchema)
  .superRefine((record, ctx) => {
    // a key is stored with its problem (unknown_field): one that cannot be is refused here
    // (a key that is merely long is that record's unknown_field, named cut short)
    for (const key of Object.keys(record)) {
      if (!isStorable(key)) {
        const shown = JSON.stringify(key.length > 60 ? `${key.slice(0, 57)}...` : key).slice(1, -1);
        ctx.addIssue({ code: "custom", path: [shown], message: `a key ${UNSTORABLE_MESSAGE}` });
      }
    }
  })
  .describe(
    "A target: external_id plus any of first_name, last_name, email, phone_number, subscription_email, " +
      "subscription_sms, subscription_phone, subscription_whatsapp and custom field slugs. " +
      'A key absent leaves the value unchanged; null or "" clears it.',
  );

export const bulkUpsertBodySchema = z
  .strictObject(
    {
      records: z
        .array(bulkUpsertRecordSchema, { error: (iss) => `must be a list of objects, not ${describe(iss.input)}` })
        .min(1, "must hold at least one record")
        .max(MAX_RECORDS_PER_REQUEST)
        .optional()
        .describe(`The targets to upsert, applied in this order (1 to ${MAX_RECORDS_PER_REQUEST})`),
      csv_url: z
        .url({
          protocol: /^https?$/,
          error: (iss) => `must be an absolute http(s) URL${typeof iss.input === "string" ? "" : `, not ${describe(iss.input)}`}`,
        })
        .optional()
        .describe("An absolute http(s) URL of a CSV file whose header row names the same keys as a record"),
      conflict_strategy: conflictStrategySchema.default("reject"),
      dry_run: z
        .boolean({ error: (iss) => `must be true or false, not ${describe(iss.input)}` })
        .default(false)
        .describe("Judge the job in its turn exactly as it would run, but write nothing (a preview)"),
    },
    {
      error: (iss) =>
        iss.code === "unrecognized_keys"
          ? "unknown key; expected records, csv_url, conflict_strategy or dry_run"
          : `must be a JSON object, not ${describe(iss.input)}`,
    },
  )
  .superRefine((body, ctx) => {
    if ((body.records === undefined) === (body.csv_url === undefined)) {
      ctx.addIssue({
        code: "custom",
        path: [],
        message: body.records === undefined ? "send records (a list of targets) or csv_url" : "send either records or csv_url, not both",
      });
    }
  })
  .describe("Exactly one of records (1 to 1000) or csv_url");

export type BulkUpsertBody = z.infer<typeof bulkUpsertBodySchema>;
export type BulkUpsertRequest = { conflict_strategy: BulkUpsertBody["conflict_strategy"]; dry_run: boolean } & (
  | { records: BulkUpsertBody["records"] & object; csv_url?: undefined }
  | { csv_url: string; records?: undefined }
);

/**
 * Checks a bulk upsert body with the schema; throws AppError
 * `too_many_records` (over 1000 records, before anything about them is looked
 * at) or `invalid_payload` naming every bad place (at most 100).
 */
export function parseBulkUpsertBody(body: unknown): BulkUpsertRequest {
  const parsed = bulkUpsertBodySchema.safeParse(body);
  if (parsed.success) {
    const { records, csv_url: csvUrl, conflict_strategy, dry_run } = parsed.data;
    // the records as sent: zod's copies would drop a key such as "__proto__",
    // which the merge must see (and report as an unknown field)
    const sent = (body as { records?: BulkUpsertRequest["records"] }).records;
    return records ? { conflict_strategy, dry_run, records: sent! } : { conflict_strategy, dry_run, csv_url: csvUrl!.trim() };
  }
  const issues = parsed.error.issues;
  const tooMany = issues.find((i) => i.code === "too_big" && i.path.length === 1 && i.path[0] === "records");
  if (tooMany) {
    const count = Array.isArray((body as { records?: unknown }).records) ? (body as { records: unknown[] }).records.length : 0;
    throw new AppError(
      "too_many_records",
      `At most ${MAX_RECORDS_PER_REQUEST} records per request; this one has ${count}. Split it, or send a csv_url`,
      { extra: { limit: MAX_RECORDS_PER_REQUEST } },
    );
  }
  // an unknown key is named by its own path, one detail each
  const expanded = issues.flatMap((i) =>
    i.code === "unrecognized_keys" ? i.keys.map((k) => ({ path: [...i.path, k], message: i.message })) : [i],
  );
  throw invalidPayload(expanded);
}
