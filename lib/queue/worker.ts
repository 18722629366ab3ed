// The engine: merges jobs one at a time, always the head of the queue, and
// stages CSVs by URL ahead of their turn. Any number of engines may run
// against one database (lib/jobs/claim-job.ts claimJob). It runs in a process of
// its own (scripts/worker.ts, started by `npm start`), never in the web
// server.
import "server-only";
import { availableParallelism, hostname } from "node:os";
import { randomUUID } from "node:crypto";
import type { Db } from "../db/client";
import { isTransientDbError } from "../db/transient-error";
import { env } from "../env";
import { claimJob, failJob, releaseJob, renewLease } from "../jobs/claim-job";
import { LeaseLostError, type Lease } from "../jobs/job-lease";
import { dropEndedOverlays, forgetExpired } from "../jobs/retention";
import { undoOwnChanges } from "../merge/revert";
import type { QueuedJob } from "../jobs/job-row";
import { onJobAccepted } from "../jobs/job-signal";
import { createNormaliser } from "./normalise-pool";
import { BatchPreparer, runJob, type RunContext } from "./run-job";
import { startStager, type CsvFetchLimits } from "./stage-csv-url";

/** A job that has broken its worker this many times is failed, not retried. */
export const MAX_ATTEMPTS = 5;

export type WorkerOptions = {
  id?: string;
  pollMs?: number;
  leaseMs?: number;
  /** Normaliser threads; 0 normalises on the main thread. Default: ENGINE_THREADS. */
  threads?: number;
  /** Records merged per transaction. Default: ENGINE_BATCH_SIZE. */
  batchSize?: number;
  /** Stage CSVs by URL in this engine (default true). */
  stage?: boolean;
  /** Delete expired details and abandoned uploads every 10 minutes (default true). */
  housekeeping?: boolean;
  run?: { phoneRegion?: string; csv?: CsvFetchLimits; afterBatch?: RunContext["afterBatch"]; giveWay?: RunContext["giveWay"] };
  log?: (msg: string) => void;
};

export type WorkerHandle = { id: string; stop(): Promise<void> };

export function defaultThreads(): number {
  return env().ENGINE_THREADS ?? Math.max(1, availableParallelism() - 1);
}

export function startWorker(d: Db, opts: WorkerOptions = {}): WorkerHandle {
  const e = env();
  const id = opts.id ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const pollMs = opts.pollMs ?? e.WORKER_POLL_MS;
  const leaseMs = opts.leaseMs ?? e.JOB_LEASE_MS;
  const log = opts.log ?? ((m: string) => console.error(`[worker ${id}] ${m}`));
  const conn = d.sql;
  const normaliser = createNormaliser(opts.threads ?? defaultThreads());
  const ctx: RunContext = {
    conn,
    normaliser,
    phoneRegion: opts.run?.phoneRegion ?? e.DEFAULT_PHONE_REGION,
    batchSize: opts.batchSize ?? e.ENGINE_BATCH_SIZE,
    afterBatch: opts.run?.afterBatch,
    giveWay: opts.run?.giveWay,
    stopping: () => stopping,
  };
  const preparer = new BatchPreparer(ctx);

  let stopping = false;
  let wake: (() => void) | null = null;
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(done, ms);
      function done() {
        clearTimeout(t);
        wake = null;
        resolve();
      }
      wake = done;
    });
  const unsubscribe = onJobAccepted(() => {
    wake?.();
    stager?.wake();
  });
  const stager =
    opts.stage === false
      ? null
      : startStager(conn, {
          id: `${id}:stager`,
          leaseMs,
          pollMs,
          csv: opts.run?.csv ?? { allowedHosts: e.CSV_URL_ALLOWED_HOSTS, timeoutMs: e.CSV_FETCH_TIMEOUT_MS, maxBytes: e.CSV_MAX_BYTES },
          log,
          onStaged: () => wake?.(),
        });

  async function runOne(job: QueuedJob): Promise<void> {
    const lease: Lease = { jobId: job.id, workerId: id, leaseMs };
    const heartbeat = setInterval(() => {
      conn.tx((q) => renewLease(q, lease)).catch(() => {});
    }, Math.max(100, Math.floor(leaseMs / 3)));
    try {
      if (job.attempts > MAX_ATTEMPTS) {
        // failed means nothing of it is saved: what it merged is undone first
        if (job.processed > 0 && !job.dryRun) await undoOwnChanges(conn, lease, { id: job.id, seq: job.seq! });
        const what = job.source === "revert" ? "The undo" : "The import";
        const undone =
          job.processed === 0 || job.dryRun
            ? ""
            : job.source === "revert"
              ? `; the ${job.processed} members it had gone through were put back as they were`
              : `; the ${job.processed} records it had merged were undone`;
        await failJob(conn, lease, "too_many_attempts", `${what} stopped ${MAX_ATTEMPTS} times without finishing${undone}`);
        return;
      }
      await runJob(ctx, preparer, job, lease);
    } catch (err) {
      if (err instanceof LeaseLostError) {
        log(`job ${job.id}: taken over by another worker`);
        return;
      }
      const transient = isTransientDbError(err);
      log(`job ${job.id}: ${transient ? `database unavailable (${(err as Error).message})` : ((err as Error).stack ?? err)}`);
      // a release lost to the same outage is tried again: the refund must not be lost with it
      for (let tries = 0; tries < 5; tries++) {
        try {
          await releaseJob(conn, lease, { refundAttempt: transient });
          break;
        } catch {
          await sleep(Math.min(1_000, pollMs * 4));
        }
      }
      await sleep(Math.min(5_000, pollMs * 8));
    } finally {
      clearInterval(heartbeat);
    }
  }

  // What the service forgets: expired job details and abandoned uploads.
  const HOUSEKEEPING_MS = 10 * 60_000;
  const housekeeping = () =>
    forgetExpired(conn, { retentionDays: e.RETENTION_DAYS, uploadExpiryHours: e.UPLOAD_EXPIRY_HOURS })
      .then(({ purged, expiredUploads, leftovers }) => {
        if (purged || expiredUploads || leftovers) {
          log(`retention: details of ${purged} jobs deleted, ${expiredUploads} abandoned uploads deleted, leftovers of ${leftovers} jobs swept`);
        }
      })
      .catch((err) => log(`retention: ${(err as Error).message}`));
  const housekeepingTimer = opts.housekeeping === false ? null : setInterval(housekeeping, HOUSEKEEPING_MS);
  housekeepingTimer?.unref();
  if (opts.housekeeping !== false) void housekeeping();

  /** Set when this engine ends a dry run (and at start: one may have ended in an engine that stopped). */
  let overlaysLeft = true;
  const nothingWaiting = async () =>
    !stopping && !(await conn.get("SELECT 1 AS waiting FROM import_job WHERE status = 'queued' LIMIT 1"));
  const loop = (async () => {
    while (!stopping) {
      let job: QueuedJob | null = null;
      try {
        job = await claimJob(conn, id, leaseMs);
      } catch (err) {
        log(`claim failed: ${(err as Error).message}`);
        await sleep(Math.min(5_000, pollMs * 8));
        continue;
      }
      if (job) {
        await runOne(job);
        if (job.dryRun) overlaysLeft = true;
        continue;
      }
      if (overlaysLeft) {
        // nothing to merge: drop ended dry runs' overlays until a job is waiting (then claim it)
        try {
          overlaysLeft = !(await dropEndedOverlays(conn, nothingWaiting));
          continue;
        } catch (err) {
          log(`dropping overlays: ${(err as Error).message}`);
        }
      }
      await sleep(pollMs);
    }
  })();

  return {
    id,
    async stop() {
      stopping = true;
      wake?.();
      unsubscribe();
      if (housekeepingTimer) clearInterval(housekeepingTimer);
      await Promise.all([loop, stager?.stop()]);
      await normaliser.close();
    },
  };
}
