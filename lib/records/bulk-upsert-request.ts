import { z } from "zod";
import { AppError, type ErrorDetail } from "../errors";
import { MAX_RECORDS_PER_REQUEST, MAX_TEXT_LENGTH } from "../targets/fields";
import { normaliseExternalId } from "./normalise-record";

// The REST request body of POST /api/targets/bulk_upsert. The zod schema
// documents it (OpenAPI) and types it; parseBulkUpsertBody does the checking
// by hand so that it can answer the record count first (413 before any
// per-record work) and name every bad place. Only the structure is checked
// here: values are judged per record when the job runs (unknown keys, bad
// emails, ... are record problems, not a 400).

const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);

export const bulkUpsertRecordSchema = z
  .object({
    external_id: z
      .union([z.string().min(1).max(MAX_TEXT_LENGTH), z.number().int().min(-Number.MAX_SAFE_INTEGER).max(Number.MAX_SAFE_INTEGER)])
      .describe("Identifies the target; trimmed, compared exactly. An integer becomes its decimal string."),
  })
  .catchall(scalar)
  .describe(
    "A target: external_id plus any of first_name, last_name, email, phone_number, subscription_email, " +
      "subscription_sms, subscription_phone, subscription_whatsapp and custom field slugs. " +
      "A key absent leaves the value unchanged; null or \"\" clears it.",
  );

export const conflictStrategySchema = z
  .enum(["reject", "ignore"])
  .describe("What to do with a record whose email or phone number belongs to another target");

export const bulkUpsertBodySchema = z
  .object({
    records: z.array(bulkUpsertRecordSchema).min(1).max(MAX_RECORDS_PER_REQUEST).optional(),
    csv_url: z
      .url({ protocol: /^https?$/ })
      .optional()
      .describe("An absolute http(s) URL of a CSV file whose header row names the same keys as a record"),
    conflict_strategy: conflictStrategySchema.default("reject"),
  })
  .strict()
  .describe("Exactly one of records (1 to 1000) or csv_url");

export type BulkUpsertRequest = { conflict_strategy: "reject" | "ignore" } & (
  | { records: Record<string, unknown>[]; csv_url?: undefined }
  | { csv_url: string; records?: undefined }
);

const MAX_DETAILS = 100;
const TOP_LEVEL_KEYS = new Set(["records", "csv_url", "conflict_strategy"]);

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

const describe = (v: unknown): string =>
  v === null ? "null" : Array.isArray(v) ? "a list" : typeof v === "object" ? "an object" : `a ${typeof v}`;

function isHttpUrl(s: string): boolean {
  if (!URL.canParse(s)) return false;
  const u = new URL(s);
  return (u.protocol === "http:" || u.protocol === "https:") && u.hostname !== "";
}

/**
 * Checks the structure of a bulk upsert body; throws AppError
 * `too_many_records` (over 1000 records, before anything else about them is
 * looked at) or `invalid_payload` naming every bad place (at most 100).
 */
export function parseBulkUpsertBody(body: unknown): BulkUpsertRequest {
  if (!isObject(body)) {
    throw new AppError("invalid_payload", "The body must be a JSON object", {
      details: [{ path: "", message: `must be a JSON object, not ${describe(body)}` }],
    });
  }
  const { records, csv_url: csvUrl, conflict_strategy: strategy = "reject" } = body;
  if (Array.isArray(records) && records.length > MAX_RECORDS_PER_REQUEST) {
    throw new AppError(
      "too_many_records",
      `At most ${MAX_RECORDS_PER_REQUEST} records per request; this one has ${records.length}. Split it, or send a csv_url`,
      { extra: { limit: MAX_RECORDS_PER_REQUEST } },
    );
  }

  const details: ErrorDetail[] = [];
  const add = (path: string, message: string) => {
    if (details.length < MAX_DETAILS) details.push({ path, message });
  };

  for (const key of Object.keys(body)) {
    if (!TOP_LEVEL_KEYS.has(key)) add(key, `unknown key; expected records, csv_url or conflict_strategy`);
  }
  const hasRecords = records !== undefined;
  const hasUrl = csvUrl !== undefined;
  if (hasRecords && hasUrl) add("", "send either records or csv_url, not both");
  if (!hasRecords && !hasUrl) add("", "send records (a list of targets) or csv_url");
  if (strategy !== "reject" && strategy !== "ignore") {
    add("conflict_strategy", `must be "reject" or "ignore", not ${typeof strategy === "string" ? JSON.stringify(strategy) : describe(strategy)}`);
  }
  if (hasUrl && (typeof csvUrl !== "string" || !isHttpUrl(csvUrl))) {
    add("csv_url", typeof csvUrl === "string" ? "must be an absolute http(s) URL" : `must be an absolute http(s) URL, not ${describe(csvUrl)}`);
  }
  if (hasRecords) {
    if (!Array.isArray(records)) add("records", `must be a list of objects, not ${describe(records)}`);
    else if (records.length === 0) add("records", "must hold at least one record");
    else {
      for (let i = 0; i < records.length && details.length < MAX_DETAILS; i++) {
        const rec: unknown = records[i];
        if (!isObject(rec)) {
          add(`records[${i}]`, `must be an object, not ${describe(rec)}`);
          continue;
        }
        const id = normaliseExternalId(rec.external_id);
        if (!id.ok) add(`records[${i}].external_id`, id.message);
        for (const key of Object.keys(rec)) {
          if (key === "external_id") continue;
          const value = rec[key];
          if (typeof value === "object" && value !== null) {
            add(`records[${i}].${key}`, `must be a single value (text, number, true/false or null), not ${describe(value)}`);
          }
        }
      }
    }
  }

  if (details.length > 0) {
    const first = details[0];
    throw new AppError(
      "invalid_payload",
      `The payload's format is wrong: ${first.path ? `${first.path} ` : ""}${first.message}` +
        (details.length > 1 ? ` (and ${details.length - 1} more problem${details.length > 2 ? "s" : ""})` : ""),
      { details },
    );
  }
  const conflict_strategy = strategy as "reject" | "ignore";
  return hasRecords
    ? { conflict_strategy, records: records as Record<string, unknown>[] }
    : { conflict_strategy, csv_url: (csvUrl as string).trim() };
}
