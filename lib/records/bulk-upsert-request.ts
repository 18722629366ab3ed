import { z } from "zod";
import { AppError, type ErrorDetail } from "../errors";
import { MAX_RECORDS_PER_REQUEST } from "../targets/fields";
import { normaliseExternalId } from "./normalise-record";

// The REST request body. The schema documents it (OpenAPI) and types it;
// parseBulkUpsertBody does the checking by hand so that it can put the record
// count first (413 before any per-record work) and name every bad place.
const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);

export const bulkUpsertRecordSchema = z
  .object({ external_id: z.union([z.string().min(1).max(255), z.number().int()]) })
  .catchall(scalar)
  .describe("A target: external_id plus any built-in attribute or custom field slug");

export const conflictStrategySchema = z.enum(["reject", "ignore"]);

export const bulkUpsertBodySchema = z
  .object({
    records: z.array(bulkUpsertRecordSchema).min(1).max(MAX_RECORDS_PER_REQUEST).optional(),
    csv_url: z.url({ protocol: /^https?$/ }).optional(),
    conflict_strategy: conflictStrategySchema.default("reject"),
  })
  .strict()
  .describe("Exactly one of records or csv_url");

export type BulkUpsertRequest = { conflict_strategy: "reject" | "ignore" } & (
  | { records: Record<string, unknown>[]; csv_url?: undefined }
  | { csv_url: string; records?: undefined }
);

const MAX_DETAILS = 100;
const TOP_LEVEL = new Set(["records", "csv_url", "conflict_strategy"]);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function isHttpUrl(s: string): boolean {
  try {
    const u = new URL(s);
    return (u.protocol === "http:" || u.protocol === "https:") && u.hostname !== "";
  } catch {
    return false;
  }
}

export function parseBulkUpsertBody(body: unknown): BulkUpsertRequest {
  const details: ErrorDetail[] = [];
  const fail = () => {
    throw new AppError("invalid_payload", "The payload's format is wrong", { details: details.slice(0, MAX_DETAILS) });
  };
  if (!isObject(body)) {
    details.push({ path: "", message: "the body must be a JSON object" });
    fail();
  }
  const b = body as Record<string, unknown>;
  if (Array.isArray(b.records) && b.records.length > MAX_RECORDS_PER_REQUEST) {
    throw new AppError(
      "too_many_records",
      `At most ${MAX_RECORDS_PER_REQUEST} records per request; this one has ${b.records.length}. Split it, or send a csv_url`,
      { extra: { limit: MAX_RECORDS_PER_REQUEST } },
    );
  }
  for (const key of Object.keys(b)) {
    if (!TOP_LEVEL.has(key)) details.push({ path: key, message: `unknown key ${key}` });
  }
  const hasRecords = b.records !== undefined;
  const hasUrl = b.csv_url !== undefined;
  if (hasRecords === hasUrl) {
    details.push({ path: "", message: hasRecords ? "send records or csv_url, not both" : "send records or csv_url" });
  }
  const strategy = b.conflict_strategy ?? "reject";
  if (strategy !== "reject" && strategy !== "ignore") {
    details.push({ path: "conflict_strategy", message: 'must be "reject" or "ignore"' });
  }
  if (hasUrl && (typeof b.csv_url !== "string" || !isHttpUrl(b.csv_url))) {
    details.push({ path: "csv_url", message: "must be an absolute http(s) URL" });
  }
  if (hasRecords) {
    if (!Array.isArray(b.records)) details.push({ path: "records", message: "must be an array of objects" });
    else if (b.records.length === 0) details.push({ path: "records", message: "must hold at least one record" });
    else {
      b.records.forEach((rec, i) => {
        if (details.length >= MAX_DETAILS) return;
        if (!isObject(rec)) {
          details.push({ path: `records[${i}]`, message: "must be an object" });
          return;
        }
        const id = normaliseExternalId(rec.external_id);
        if (!id.ok) details.push({ path: `records[${i}].external_id`, message: id.message });
        for (const [key, value] of Object.entries(rec)) {
          if (typeof value === "object" && value !== null) {
            details.push({ path: `records[${i}].${key}`, message: "must be a single value, not a list or object" });
          }
        }
      });
    }
  }
  if (details.length) fail();
  return hasRecords
    ? { conflict_strategy: strategy as "reject" | "ignore", records: b.records as Record<string, unknown>[] }
    : { conflict_strategy: strategy as "reject" | "ignore", csv_url: b.csv_url as string };
}
