// The stager: downloads and parses each CSV by URL into its job's chunks as
// soon as the job is accepted, ahead of its turn, while the jobs before it
// merge. Streaming: the file is never held whole in memory. Merging starts
// only once the whole file is staged, so a download that breaks half way
// writes nothing. A stager that dies is replaced when its lease runs out; the
// new one starts the file again.
import "server-only";
import type { SqlConn } from "../db/sql-conn";
import { openCsvUrl } from "../csv/safe-fetch";
import { normaliseHeader, readCsv } from "../csv/parse-csv";
import { loadCatalog } from "../custom-fields/load-catalog";
import { AppError } from "../errors";
import { checkMapping, hasProblems } from "../jobs/column-check";
import { LeaseLostError, type Lease } from "../jobs/job-lease";
import {
  claimStaging,
  failStaging,
  finishStaging,
  releaseStaging,
  renewStaging,
  restartStaging,
  stageChunks,
  type StagedCells,
} from "../jobs/stage-job";
import { isTransientDbError } from "../db/transient-error";
import { encodeCells } from "../jobs/staged-rows";
import { withoutSecrets } from "../jobs/retention";
import { leaseHeartbeat } from "./lease-heartbeat";
import { wakeableSleep } from "./wakeable-sleep";
import type { FieldCatalog } from "../fields";

export type CsvFetchLimits = { allowedHosts: string[]; timeoutMs: number; maxBytes: number };

export const ROWS_PER_STAGED_CHUNK = 1000;
/** A staged chunk also ends at ~2 MB of cells, so a file of wide rows never makes a huge one. */
export const CHARS_PER_STAGED_CHUNK = 2_000_000;
/**
 * Staged chunks written per transaction, up to ten or ~2 MB: one lease
 * renewal and commit for several (a 1M-row file was 1,000 transactions,
 * seconds of them on PostgreSQL), and memory still bounded.
 */
const CHUNKS_PER_TX = 10;
/** A file that breaks its stager this many times (not the database's fault) fails. */
const MAX_STAGE_FAILURES = 5;

/** A CSV by URL's normalised headers as its mapping, or the error that fails the job. */
export function csvUrlMapping(rawHeaders: string[], catalog: FieldCatalog): string[] {
  const mapping = rawHeaders.map(normaliseHeader);
  const p = checkMapping(mapping, catalog);
  if (!hasProblems(p)) return mapping;
  if (p.repeated.length) {
    const columns = [...new Set(p.repeated.map(([i]) => mapping[i]))];
    throw new AppError("duplicate_columns", `These columns appear more than once: ${columns.join(", ")}`, { extra: { columns } });
  }
  if (p.missingExternalId) {
    throw new AppError("missing_external_id_column", "The CSV has no external_id column, so its rows cannot be matched");
  }
  const columns = p.unknown.map((i) => mapping[i]);
  throw new AppError("unknown_columns", `These columns are neither built-in fields nor custom fields: ${columns.join(", ")}`, {
    extra: { columns },
  });
}

/** The process is stopping: let another stager start the file again. */
class Stopped extends Error {}

export type StagerOptions = {
  id: string;
  leaseMs: number;
  pollMs: number;
  csv: CsvFetchLimits;
  log(msg: string): void;
  /** A job's rows are all staged: the merge can take it. */
  onStaged(): void;
};

export function startStager(conn: SqlConn, opts: StagerOptions): { stop(): Promise<void>; wake(): void } {
  let stopping = false;
  const nap = wakeableSleep();
  const failures = new Map<string, number>();

  async function stageOne(lease: Lease, csvUrl: string): Promise<void> {
    const stopHeartbeat = leaseHeartbeat(conn, lease.leaseMs, (q) => renewStaging(q, lease));
    try {
      await stageFile(conn, lease, csvUrl, opts.csv, () => stopping);
      failures.delete(lease.jobId);
      opts.onStaged();
    } catch (e) {
      if (e instanceof Stopped) {
        await releaseStaging(conn, lease).catch(() => {});
      } else if (e instanceof LeaseLostError) {
        opts.log(`job ${lease.jobId}: staging taken over by another stager`);
      } else if (e instanceof AppError) {
        await failStaging(conn, lease, { code: e.code, message: e.message, csvUrl: withoutSecrets(csvUrl) });
      } else {
        await brokeStaging(e, lease, csvUrl);
      }
    } finally {
      stopHeartbeat();
    }
  }

  /** The download or the database broke: the file is started again later, unless it has broken its stager too often (outages of the database do not count). */
  async function brokeStaging(e: unknown, lease: Lease, csvUrl: string): Promise<void> {
    const transient = isTransientDbError(e);
    const n = transient ? 0 : (failures.get(lease.jobId) ?? 0) + 1;
    failures.set(lease.jobId, n);
    opts.log(`job ${lease.jobId}: staging stopped: ${(e as Error).stack ?? e}`);
    if (n >= MAX_STAGE_FAILURES) {
      await failStaging(conn, lease, {
        code: "too_many_attempts",
        message: `Reading the CSV stopped ${n} times without finishing`,
        csvUrl: withoutSecrets(csvUrl),
      }).catch(() => {});
    } else {
      await releaseStaging(conn, lease).catch(() => {});
      await nap.sleep(Math.min(5_000, opts.pollMs * 8));
    }
  }

  const loop = (async () => {
    while (!stopping) {
      try {
        const job = await claimStaging(conn, opts.id, opts.leaseMs);
        if (job) await stageOne({ jobId: job.id, workerId: opts.id, leaseMs: opts.leaseMs }, job.csvUrl!);
        else await nap.sleep(opts.pollMs);
      } catch (e) {
        opts.log(`stager: ${(e as Error).message}`);
        await nap.sleep(Math.min(5_000, opts.pollMs * 8));
      }
    }
  })();

  return {
    wake: () => nap.wake(),
    async stop() {
      stopping = true;
      nap.wake();
      await loop;
    },
  };
}

/**
 * Reads the file at `csvUrl` into the job's staged chunks, from its first row
 * (a stager taking over starts again), then marks the job staged. Throws
 * Stopped as soon as `stopping()` says so, the AppError that fails the job,
 * or whatever broke the download or the database.
 */
async function stageFile(conn: SqlConn, lease: Lease, csvUrl: string, limits: CsvFetchLimits, stopping: () => boolean): Promise<void> {
  await restartStaging(conn, lease);
  const catalog = await loadCatalog(conn);
  let columns: string[] = [];
  let mapping: string[] = [];
  let no = 0;
  let start = 0;
  let pending: StagedCells[] = [];
  let pendingChars = 0;
  const flush = async () => {
    if (pending.length > 0) await stageChunks(conn, lease, pending);
    pending = [];
    pendingChars = 0;
  };
  await readCsv(
    await openCsvUrl(csvUrl, limits),
    {
      onHeader(raw) {
        mapping = csvUrlMapping(raw, catalog);
        columns = raw;
      },
      async onRows(rows) {
        if (stopping()) throw new Stopped();
        const text = encodeCells(rows);
        pending.push({ no: no++, start, rowCount: rows.length, text });
        pendingChars += text.length;
        start += rows.length;
        if (pending.length >= CHUNKS_PER_TX || pendingChars >= CHARS_PER_STAGED_CHUNK) await flush();
      },
    },
    { batchSize: ROWS_PER_STAGED_CHUNK, batchChars: CHARS_PER_STAGED_CHUNK },
  );
  await flush();
  await finishStaging(conn, lease, { total: start, columns, mapping, csvUrl: withoutSecrets(csvUrl) });
}
