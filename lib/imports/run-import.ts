import type { Db } from "../db/client";
import { nowMsSql, nowTimestampSql, placeholders } from "../db/sql";
import { AppError } from "../errors";
import { loadCatalog } from "../custom-fields/load-catalog";
import { mergeChunk } from "../merge/merge-chunk";
import type { ConflictStrategy } from "../merge/apply-records";
import { LeaseLostError, type Lease } from "../queue/lease";
import { stageCsvUrl, type CsvFetchLimits } from "./stage-csv-url";
import { cellsToRecords } from "../upload/cells-to-records";

export type RunOptions = { phoneRegion: string; csv: CsvFetchLimits; afterChunk?: (no: number) => Promise<void> | void };

/** Runs a job this worker has claimed, from where it stopped, to its end. */
export async function runImport(d: Db, lease: Lease, opts: RunOptions): Promise<void> {
  const job = await d.prisma.importJob.findUniqueOrThrow({ where: { id: lease.jobId } });
  if (!job.staged) {
    try {
      await stageCsvUrl(d, { id: job.id, csvUrl: job.csvUrl! }, lease, await loadCatalog(d), opts.csv);
    } catch (e) {
      if (e instanceof AppError) {
        await failImport(d, lease, e.code, e.message);
        return;
      }
      throw e;
    }
  }
  const source = job.source === "records" ? "json" : "csv";
  // uploads hold the file's cells; their mapping names the field of each column
  const mapping = job.mapping ? (JSON.parse(job.mapping) as string[]) : null;
  for (let no = job.chunksDone; ; no++) {
    const chunk = await d.prisma.importChunk.findUnique({ where: { jobId_no: { jobId: job.id, no } } });
    if (!chunk) break;
    await mergeChunk(
      d,
      {
        lease,
        strategy: job.conflictStrategy as ConflictStrategy,
        source,
        catalog: await loadCatalog(d),
        phoneRegion: opts.phoneRegion,
      },
      { no, start: chunk.start, rows: mapping ? cellsToRecords(mapping, JSON.parse(chunk.rows)) : JSON.parse(chunk.rows) },
    );
    await opts.afterChunk?.(no);
  }
  await endImport(d, lease, "ready", null);
}

export async function failImport(d: Db, lease: Lease, code: string, message: string): Promise<void> {
  // Nothing of a failed job is written: its staged rows go too.
  await d.prisma.importChunk.deleteMany({ where: { jobId: lease.jobId } });
  await endImport(d, lease, "failed", { code, message });
}

async function endImport(
  d: Db,
  lease: Lease,
  status: "ready" | "failed",
  failure: { code: string; message: string } | null,
): Promise<void> {
  const sql = placeholders(
    d.dialect,
    `UPDATE import_job SET status = ?, finished_at = ${nowTimestampSql(d.dialect)}, failure_code = ?, failure_message = ?,
            locked_by = NULL, locked_until = NULL
      WHERE id = ? AND locked_by = ? AND status = 'running'`,
  );
  const n = await d.prisma.$executeRawUnsafe(
    sql,
    status,
    failure?.code ?? null,
    failure?.message ?? null,
    lease.jobId,
    lease.workerId,
  );
  if (n !== 1) throw new LeaseLostError(lease.jobId);
}

/**
 * Lets the job be claimed again at once. `refundAttempt`: the run was cut
 * short by the database, not by the job, so it does not count towards
 * MAX_ATTEMPTS (a restarting database must not fail good jobs).
 */
export async function releaseImport(d: Db, lease: Lease, opts: { refundAttempt?: boolean } = {}): Promise<void> {
  const refund = opts.refundAttempt ? ", attempts = attempts - 1" : "";
  const sql = placeholders(
    d.dialect,
    `UPDATE import_job SET locked_until = ${nowMsSql(d.dialect)}${refund} WHERE id = ? AND locked_by = ? AND status = 'running'`,
  );
  await d.prisma.$executeRawUnsafe(sql, lease.jobId, lease.workerId);
}
