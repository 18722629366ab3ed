// The engine: merges jobs one at a time, always the head of the queue, and
// stages CSVs by URL ahead of their turn. Any number of engines may run
// against one database (lib/jobs/claim-job.ts claimJob). It runs in a process of
// its own (scripts/worker.ts, started by `npm start`), never in the web
// server.
import "server-only";
import { availableParallelism, hostname } from "node:os";
import { randomUUID } from "node:crypto";
import { purgeAudit } from "../audit/purge-audit";
import { refreshVisibility } from "../db/statistics";
import type { Db } from "../db/client";
import type { SqlConn } from "../db/sql-conn";
import { isTransientDbError } from "../db/transient-error";
import { env } from "../env";
import { claimJob, failJob, releaseJob, renewLease } from "../jobs/claim-job";
import { LeaseLostError, type Lease } from "../jobs/job-lease";
import { filterIndexesPending, syncFilterIndexes } from "../custom-fields/filter-indexes";
import { dropEndedOverlays, forgetExpired } from "../jobs/retention";
import { undoOwnChanges } from "../merge/revert";
import type { QueuedJob } from "../jobs/job-row";
import { onJobAccepted } from "../jobs/job-signal";
import { createNormaliser } from "./normalise-pool";
import { BatchPreparer, runJob, type RunContext } from "./run-job";
import { leaseHeartbeat } from "./lease-heartbeat";
import { startStager, type CsvFetchLimits } from "./stage-csv-url";
import { wakeableSleep, type WakeableSleep } from "./wakeable-sleep";
import { purgeExpiredDeliveries } from "../webhooks/delivery-retention";
import { startSender, type SenderOptions } from "../webhooks/sender";

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
  /** Send webhook deliveries (default true; options for tests: a clock, a poll). */
  webhooks?: false | Partial<Omit<SenderOptions, "id">>;
  /** Delete expired details and abandoned uploads every 10 minutes (default true). */
  housekeeping?: boolean;
  run?: { phoneRegion?: string; csv?: CsvFetchLimits; afterBatch?: RunContext["afterBatch"]; giveWay?: RunContext["giveWay"] };
  log?: (msg: string) => void;
};

export type WorkerHandle = { id: string; stop(): Promise<void> };

const HOUSEKEEPING_MS = 10 * 60_000;
/** After a filter index failed to build, the wait before the next try. */
const INDEX_RETRY_MS = 60_000;

export function defaultThreads(): number {
  return env().ENGINE_THREADS ?? Math.max(1, availableParallelism() - 1);
}

/** What the engine's steps share. */
type Engine = {
  id: string;
  conn: SqlConn;
  leaseMs: number;
  pollMs: number;
  log: (msg: string) => void;
  ctx: RunContext;
  preparer: BatchPreparer;
  /** The wait between claims, cut short by a job accepted or staged, or by stop(). */
  nap: WakeableSleep;
  stopping(): boolean;
};

export function startWorker(d: Db, opts: WorkerOptions = {}): WorkerHandle {
  const e = env();
  const id = opts.id ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const pollMs = opts.pollMs ?? e.WORKER_POLL_MS;
  const leaseMs = opts.leaseMs ?? e.JOB_LEASE_MS;
  const log = opts.log ?? ((m: string) => console.error(`[worker ${id}] ${m}`));
  const conn = d.sql;
  const normaliser = createNormaliser(opts.threads ?? defaultThreads());
  let stopping = false;
  const ctx: RunContext = {
    conn,
    normaliser,
    phoneRegion: opts.run?.phoneRegion ?? e.DEFAULT_PHONE_REGION,
    batchSize: opts.batchSize ?? e.ENGINE_BATCH_SIZE,
    afterBatch: opts.run?.afterBatch,
    giveWay: opts.run?.giveWay,
    stopping: () => stopping,
  };
  const engine: Engine = { id, conn, leaseMs, pollMs, log, ctx, preparer: new BatchPreparer(ctx), nap: wakeableSleep(), stopping: () => stopping };

  const unsubscribe = onJobAccepted(() => {
    engine.nap.wake();
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
          onStaged: () => engine.nap.wake(),
        });
  const stopHousekeeping =
    opts.housekeeping === false ? null : startHousekeeping(
          conn,
          { retentionDays: e.RETENTION_DAYS, uploadExpiryHours: e.UPLOAD_EXPIRY_HOURS, auditRetentionDays: e.AUDIT_RETENTION_DAYS },
          log,
        );
  // webhook deliveries: a loop of their own beside the merge's, never holding it up
  const sender =
    opts.webhooks === false ? null : startSender(d, { id: `${id}:webhooks`, allowedHosts: e.CSV_URL_ALLOWED_HOSTS, leaseMs, log, ...opts.webhooks });
  const loop = mergeLoop(engine);

  return {
    id,
    async stop() {
      stopping = true;
      engine.nap.wake();
      unsubscribe();
      stopHousekeeping?.();
      await Promise.all([loop, stager?.stop(), sender?.stop()]);
      await normaliser.close();
    },
  };
}

/**
 * Claims the head of the queue and merges it, one job at a time, until the
 * engine stops. With nothing to merge, it drops ended dry runs' overlays,
 * builds or drops filter indexes, then waits for a job.
 */
async function mergeLoop(w: Engine): Promise<void> {
  /** Set when this engine ends a dry run (and at start: one may have ended in an engine that stopped). */
  let overlaysLeft = true;
  /** Whether the filter indexes have been compared with the fields since start (an index may have been lost, or a build broken). */
  let indexesChecked = false;
  let indexesNotBefore = 0;
  const nothingWaiting = async () =>
    !w.stopping() && !(await w.conn.get("SELECT 1 AS waiting FROM import_job WHERE status = 'queued' LIMIT 1"));
  while (!w.stopping()) {
    let job: QueuedJob | null = null;
    try {
      job = await claimJob(w.conn, w.id, w.leaseMs);
    } catch (err) {
      w.log(`claim failed: ${(err as Error).message}`);
      await w.nap.sleep(Math.min(5_000, w.pollMs * 8));
      continue;
    }
    if (job) {
      await runOne(w, job);
      if (job.dryRun) overlaysLeft = true;
      continue;
    }
    if (overlaysLeft) {
      // nothing to merge: drop ended dry runs' overlays until a job is waiting (then claim it)
      try {
        overlaysLeft = !(await dropEndedOverlays(w.conn, nothingWaiting));
        continue;
      } catch (err) {
        w.log(`dropping overlays: ${(err as Error).message}`);
      }
    }
    if (Date.now() >= indexesNotBefore && (!indexesChecked || (await filterIndexesPending(w.conn).catch(() => false)))) {
      // still nothing to merge: build or drop the custom fields' filter indexes admins asked for (decision 027)
      try {
        indexesChecked = await syncFilterIndexes(w.conn, nothingWaiting);
        continue;
      } catch (err) {
        w.log(`filter indexes: ${(err as Error).message}`);
        indexesNotBefore = Date.now() + INDEX_RETRY_MS;
      }
    }
    await w.nap.sleep(w.pollMs);
  }
}

/** Merges one claimed job, its lease renewed meanwhile; a job that broke its run is given back to the queue. */
async function runOne(w: Engine, job: QueuedJob): Promise<void> {
  const lease: Lease = { jobId: job.id, workerId: w.id, leaseMs: w.leaseMs };
  const stopHeartbeat = leaseHeartbeat(w.conn, w.leaseMs, (q) => renewLease(q, lease));
  try {
    // a job whose cancel was asked for ends cancelled, however often it broke its workers
    if (job.attempts > MAX_ATTEMPTS && !job.cancelRequested) {
      await failWornOut(w.conn, lease, job);
      return;
    }
    await runJob(w.ctx, w.preparer, job, lease);
  } catch (err) {
    if (err instanceof LeaseLostError) {
      w.log(`job ${job.id}: taken over by another worker`);
      return;
    }
    await giveBack(w, lease, err);
  } finally {
    stopHeartbeat();
  }
}

/** A job that has broken its worker more than MAX_ATTEMPTS times fails, with a sentence saying what became of its work. */
async function failWornOut(conn: SqlConn, lease: Lease, job: QueuedJob): Promise<void> {
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
}

/** Releases a job whose run broke, for the next claim; a database outage does not count as one of its attempts. */
async function giveBack(w: Engine, lease: Lease, err: unknown): Promise<void> {
  const transient = isTransientDbError(err);
  w.log(`job ${lease.jobId}: ${transient ? `database unavailable (${(err as Error).message})` : ((err as Error).stack ?? err)}`);
  // a release lost to the same outage is tried again: the refund must not be lost with it
  for (let tries = 0; tries < 5; tries++) {
    try {
      await releaseJob(w.conn, lease, { refundAttempt: transient });
      break;
    } catch {
      await w.nap.sleep(Math.min(1_000, w.pollMs * 4));
    }
  }
  await w.nap.sleep(Math.min(5_000, w.pollMs * 8));
}

/** What the service forgets, now and every 10 minutes: expired job details, abandoned uploads, old audit entries and webhook deliveries. Returns its stop. */
function startHousekeeping(
  conn: SqlConn,
  keep: { retentionDays: number; uploadExpiryHours: number; auditRetentionDays: number },
  log: (msg: string) => void,
): () => void {
  // each step on its own: one that fails (a lost connection, a refused
  // VACUUM) is logged and tried again next time, and never stops the others
  const steps: [string, () => Promise<string | null>][] = [
    [
      "retention",
      async () => {
        const { purged, expiredUploads, leftovers } = await forgetExpired(conn, keep);
        return purged || expiredUploads || leftovers ? `details of ${purged} jobs deleted, ${expiredUploads} abandoned uploads deleted, leftovers of ${leftovers} jobs swept` : null;
      },
    ],
    [
      "vacuum",
      async () => {
        const vacuumed = await refreshVisibility(conn);
        return vacuumed.length > 0 ? `${vacuumed.join(", ")} vacuumed (members list counts read their indexes alone)` : null;
      },
    ],
    [
      "retention",
      async () => {
        const n = await purgeAudit(conn, keep.auditRetentionDays);
        return n > 0 ? `${n} audit entries older than ${keep.auditRetentionDays} days deleted` : null;
      },
    ],
    [
      "retention",
      async () => {
        const n = await purgeExpiredDeliveries(conn, keep.retentionDays);
        return n > 0 ? `${n} webhook deliveries older than ${keep.retentionDays} days deleted` : null;
      },
    ],
  ];
  const sweep = async () => {
    for (const [name, step] of steps) {
      try {
        const said = await step();
        if (said) log(`${name}: ${said}`);
      } catch (err) {
        log(`${name}: ${(err as Error).message}`);
      }
    }
  };
  const timer = setInterval(sweep, HOUSEKEEPING_MS);
  timer.unref();
  void sweep();
  return () => clearInterval(timer);
}
