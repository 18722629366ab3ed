// Accepting a JSON-API job (records or a CSV by URL): the request has been
// checked (bulk-upsert-request.ts); its records are stored exactly as sent
// (deflated) and the job gets its place in the merge order, through the
// group commit.
import "server-only";
import type { AuditBy } from "../audit/audit-actor";
import type { Db } from "../db/client";
import { acceptJob } from "../jobs/acceptor";
import type { Accepted } from "../jobs/accept-jobs";
import { packText, type RawRecord } from "../jobs/staged-rows";
import type { ConflictStrategy } from "../vocabulary";

export type SubmitImportInput = {
  strategy: ConflictStrategy;
  /** Judge in its turn, write nothing. */
  dryRun?: boolean;
  apiUserId?: string;
  staffUserId?: string;
  idempotencyKey?: string;
  /** Hash of the request body, to tell a retry from a reuse of the key. */
  requestHash?: string;
  /** Who asked, for the audit log: written with the job. */
  by?: AuditBy;
} & (
  | {
      source: "records";
      records: readonly RawRecord[];
      /** The request body as sent (its `records` are the records); made from them if absent. */
      bodyText?: string;
    }
  | { source: "csv_url"; csvUrl: string }
);

export async function submitImport(d: Db, input: SubmitImportInput): Promise<Accepted> {
  return acceptJob(d.sql, {
    source: input.source,
    strategy: input.strategy,
    dryRun: input.dryRun ?? false,
    apiUserId: input.apiUserId ?? null,
    staffUserId: input.staffUserId ?? null,
    idempotencyKey: input.idempotencyKey ?? null,
    requestHash: input.requestHash ?? null,
    csvUrl: input.source === "csv_url" ? input.csvUrl : null,
    body: input.source === "records" ? packText(input.bodyText ?? JSON.stringify({ records: input.records })) : null,
    recordCount: input.source === "records" ? input.records.length : null,
    by: input.by,
  });
}
