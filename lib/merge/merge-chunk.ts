import type { Db, Tx } from "../db/client";
import { chunked, placeholders } from "../db/sql";
import { normaliseRecord } from "../records/normalise-record";
import type { FieldCatalog } from "../targets/fields";
import { renewLease, type Lease } from "../queue/lease";
import { applyRecords, type ConflictStrategy, type RecordErrorEntry } from "./apply-records";
import { loadWorkingSet, writeWorkingSet, type MatchKeys } from "./target-store";

const ERROR_ROWS_PER_INSERT = 500;

export type ChunkContext = {
  lease: Lease;
  strategy: ConflictStrategy;
  source: "json" | "csv";
  catalog: FieldCatalog;
  phoneRegion: string;
};

/**
 * Merges one staged chunk of a job in one transaction: normalise, load the
 * targets it can touch, apply the records in order, write the changed
 * targets, the problems and the job's progress. The transaction starts by
 * renewing the lease at the expected chunk, so a chunk is committed exactly
 * once, by the worker that holds the job.
 */
export async function mergeChunk(
  d: Db,
  ctx: ChunkContext,
  chunk: { no: number; start: number; rows: Record<string, unknown>[] },
): Promise<void> {
  const normalised = chunk.rows.map((raw) =>
    normaliseRecord(raw, { catalog: ctx.catalog, phoneRegion: ctx.phoneRegion, source: ctx.source }),
  );
  const keys: MatchKeys = { externalIds: new Set(), emails: new Set(), phones: new Set() };
  for (const r of normalised) {
    if (!r.ok) continue;
    keys.externalIds.add(r.patch.externalId);
    if (r.patch.attrs.email) keys.emails.add(r.patch.attrs.email);
    if (r.patch.attrs.phone_number) keys.phones.add(r.patch.attrs.phone_number);
  }

  await d.prisma.$transaction(
    async (tx) => {
      await renewLease(tx, d, ctx.lease, chunk.no);
      const ws = await loadWorkingSet(tx, d.dialect, keys);
      const { counts, errors } = applyRecords(normalised, chunk.start, ctx.strategy, ws);
      await writeWorkingSet(tx, d.dialect, ws, new Date());
      const job = await tx.importJob.update({
        where: { id: ctx.lease.jobId },
        data: {
          chunksDone: { increment: 1 },
          processed: { increment: chunk.rows.length },
          created: { increment: counts.created },
          updated: { increment: counts.updated },
          unchanged: { increment: counts.unchanged },
          rejected: { increment: counts.rejected },
          conflictsIgnored: { increment: counts.conflictsIgnored },
          errorCount: { increment: errors.length },
        },
        select: { errorCount: true },
      });
      await insertErrors(tx, d, ctx.lease.jobId, job.errorCount - errors.length, errors);
    },
    { timeout: 120_000, maxWait: 60_000 },
  );
}

async function insertErrors(tx: Tx, d: Db, jobId: string, firstSeq: number, errors: RecordErrorEntry[]): Promise<void> {
  if (errors.length === 0) return;
  if (d.dialect === "postgresql") {
    const cols: unknown[][] = [[], [], [], [], [], [], []];
    errors.forEach((e, i) => {
      cols[0].push(firstSeq + i);
      cols[1].push(e.position);
      cols[2].push(e.externalId);
      cols[3].push(e.code);
      cols[4].push(e.field);
      cols[5].push(e.message);
      cols[6].push(e.conflictingExternalIds ? JSON.stringify(e.conflictingExternalIds) : null);
    });
    await tx.$executeRawUnsafe(
      `INSERT INTO import_error (job_id, seq, position, external_id, code, field, message, conflicting_external_ids)
       SELECT $1, u.* FROM unnest($2::int[], $3::int[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[]) AS u`,
      jobId,
      ...cols,
    );
    return;
  }
  let seq = firstSeq;
  for (const part of chunked(errors, ERROR_ROWS_PER_INSERT)) {
    const params: unknown[] = [];
    for (const e of part) {
      params.push(
        jobId,
        seq++,
        e.position,
        e.externalId,
        e.code,
        e.field,
        e.message,
        e.conflictingExternalIds ? JSON.stringify(e.conflictingExternalIds) : null,
      );
    }
    const sql = placeholders(
      d.dialect,
      `INSERT INTO import_error (job_id, seq, position, external_id, code, field, message, conflicting_external_ids) VALUES ` +
        part.map(() => "(?, ?, ?, ?, ?, ?, ?, ?)").join(", "),
    );
    await tx.$executeRawUnsafe(sql, ...params);
  }
}
