import { randomUUID } from "node:crypto";
import type { Db } from "../db/client";
import { chunked } from "../db/sql";
import { lockNextSeq } from "./accept-order";
import { AppError } from "../errors";
import type { ConflictStrategy } from "../merge/apply-records";
import { signalJobAccepted } from "../queue/job-signal";

export type ImportSource = "records" | "csv_url" | "upload";

export type SubmitImportInput = {
  strategy: ConflictStrategy;
  apiUserId?: string;
  staffUserId?: string;
  idempotencyKey?: string;
  /** Hash of the request body, to tell a retry from a reuse of the key. */
  requestHash?: string;
} & ({ source: "records"; records: Record<string, unknown>[] } | { source: "csv_url"; csvUrl: string });

/**
 * Accepts a job: stores it with its records in one transaction and gives it
 * the next place in the merge order. Accepting takes a lock so that the order
 * of `seq` is the order in which jobs were accepted (committed).
 */
export const RECORDS_PER_CHUNK = 1000;

export async function submitImport(
  d: Db,
  input: SubmitImportInput,
  opts: { chunkSize?: number } = {},
): Promise<{ id: string; reused: boolean }> {
  const chunkSize = opts.chunkSize ?? RECORDS_PER_CHUNK;
  const result = await d.prisma.$transaction(
    async (tx) => {
      const seq = await lockNextSeq(tx, d);
      if (input.idempotencyKey && input.apiUserId) {
        const previous = await tx.importJob.findUnique({
          where: { apiUserId_idempotencyKey: { apiUserId: input.apiUserId, idempotencyKey: input.idempotencyKey } },
          select: { id: true, requestHash: true },
        });
        if (previous) {
          if (previous.requestHash !== input.requestHash) {
            throw new AppError(
              "idempotency_key_reused",
              "This Idempotency-Key was already used with a different request body",
            );
          }
          return { id: previous.id, reused: true };
        }
      }
      const id = randomUUID();
      const records = input.source === "records" ? input.records : null;
      await tx.importJob.create({
        data: {
          id,
          seq,
          status: "queued",
          source: input.source,
          conflictStrategy: input.strategy,
          apiUserId: input.apiUserId ?? null,
          staffUserId: input.staffUserId ?? null,
          csvUrl: input.source === "csv_url" ? input.csvUrl : null,
          idempotencyKey: input.idempotencyKey ?? null,
          requestHash: input.requestHash ?? null,
          staged: records !== null,
          total: records ? records.length : null,
          chunks: records
            ? {
                create: chunked(records, chunkSize).map((rows, no) => ({
                  no,
                  start: no * chunkSize,
                  rows: JSON.stringify(rows),
                })),
              }
            : undefined,
        },
      });
      return { id, reused: false };
    },
    { timeout: 30_000, maxWait: 30_000 },
  );
  if (!result.reused) signalJobAccepted();
  return result;
}
