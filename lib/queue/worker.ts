import { hostname } from "node:os";
import { randomUUID } from "node:crypto";
import type { Db } from "../db/client";
import { env } from "../env";
import { failImport, releaseImport, runImport, type RunOptions } from "../imports/run-import";
import { isTransientDbError } from "../db/transient-error";
import { claimNextJob } from "./claim-job";
import { onJobAccepted } from "./job-signal";
import { LeaseLostError, renewLease, type Lease } from "./lease";

/** A job that has broken its worker this many times is failed, not retried. */
export const MAX_ATTEMPTS = 5;

export type WorkerOptions = {
  id?: string;
  pollMs?: number;
  leaseMs?: number;
  run?: Partial<RunOptions>;
  log?: (msg: string) => void;
};

export type WorkerHandle = { id: string; stop(): Promise<void> };

/**
 * Runs jobs one at a time, always the head of the queue, until stopped. Any
 * number of workers may run against one database (see claim-job.ts).
 */
export function startWorker(d: Db, opts: WorkerOptions = {}): WorkerHandle {
  const e = env();
  const id = opts.id ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const pollMs = opts.pollMs ?? e.WORKER_POLL_MS;
  const leaseMs = opts.leaseMs ?? e.JOB_LEASE_MS;
  const log = opts.log ?? ((m: string) => console.error(`[worker ${id}] ${m}`));
  const runOptions: RunOptions = {
    phoneRegion: e.DEFAULT_PHONE_REGION,
    csv: { allowedHosts: e.CSV_URL_ALLOWED_HOSTS, timeoutMs: e.CSV_FETCH_TIMEOUT_MS, maxBytes: e.CSV_MAX_BYTES },
    ...opts.run,
  };

  let stopping = false;
  let wake: (() => void) | null = null;
  const unsubscribe = onJobAccepted(() => wake?.());
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

  async function runOne(jobId: string): Promise<void> {
    const lease: Lease = { jobId, workerId: id, leaseMs };
    const heartbeat = setInterval(() => {
      renewLease(d.prisma, d, lease).catch(() => {});
    }, Math.max(100, Math.floor(leaseMs / 3)));
    try {
      const job = await d.prisma.importJob.findUniqueOrThrow({ where: { id: jobId }, select: { attempts: true } });
      if (job.attempts > MAX_ATTEMPTS) {
        await failImport(d, lease, "too_many_attempts", `The import stopped ${MAX_ATTEMPTS} times without finishing`);
        return;
      }
      await runImport(d, lease, runOptions);
    } catch (err) {
      if (err instanceof LeaseLostError) {
        log(`job ${jobId}: taken over by another worker`);
        return;
      }
      const transient = isTransientDbError(err);
      log(`job ${jobId}: ${transient ? `database unavailable (${(err as Error).message})` : ((err as Error).stack ?? err)}`);
      await releaseImport(d, lease, { refundAttempt: transient }).catch(() => {});
      await sleep(Math.min(5_000, pollMs * 8));
    } finally {
      clearInterval(heartbeat);
    }
  }

  const loop = (async () => {
    while (!stopping) {
      let jobId: string | null = null;
      try {
        jobId = await claimNextJob(d, id, leaseMs);
      } catch (err) {
        log(`claim failed: ${(err as Error).message}`);
        await sleep(Math.min(5_000, pollMs * 8));
        continue;
      }
      if (jobId) await runOne(jobId);
      else await sleep(pollMs);
    }
  })();

  return {
    id,
    async stop() {
      stopping = true;
      wake?.();
      unsubscribe();
      await loop;
    },
  };
}
