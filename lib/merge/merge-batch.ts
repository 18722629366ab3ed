// Merges one batch of a job's records in one transaction: load the targets
// it can touch, apply the records in order, write the changed targets, the
// problems and the job's progress. The transaction opens by renewing the
// lease at the batch's position, so a batch is committed exactly once, by
// the worker that holds the job.
import "server-only";
import type { SqlConn, SqlQuery } from "../db/sql-conn";
import { finishJobIn, recordBatch, renewLease } from "../jobs/claim-job";
import type { Lease } from "../jobs/job-lease";
import type { NormaliseResult } from "../records/normalise-record";
import type { ConflictStrategy } from "../vocabulary";
import { applyRecords, type RecordErrorEntry } from "./apply-records";
import { recordChanges } from "./before-images";
import { lockTargetsForWriting, type MatchKeys } from "../targets/target-store";
import { loadWorkingSet, writeOverlayOf, writeWorkingSet } from "./working-set-store";

export type NormalisedBatch = {
  /** Position of the batch's first record in the job (0-based). */
  position: number;
  results: NormaliseResult[];
};

function matchKeys(results: readonly NormaliseResult[]): MatchKeys {
  const keys: MatchKeys = { externalIds: new Set(), emails: new Set(), phones: new Set() };
  for (const r of results) {
    if (!r.ok) continue;
    keys.externalIds.add(r.patch.externalId);
    if (r.patch.attrs.email) keys.emails.add(r.patch.attrs.email);
    if (r.patch.attrs.phone_number) keys.phones.add(r.patch.attrs.phone_number);
  }
  return keys;
}

/** What the merge needs to know of the job. */
export type MergingJob = { id: string; seq: number; strategy: ConflictStrategy; dryRun: boolean };

/**
 * A real job writes the targets (marked with its seq) and, the first time it
 * touches each, its before-image. A dry run judges the same way against the
 * stored state as its own earlier records left it, and writes only to its
 * overlay. `last`: the job's last batch, which also marks it ready in the
 * same transaction.
 */
export async function mergeBatch(
  conn: SqlConn,
  lease: Lease,
  job: MergingJob,
  batch: NormalisedBatch,
  opts: { last?: boolean } = {},
): Promise<void> {
  const keys = matchKeys(batch.results);
  await conn.tx(async (q) => {
    await renewLease(q, lease, batch.position);
    await lockTargetsForWriting(q);
    const ws = await loadWorkingSet(q, keys, job.dryRun ? job.id : undefined);
    const { counts, errors, fieldChanges, fieldClears } = applyRecords(batch.results, batch.position, job.strategy, ws);
    if (job.dryRun) {
      await writeOverlayOf(q, job.id, ws);
    } else {
      await writeWorkingSet(q, ws, new Date(), job.seq);
      await recordChanges(q, job, ws);
    }
    const firstSeq = await recordBatch(q, job.id, { records: batch.results.length, ...counts, errors: errors.length, fieldChanges, fieldClears });
    await insertErrors(q, job.id, firstSeq, errors);
    if (opts.last) await finishJobIn(q, lease);
  });
}

const ERROR_COLUMNS = "job_id, seq, position, external_id, code, field, message, conflicting_external_ids";

export async function insertErrors(q: SqlQuery, jobId: string, firstSeq: number, errors: RecordErrorEntry[]): Promise<void> {
  if (errors.length === 0) return;
  const conflicting = (e: RecordErrorEntry) => (e.conflictingExternalIds ? JSON.stringify(e.conflictingExternalIds) : null);
  if (q.dialect === "postgresql") {
    await q.run(
      `INSERT INTO import_error (${ERROR_COLUMNS})
       SELECT ?, u.* FROM unnest(?::int[], ?::int[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[]) AS u`,
      [
        jobId,
        errors.map((_, i) => firstSeq + i),
        errors.map((e) => e.position),
        errors.map((e) => e.externalId),
        errors.map((e) => e.code),
        errors.map((e) => e.field),
        errors.map((e) => e.message),
        errors.map(conflicting),
      ],
    );
    return;
  }
  await q.runMany(
    `INSERT INTO import_error (${ERROR_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    errors.map((e, i) => [jobId, firstSeq + i, e.position, e.externalId, e.code, e.field, e.message, conflicting(e)]),
  );
}
